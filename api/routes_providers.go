package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// providerRoutes registers the provider directory: the public Open Referral
// UK export, and the authenticated API where providers keep their own
// details and council staff manage frameworks, contracts and suspensions.
// Per-object checks (a provider user sees only its own organisation) are
// made by the store; the role gates here only keep other roles out early.
func (s *Server) providerRoutes(r *gin.Engine, authed *gin.RouterGroup) {
	r.GET("/openreferral/services", handle(s.openReferralServices))
	r.GET("/openreferral/services/:id", handle(s.openReferralService))

	staff := allow(broker, admin, practitioner, approver)
	staffOrProvider := allow(broker, admin, practitioner, approver, provider)
	editors := allow(broker, admin, provider)
	managers := allow(broker, admin)
	p := s.Providers

	authed.GET("/provider-organisations", staff, answer(http.StatusOK, onInput(s.organisations)))
	authed.POST("/provider-organisations", managers, answer(http.StatusCreated, onInput(p.CreateOrganisation)))
	authed.GET("/provider-organisations/:id", staffOrProvider, answer(http.StatusOK, onID(s.organisation)))
	authed.GET("/provider-organisations/:id/compliance", staffOrProvider, answer(http.StatusOK, onID(s.compliance)))
	authed.PUT("/provider-organisations/:id/contract-status", managers, answer(http.StatusOK, p.SetContractStatus))
	authed.POST("/provider-organisations/:id/memberships", managers, answer(http.StatusCreated, p.AddMembership))
	authed.POST("/provider-organisations/:id/suspensions", managers, answer(http.StatusCreated, p.Suspend))
	authed.GET("/provider-organisations/:id/documents", staffOrProvider, answer(http.StatusOK, onID(p.Documents)))
	authed.POST("/provider-organisations/:id/documents", editors, answer(http.StatusCreated, p.AddDocument))
	authed.POST("/provider-memberships/:id/end", managers, answer(http.StatusOK, p.EndMembership))
	authed.POST("/provider-suspensions/:id/end", managers, answer(http.StatusOK, p.EndSuspension))
	authed.POST("/provider-documents/:id/review", managers, answer(http.StatusOK, p.ReviewDocument))

	authed.POST("/provider-locations", editors, answer(http.StatusCreated, onInput(s.createLocation)))
	authed.PUT("/provider-locations/:id/rating", managers, answer(http.StatusOK, p.SetLocationRating))
	authed.POST("/provider-locations/:id/services", editors, answer(http.StatusCreated, p.AddService))

	authed.GET("/provider-services/:id", staffOrProvider, answer(http.StatusOK, onID(p.ServiceFor)))
	authed.PATCH("/provider-services/:id", editors, answer(http.StatusOK, p.ChangeService))
	authed.GET("/provider-services/:id/capacity", staffOrProvider, answer(http.StatusOK, onID(s.capacity)))
	authed.PUT("/provider-services/:id/capacity", editors, answer(http.StatusOK, s.setCapacity))
	authed.GET("/provider-services/:id/rates", staffOrProvider, answer(http.StatusOK, onID(p.Rates)))
	authed.POST("/provider-services/:id/rates", editors, answer(http.StatusCreated, p.AddRate))
	authed.GET("/provider-services/:id/eligibility", staffOrProvider, answer(http.StatusOK, s.eligibility))

	authed.GET("/frameworks", staff, answer(http.StatusOK, forActor(s.frameworks)))
	authed.POST("/frameworks", managers, answer(http.StatusCreated, onInput(p.CreateFramework)))

	authed.POST("/provider-imports", allow(admin), answer(http.StatusOK, onInput(s.importDirectory)))
}
