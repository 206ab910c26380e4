// Package frontend is the service's web pages: server-rendered HTML in the
// GOV.UK Design System style (govuk-frontend, embedded), served by the same
// binary and gin engine as the JSON API. Pages work without JavaScript; a
// little static JavaScript enhances them (govuk-frontend's components and
// live updates over server-sent events).
//
// People sign in with their email and password. The session is a row of
// web_sessions (see session_store.go) named by a random token in an HttpOnly
// cookie; every form carries the session's synchronizer token, checked on
// every POST before any handler runs. Handlers return errors; one function
// (fail, in errors.go) turns them into the GOV.UK error pages.
//
// Pages are added by areas (areas.go): one function per part of the service,
// each in its own file, registering its pages on a Router that applies the
// sign-in, role and CSRF checks.
package frontend

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"html/template"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/accounts/useradmin"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/config"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/internal/ratelimit"
	"github.com/carebroker/carebroker/packages"
	"github.com/carebroker/carebroker/providers"
)

// Deps is what the pages need; app wires it from the API's dependencies.
type Deps struct {
	Config   config.Config
	DB       *postgres.DB
	Accounts *accounts.Store
	// LoginGuard limits sign-in attempts (app passes the API's, so both
	// doors share one budget). Nil: not limited.
	LoginGuard *ratelimit.LoginGuard
	// Limiter and PerUser limit each signed-in user's page requests (app
	// passes the API's limiter and per-user limit: one budget a user, shared
	// by pages and API). Nil Limiter: not limited.
	Limiter *ratelimit.Limiter
	PerUser ratelimit.Limit
	// Live is where live updates come from. Without it, /live answers 204
	// and pages simply do not update by themselves.
	Live LiveSource

	// The use cases the pages call: the same ones the API calls. A page
	// whose use case is not wired answers 503.
	Brokerage  *brokerage.Service
	Agreements *agreements.Store
	Providers  *providers.Store
	// Packages keeps what agreements become; nil: one on DB, Agreements,
	// Providers and Now.
	Packages *packages.Store
	// UserAdmin is the administrators' account use cases; useradmin.New(DB)
	// when not set.
	UserAdmin *useradmin.Service

	// Now is the clock; tests move it to expire sessions. Default time.Now.
	Now func() time.Time
	// IdleTimeout ends a session nobody has used for this long. Default 60 minutes.
	IdleTimeout time.Duration
	// MaxAge ends a session this long after sign-in, used or not. Default 12 hours.
	MaxAge time.Duration
	// TimeoutWarning is how long before an idle session ends the pages warn
	// (DefaultTimeoutWarning when not set).
	TimeoutWarning time.Duration
}

// The session limits when Deps does not set them.
const (
	DefaultIdleTimeout = 60 * time.Minute
	DefaultMaxAge      = 12 * time.Hour
)

// Frontend holds the pages, their templates and their dependencies.
type Frontend struct {
	deps     Deps
	sessions *sessionStore
	forms    *formStore
	pages    map[string]*template.Template
	assets   *assetSet
	csrfKey  []byte
	secure   bool
	nav      []navEntry
}

// New parses the templates and indexes the embedded assets. It returns an
// error if a template does not parse.
func New(d Deps) (*Frontend, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.IdleTimeout <= 0 {
		d.IdleTimeout = DefaultIdleTimeout
	}
	if d.MaxAge <= 0 {
		d.MaxAge = DefaultMaxAge
	}
	if d.TimeoutWarning <= 0 || d.TimeoutWarning >= d.IdleTimeout {
		d.TimeoutWarning = min(DefaultTimeoutWarning, d.IdleTimeout/2)
	}
	if d.UserAdmin == nil && d.DB != nil {
		d.UserAdmin = useradmin.New(d.DB)
	}
	if len(d.Config.JWTSecrets) == 0 || d.Config.JWTSecrets[0] == "" {
		return nil, fmt.Errorf("frontend: the configuration has no secret to derive the sign-in form key from")
	}
	f := &Frontend{deps: d, sessions: &sessionStore{db: d.DB}, forms: &formStore{db: d.DB}, secure: d.Config.Secure()}
	// The sign-in form's token key is derived from the service secret, so
	// every instance behind a load balancer agrees on it.
	m := hmac.New(sha256.New, []byte(d.Config.JWTSecrets[0]))
	m.Write([]byte("carebroker web sign-in form key v1"))
	f.csrfKey = m.Sum(nil)
	var err error
	if f.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if f.pages, err = parseTemplates(f.funcs()); err != nil {
		return nil, err
	}
	return f, nil
}

// Mount registers every page, the assets and the live-update stream on the
// engine. The JSON API's routes (under /api/v1) are untouched.
func (f *Frontend) Mount(r *gin.Engine) {
	r.GET("/assets/*filepath", f.serveAsset)
	rt := f.router(r)
	f.corePages(rt)
	homeNav(rt)
	for _, add := range areas {
		add(f, rt)
	}
	homePlaceholders(f, rt)
}

// router returns a Router whose pages run behind the middleware every page
// needs: the error page for panics, no caching, the session, and the CSRF
// check.
func (f *Frontend) router(r *gin.Engine) *Router {
	g := r.Group("", f.recoverPage, noStore, f.loadSession, f.checkCSRF)
	return &Router{f: f, g: g, paths: map[string]bool{}}
}

func (f *Frontend) now() time.Time { return f.deps.Now().UTC() }

func (f *Frontend) ctx(c *gin.Context) context.Context { return c.Request.Context() }
