package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/packages"
)

// packageRoutes are the care package an agreement becomes (issue 16): its
// dated lines and changes, the changes providers ask for and the council
// decides, the council's uplift and each provider's contract terms.
func (s *Server) packageRoutes(authed *gin.RouterGroup) {
	pk := s.packages()
	readers := allow(client, provider, practitioner, broker, admin, finance)
	authed.GET("/agreements/:id/package", readers, answer(http.StatusOK, onID(pk.Package)))
	authed.POST("/agreements/:id/package/changes", allow(broker, practitioner, provider), answer(http.StatusCreated, pk.Change))
	authed.POST("/agreements/:id/package/handback", allow(provider), answer(http.StatusCreated, pk.HandBack))
	authed.GET("/package-handbacks/by-provider", allow(broker, admin), answer(http.StatusOK, forActor(pk.HandbacksByProvider)))
	authed.GET("/package-changes", allow(broker, practitioner, provider), answer(http.StatusOK, forActor(pk.Asked)))
	authed.POST("/package-changes/:id/decision", allow(broker, practitioner), answer(http.StatusOK, pk.Decide))
	authed.POST("/frameworks/:id/uplifts", allow(admin), answer(http.StatusCreated, pk.ApplyUplift))
	authed.GET("/provider-organisations/:id/package-terms", allow(admin, broker, provider), answer(http.StatusOK, onID(pk.Terms)))
	authed.PUT("/provider-organisations/:id/package-terms", allow(admin), answer(http.StatusOK, pk.SetTerms))
}

// packages is the package store the deps give, or one made on the deps'
// database, agreements, directory and clock.
func (s *Server) packages() *packages.Store {
	if s.Packages != nil {
		return s.Packages
	}
	opts := []packages.Option{packages.WithClock(s.Now)}
	if s.Providers != nil {
		opts = append(opts, packages.WithFrameworks(s.Providers), packages.WithCapacity(s.Providers))
	}
	return packages.NewStore(s.DB, s.Agreements, opts...)
}
