// Package api is the HTTP face of the service: gin routes, JWT
// authentication, roles and per-object access, request and response shapes,
// and the one mapping from errors to HTTP statuses. Handlers bind, make one
// call to a use case, and render.
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
