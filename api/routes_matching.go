package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
)

// matchingRoutes publish how providers are ranked: the weights of each
// part of a match's score. Every signed-in role may read them (the page
// /how-providers-are-ranked says the same).
func (s *Server) matchingRoutes(authed *gin.RouterGroup) {
	authed.GET("/matching/weights", allow(accounts.Roles...), handle(s.matchingWeights))
}

func (s *Server) matchingWeights(c *gin.Context) error {
	return render(c, http.StatusOK, s.Brokerage.MatchingWeights())
}
