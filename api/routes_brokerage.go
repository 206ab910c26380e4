package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// brokerageRoutes are the brokerage workflow: persons and plans
// (practitioners), the request queue, matching and invitations (brokers),
// invitations and offers (providers), budget approval, choice and the
// agreed start date. allow() is the role gate; the use cases decide, object
// by object, what the caller may see (not yours reads as 404).
func (s *Server) brokerageRoutes(authed *gin.RouterGroup) {
	b, p := s.Brokerage, s.Brokerage.Plans()
	authed.POST("/persons", allow(practitioner), answer(http.StatusCreated, onInput(p.CreatePerson)))
	authed.GET("/persons", allow(practitioner, broker, client), answer(http.StatusOK, forActor(p.Persons)))
	authed.GET("/persons/:id", allow(practitioner, broker, client), answer(http.StatusOK, onID(p.Person)))
	authed.GET("/persons/:id/plans", allow(practitioner, broker, client), answer(http.StatusOK, onID(p.PlansOf)))

	authed.POST("/plans", allow(practitioner), handle(s.submitPlan))
	authed.GET("/plans/:id", allow(practitioner, broker, client), answer(http.StatusOK, onID(p.Plan)))
	authed.PUT("/plans/:id", allow(practitioner), answer(http.StatusOK, p.UpdatePlan))
	authed.POST("/plans/:id/sign-off", allow(practitioner), answer(http.StatusOK, onID(s.signOffPlan)))
	// The council's settings (the four-eyes amount): practitioners read them.
	authed.GET("/settings", allow(admin, practitioner), answer(http.StatusOK, forActor(p.Settings)))
	authed.PUT("/settings", allow(admin), answer(http.StatusOK, onInput(p.UpdateSettings)))

	authed.GET("/requests", allow(broker, approver, practitioner, client), answer(http.StatusOK, onInput(s.requests)))
	authed.GET("/requests/:id", allow(broker, approver, practitioner, client), answer(http.StatusOK, onID(b.Request)))
	authed.GET("/requests/:id/transitions", allow(broker, approver, practitioner, client), answer(http.StatusOK, onID(b.Transitions)))
	authed.POST("/requests/:id/hold", allow(broker, practitioner), answer(http.StatusOK, withReason(b.HoldRequest)))
	authed.POST("/requests/:id/resume", allow(broker, practitioner), answer(http.StatusOK, withReason(b.ResumeRequest)))
	authed.POST("/requests/:id/cancel", allow(broker, practitioner), answer(http.StatusOK, withReason(b.CancelRequest)))

	authed.POST("/requests/:id/match", allow(broker), answer(http.StatusCreated, onID(b.RunMatch)))
	authed.GET("/requests/:id/match", allow(broker), answer(http.StatusOK, onID(b.LatestMatch)))
	authed.POST("/requests/:id/invitations", allow(broker), answer(http.StatusCreated, s.invite))
	authed.GET("/requests/:id/invitations", allow(broker), answer(http.StatusOK, onID(b.InvitationsOf)))
	authed.POST("/requests/:id/chase", allow(broker), answer(http.StatusOK, onID(b.Chase)))
	authed.POST("/requests/:id/deadline", allow(broker), answer(http.StatusOK, s.extendDeadline))

	authed.GET("/invitations", allow(provider), answer(http.StatusOK, forActor(b.Invitations)))
	authed.GET("/invitations/:id", allow(provider, broker), answer(http.StatusOK, onID(b.Invitation)))
	authed.POST("/invitations/:id/offer", allow(provider), answerKept(http.StatusCreated, b.MakeOffer))
	authed.POST("/invitations/:id/decline", allow(provider), answer(http.StatusOK, withReason(b.Decline)))
	authed.POST("/offers/:id/withdraw", allow(provider), answer(http.StatusOK, withReason(b.WithdrawOffer)))

	authed.GET("/approvals", allow(approver), answer(http.StatusOK, forActor(b.PendingApprovals)))
	authed.POST("/offers/:id/approve", allow(approver), answer(http.StatusOK, withNote(s.decideOffer(true))))
	authed.POST("/offers/:id/reject", allow(approver), answer(http.StatusOK, withNote(s.decideOffer(false))))

	authed.GET("/requests/:id/offers", allow(client, broker, practitioner, approver), answer(http.StatusOK, onID(b.Offers)))
	authed.POST("/requests/:id/choice", allow(client, broker), answerKept(http.StatusCreated, s.choose))
	authed.POST("/requests/:id/agreement", allow(client, broker), handle(s.agree))
	authed.POST("/requests/:id/cannot-start", allow(client, broker), answerKept(http.StatusOK, withReason(b.ChosenProviderCannotStart)))
}
