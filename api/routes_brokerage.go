package api

import (
	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
)

// brokerageRoutes are the brokerage workflow: persons and plans
// (practitioners), the request queue, matching and invitations (brokers),
// invitations and offers (providers), budget approval, choice and the
// agreed start date. allow() is the role gate; the use cases decide, object
// by object, what the caller may see (not yours reads as 404).
func (s *Server) brokerageRoutes(authed *gin.RouterGroup) {
	const (
		practitioner = accounts.Practitioner
		broker       = accounts.Broker
		approver     = accounts.BudgetApprover
		provider     = accounts.ProviderUser
		client       = accounts.Client
	)
	authed.POST("/persons", allow(practitioner), s.createPerson)
	authed.GET("/persons", allow(practitioner, broker, client), s.listPersons)
	authed.GET("/persons/:id", allow(practitioner, broker, client), s.getPerson)
	authed.GET("/persons/:id/plans", allow(practitioner, broker, client), s.listPlans)

	authed.POST("/plans", allow(practitioner), s.submitPlan)
	authed.GET("/plans/:id", allow(practitioner, broker, client), s.getPlan)
	authed.PUT("/plans/:id", allow(practitioner), s.updatePlan)
	authed.POST("/plans/:id/sign-off", allow(practitioner), s.signOffPlan)
	// The council's settings (the four-eyes amount): practitioners read them.
	authed.GET("/settings", allow(accounts.Admin, practitioner), s.getSettings)
	authed.PUT("/settings", allow(accounts.Admin), s.updateSettings)

	authed.GET("/requests", allow(broker, approver, practitioner, client), s.listRequests)
	authed.GET("/requests/:id", allow(broker, approver, practitioner, client), s.getRequest)
	authed.GET("/requests/:id/transitions", allow(broker, approver, practitioner, client), s.listTransitions)
	authed.POST("/requests/:id/hold", allow(broker, practitioner), s.holdRequest)
	authed.POST("/requests/:id/resume", allow(broker, practitioner), s.resumeRequest)
	authed.POST("/requests/:id/cancel", allow(broker, practitioner), s.cancelRequest)

	authed.POST("/requests/:id/match", allow(broker), s.runMatch)
	authed.GET("/requests/:id/match", allow(broker), s.latestMatch)
	authed.POST("/requests/:id/invitations", allow(broker), s.invite)
	authed.GET("/requests/:id/invitations", allow(broker), s.requestInvitations)
	authed.POST("/requests/:id/chase", allow(broker), s.chase)
	authed.POST("/requests/:id/deadline", allow(broker), s.extendDeadline)

	authed.GET("/invitations", allow(provider), s.listInvitations)
	authed.GET("/invitations/:id", allow(provider, broker), s.getInvitation)
	authed.POST("/invitations/:id/offer", allow(provider), s.makeOffer)
	authed.POST("/invitations/:id/decline", allow(provider), s.decline)
	authed.POST("/offers/:id/withdraw", allow(provider), s.withdrawOffer)

	authed.GET("/approvals", allow(approver), s.listApprovals)
	authed.POST("/offers/:id/approve", allow(approver), s.approveOffer)
	authed.POST("/offers/:id/reject", allow(approver), s.rejectOffer)

	authed.GET("/requests/:id/offers", allow(client, broker, practitioner, approver), s.compareOffers)
	authed.POST("/requests/:id/choice", allow(client, broker), s.choose)
	authed.POST("/requests/:id/agreement", allow(client, broker), s.agree)
	authed.POST("/requests/:id/cannot-start", allow(client, broker), s.chosenProviderCannotStart)
}

// brokerageID reads the :id path parameter. A malformed id names nothing, so it
// is not found.
func brokerageID(c *gin.Context, what string) (uuid.UUID, bool) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		fail(c, errs.NotFoundf("no such %s", what))
		return uuid.Nil, false
	}
	return id, true
}

// idAndBody reads the path's id (one that is not a UUID is 404, "no such
// what") and then the strict JSON body. When it returns false it has
// written the problem, and the handler returns.
func idAndBody[T any](c *gin.Context, what string) (uuid.UUID, T, bool) {
	var body T
	id, ok := brokerageID(c, what)
	if !ok {
		return id, body, false
	}
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return id, body, false
	}
	return id, body, true
}

type reasonBody struct {
	Reason string `json:"reason"`
}

// itemsJSON is the shape of every list: {"items": [...]}.
func itemsJSON[T any](items []T) gin.H {
	if items == nil {
		items = []T{}
	}
	return gin.H{"items": items}
}

func (s *Server) ok(c *gin.Context, status int, v any, err error) {
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(status, v)
}
