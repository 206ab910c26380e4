package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/brokerage"
)

// arrangementRoutes are every way a plan is met besides brokerage (issue
// 9): the plan view of each need's route and state, urgent and interim
// support, the direct payment team's queue and monitoring, alternative
// services, professional support, and reviews that change the plan.
// allow() is the role gate; the use cases decide, object by object, what
// the caller may see (not yours reads as 404).
func (s *Server) arrangementRoutes(authed *gin.RouterGroup) {
	b := s.Brokerage
	authed.GET("/plans/:id/needs", allow(practitioner, broker, client), answer(http.StatusOK, onID(b.PlanNeeds)))
	authed.GET("/persons/:id/needs", allow(practitioner, broker, client), answer(http.StatusOK, onID(b.PersonNeeds)))
	authed.POST("/persons/:id/interim-support", allow(practitioner), answer(http.StatusCreated, b.RaiseInterimSupport))

	authed.GET("/direct-payments", allow(practitioner, admin), answer(http.StatusOK, onInput(s.directPayments)))
	authed.GET("/direct-payments/:id", allow(practitioner, admin), answer(http.StatusOK, onID(b.DirectPayment)))
	authed.POST("/direct-payments/:id/set-up", allow(practitioner), answer(http.StatusOK, b.SetUpDirectPayment))
	authed.POST("/direct-payments/:id/end", allow(practitioner), answer(http.StatusOK, withReason(b.EndDirectPayment)))
	authed.POST("/direct-payments/:id/monitoring", allow(practitioner), answer(http.StatusCreated, b.RecordMonitoring))

	authed.GET("/alternatives", allow(practitioner), answer(http.StatusOK, onInput(s.alternatives)))
	authed.GET("/alternatives/:id", allow(practitioner), answer(http.StatusOK, onID(b.Alternative)))
	authed.POST("/alternatives/:id/confirm", allow(practitioner), answer(http.StatusOK, withNote(b.ConfirmAlternative)))
	authed.POST("/alternatives/:id/interim-support", allow(practitioner), answer(http.StatusCreated, b.ArrangeInterimForAlternative))

	authed.GET("/persons/:id/professional-support", allow(practitioner, broker, client), answer(http.StatusOK, onID(b.ProfessionalSupportOf)))
	authed.POST("/persons/:id/professional-support", allow(practitioner), answer(http.StatusCreated, b.RecordProfessionalSupport))
	authed.POST("/professional-support/:id/records", allow(practitioner), answer(http.StatusCreated, b.AddSupportRecord))
	authed.POST("/professional-support/:id/end", allow(practitioner), answer(http.StatusOK, withReason(b.EndProfessionalSupport)))

	authed.POST("/reviews/:id/plan-change", allow(practitioner), handle(s.changePlanAtReview))
}

// directPayments is the direct payment team's queue, by status.
func (s *Server) directPayments(ctx context.Context, a accounts.Actor, q listQuery) ([]brokerage.DirectPaymentView, error) {
	return s.Brokerage.DirectPayments(ctx, a, brokerage.DirectPaymentFilter{Status: brokerage.RouteStatus(q.Status), Limit: q.Limit})
}

// alternativesQuery is listQuery with overdue (true: only those overdue
// for confirmation).
type alternativesQuery struct {
	listQuery
	Overdue bool
}

func (q *alternativesQuery) readInput(c *gin.Context) (err error) {
	if err = q.listQuery.readInput(c); err != nil {
		return err
	}
	q.Overdue, err = queryBool(c, "overdue")
	return err
}

// alternatives lists alternative services by status, or those overdue for
// confirmation.
func (s *Server) alternatives(ctx context.Context, a accounts.Actor, q alternativesQuery) ([]brokerage.AlternativeView, error) {
	return s.Brokerage.Alternatives(ctx, a, brokerage.AlternativeFilter{Status: brokerage.RouteStatus(q.Status), Limit: q.Limit, Overdue: q.Overdue})
}

// changePlanAtReview signs off the plan's new version a review decided,
// and says where its needs are (Location).
func (s *Server) changePlanAtReview(c *gin.Context) error {
	id, body, err := idAndInput[brokerage.ReviewChange](c)
	if err != nil {
		return err
	}
	v, err := s.Brokerage.ChangePlanAtReview(c.Request.Context(), actor(c), id, body)
	if err != nil {
		return err
	}
	return created(c, "/api/v1/plans/"+v.Plan.ID.String()+"/needs", v)
}
