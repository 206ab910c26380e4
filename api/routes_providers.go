package api

import (
	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
)

// providerRoutes registers the provider directory: the public Open Referral
// UK export, and the authenticated API where providers keep their own
// details and council staff manage frameworks, contracts and suspensions.
// Per-object checks (a provider user sees only its own organisation) are
// made by the store; the role gates here only keep other roles out early.
func (s *Server) providerRoutes(r *gin.Engine, authed *gin.RouterGroup) {
	r.GET("/openreferral/services", s.openReferralServices)
	r.GET("/openreferral/services/:id", s.openReferralService)

	staff := allow(accounts.Broker, accounts.Admin, accounts.Practitioner, accounts.BudgetApprover)
	staffOrProvider := allow(accounts.Broker, accounts.Admin, accounts.Practitioner, accounts.BudgetApprover, accounts.ProviderUser)
	editors := allow(accounts.Broker, accounts.Admin, accounts.ProviderUser)
	managers := allow(accounts.Broker, accounts.Admin)

	authed.GET("/provider-organisations", staff, s.listOrganisations)
	authed.POST("/provider-organisations", managers, s.createOrganisation)
	authed.GET("/provider-organisations/:id", staffOrProvider, s.getOrganisation)
	authed.GET("/provider-organisations/:id/compliance", staffOrProvider, s.getCompliance)
	authed.PUT("/provider-organisations/:id/contract-status", managers, s.setContractStatus)
	authed.POST("/provider-organisations/:id/memberships", managers, s.addMembership)
	authed.POST("/provider-organisations/:id/suspensions", managers, s.suspend)
	authed.GET("/provider-organisations/:id/documents", staffOrProvider, s.listDocuments)
	authed.POST("/provider-organisations/:id/documents", editors, s.addDocument)
	authed.POST("/provider-memberships/:id/end", managers, s.endMembership)
	authed.POST("/provider-suspensions/:id/end", managers, s.endSuspension)
	authed.POST("/provider-documents/:id/review", managers, s.reviewDocument)

	authed.POST("/provider-locations", editors, s.createLocation)
	authed.PUT("/provider-locations/:id/rating", managers, s.setRating)
	authed.POST("/provider-locations/:id/services", editors, s.addService)

	authed.GET("/provider-services/:id", staffOrProvider, s.getService)
	authed.PATCH("/provider-services/:id", editors, s.changeService)
	authed.GET("/provider-services/:id/capacity", staffOrProvider, s.getCapacity)
	authed.PUT("/provider-services/:id/capacity", editors, s.setCapacity)
	authed.GET("/provider-services/:id/rates", staffOrProvider, s.getRates)
	authed.POST("/provider-services/:id/rates", editors, s.addRate)
	authed.GET("/provider-services/:id/eligibility", staffOrProvider, s.getEligibility)

	authed.GET("/frameworks", staff, s.listFrameworks)
	authed.POST("/frameworks", managers, s.createFramework)

	authed.POST("/provider-imports", allow(accounts.Admin), s.importDirectory)
}

// pathID reads the :id path parameter; anything but a UUID names nothing.
func pathID(c *gin.Context) (uuid.UUID, bool) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		fail(c, errs.NotFoundf("there is nothing at %s", c.Request.URL.Path))
		return uuid.Nil, false
	}
	return id, true
}
