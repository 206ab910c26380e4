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
	r.Use(withRequestID, recoverProblem, logRequests, securityHeaders(s.Config.Secure()), limitBody(s.Config.MaxBodyBytes))
	r.NoRoute(NotFound)
	r.NoMethod(func(c *gin.Context) {
		fail(c, &errs.Error{Code: errs.Conflict, Message: c.Request.Method + " is not allowed here"})
	})

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)

	v1 := r.Group("/api/v1")
	v1.GET("/openapi.json", s.openapi)
	s.authRoutes(v1)

	authed := v1.Group("", s.authenticate)
	s.accountRoutes(authed)
	s.providerRoutes(r, authed)
	return r
}
