package api

import (
	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/errs"
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

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)

	v1 := r.Group("/api/v1")
	v1.GET("/openapi.json", s.openapi)
	s.authRoutes(v1)

	authed := v1.Group("", s.authenticate, s.limitPerUser, s.idempotent)
	s.accountRoutes(authed)
	s.securityRoutes(authed)
	s.brokerageRoutes(authed)
	s.arrangementRoutes(authed)
	s.agreementRoutes(authed)
	s.notificationRoutes(authed)
	s.providerRoutes(r, authed)
	return r
}
