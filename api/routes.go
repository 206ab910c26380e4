package api

import (
	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
)

// The roles, by the short names the route tables use with allow().
const (
	practitioner = accounts.Practitioner
	broker       = accounts.Broker
	approver     = accounts.BudgetApprover
	provider     = accounts.ProviderUser
	client       = accounts.Client
	admin        = accounts.Admin
	finance      = accounts.Finance
)

// routes registers every route. Each area adds its own in its own file
// (routes_<area>.go) so the list stays readable.
func (s *Server) routes() *gin.Engine {
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	if err := r.SetTrustedProxies(s.Config.TrustedProxies); err != nil { // config.Load checked them
		panic(err)
	}
	r.Use(withRequestID, recoverProblem, logRequests, securityHeaders(s.Config.Secure()), refuseCrossOrigin, limitBody(s.Config.MaxBodyBytes))
	r.NoRoute(NotFound)
	r.NoMethod(func(c *gin.Context) {
		fail(c, &errs.Error{Code: errs.Conflict, Message: c.Request.Method + " is not allowed here"})
	})

	r.GET("/healthz", handle(s.healthz))
	r.GET("/readyz", handle(s.readyz))

	v1 := r.Group("/api/v1", noStore)
	v1.GET("/openapi.json", handle(s.openapi))
	s.authRoutes(v1)

	authed := v1.Group("", s.authenticate, s.limitPerUser, s.idempotent)
	s.accountRoutes(authed)
	s.securityRoutes(authed)
	s.brokerageRoutes(authed)
	s.matchingRoutes(authed)
	s.arrangementRoutes(authed)
	s.agreementRoutes(authed)
	s.packageRoutes(authed)
	s.notificationRoutes(authed)
	s.providerRoutes(r, authed)
	return r
}
