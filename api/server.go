// Package api is the HTTP face of the service: gin routes, JWT
// authentication, roles and per-object access, request and response shapes,
// and the one mapping from errors to HTTP statuses.
//
// Handlers come from one kit. A handler returns its error and is wrapped
// once by handle (handler.go), which hands the error to fail, the one
// mapping in problem.go. Most routes make one call to a use case and are
// declared as such in their routes_<area>.go table:
// answer(http.StatusOK, onID(s.Brokerage.Person)) reads the path's id with
// pathID (a malformed id is 404, naming id), binds the input (the strict
// JSON body, or a list's filter from the query string), calls the use case
// as the signed-in actor and renders its answer. render (render.go) is the
// one renderer: every list goes out as {"items": [...]}, with "next" on a
// paged list; the noStore middleware marks every /api/v1 answer
// Cache-Control: no-store. params.go holds the one parser of each kind of
// path and query parameter.
package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/config"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/internal/ratelimit"
	"github.com/carebroker/carebroker/internal/redisx"
	"github.com/carebroker/carebroker/packages"
	"github.com/carebroker/carebroker/providers"
)

// Deps is what the API needs; cmd wires it.
type Deps struct {
	Config    config.Config
	DB        *postgres.DB
	Redis     *redisx.Client
	Accounts  *accounts.Store
	Providers *providers.Store
	Limits    *Limits // nil: DefaultLimits
	// Limiter keeps the rate limits' counts; nil: one on Redis (falling
	// back in-process). Tests pass ratelimit.NewInProcess with their clock.
	Limiter *ratelimit.Limiter

	Agreements *agreements.Store
	Brokerage  *brokerage.Service
	// Packages keeps what agreements become over time; nil: one on DB,
	// Agreements, Providers and Now.
	Packages *packages.Store
	// Now is the service's one clock, also given to the stores and use
	// cases; time.Now when nil. "Today" is its day in London.
	Now func() time.Time
	// LiveStreamMax caps how long one GET /api/v1/events stream lasts (the
	// browser then reconnects); 0: until the access token that opened it
	// expires, which is the limit in any case.
	LiveStreamMax time.Duration
	// Failpoints are for fault tests only; production leaves them empty.
	Failpoints Failpoints
}

// Failpoints are moments at which a fault test stops the server, to kill
// it there and no earlier or later.
type Failpoints struct {
	// BeforeKeepingAnswer runs after a request that claimed an
	// Idempotency-Key has been handled (its effect committed, its answer
	// written) and before the middleware stores the answer.
	BeforeKeepingAnswer func()
}

// Server holds the routes and their dependencies.
type Server struct {
	Deps
	tokens     *accounts.Tokens
	limiter    *ratelimit.Limiter
	loginGuard *ratelimit.LoginGuard
	engine     *gin.Engine
}

func init() { gin.SetMode(gin.ReleaseMode) }

// New builds the server and its routes.
func New(d Deps) *Server {
	if d.Now == nil {
		d.Now = time.Now
	}
	s := &Server{Deps: d}
	s.tokens = accounts.NewTokens(d.Config.JWTSecrets, d.Config.JWTIssuer, d.Config.JWTAudience, d.Config.AccessTTL)
	s.limiter = d.Limiter
	if s.limiter == nil {
		s.limiter = ratelimit.New(d.Redis)
	}
	s.loginGuard = ratelimit.NewLoginGuard(s.limiter, s.limits().Login)
	s.engine = s.routes()
	return s
}

// today is the day it is in London by the service's clock.
func (s *Server) today() day.Date { return day.Today(s.Now) }

// Handler returns the HTTP handler.
func (s *Server) Handler() http.Handler { return s.engine }

// Engine returns the gin engine, for tests that enumerate routes.
func (s *Server) Engine() *gin.Engine { return s.engine }

// Tokens returns the access token issuer, for tests and the frontend.
func (s *Server) Tokens() *accounts.Tokens { return s.tokens }
