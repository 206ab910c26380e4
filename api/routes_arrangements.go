package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/errs"
)

// arrangementRoutes are every way a plan is met besides brokerage (issue
// 9): the plan view of each need's route and state, urgent and interim
// support, the direct payment team's queue and monitoring, alternative
// services, professional support, and reviews that change the plan.
// allow() is the role gate; the use cases decide, object by object, what
// the caller may see (not yours reads as 404).
func (s *Server) arrangementRoutes(authed *gin.RouterGroup) {
	const (
		practitioner = accounts.Practitioner
		broker       = accounts.Broker
		client       = accounts.Client
		admin        = accounts.Admin
	)
	authed.GET("/plans/:id/needs", allow(practitioner, broker, client), s.planNeeds)
	authed.GET("/persons/:id/needs", allow(practitioner, broker, client), s.personNeeds)
	authed.POST("/persons/:id/interim-support", allow(practitioner), s.raiseInterimSupport)

	authed.GET("/direct-payments", allow(practitioner, admin), s.listDirectPayments)
	authed.GET("/direct-payments/:id", allow(practitioner, admin), s.getDirectPayment)
	authed.POST("/direct-payments/:id/set-up", allow(practitioner), s.setUpDirectPayment)
	authed.POST("/direct-payments/:id/end", allow(practitioner), s.endDirectPayment)
	authed.POST("/direct-payments/:id/monitoring", allow(practitioner), s.recordMonitoring)

	authed.GET("/alternatives", allow(practitioner), s.listAlternatives)
	authed.GET("/alternatives/:id", allow(practitioner), s.getAlternative)
	authed.POST("/alternatives/:id/confirm", allow(practitioner), s.confirmAlternative)
	authed.POST("/alternatives/:id/interim-support", allow(practitioner), s.interimForAlternative)

	authed.GET("/persons/:id/professional-support", allow(practitioner, broker, client), s.listProfessionalSupport)
	authed.POST("/persons/:id/professional-support", allow(practitioner), s.recordProfessionalSupport)
	authed.POST("/professional-support/:id/records", allow(practitioner), s.addSupportRecord)
	authed.POST("/professional-support/:id/end", allow(practitioner), s.endProfessionalSupport)

	authed.POST("/reviews/:id/plan-change", allow(practitioner), s.changePlanAtReview)
}

func (s *Server) planNeeds(c *gin.Context) {
	if id, ok := brokerageID(c, "plan"); ok {
		v, err := s.Brokerage.PlanNeeds(c.Request.Context(), actor(c), id)
		s.ok(c, http.StatusOK, v, err)
	}
}

func (s *Server) personNeeds(c *gin.Context) {
	if id, ok := brokerageID(c, "person"); ok {
		v, err := s.Brokerage.PersonNeeds(c.Request.Context(), actor(c), id)
		s.ok(c, http.StatusOK, v, err)
	}
}

func (s *Server) raiseInterimSupport(c *gin.Context) {
	id, body, ok := idAndBody[brokerage.NewInterimSupport](c, "person")
	if !ok {
		return
	}
	v, err := s.Brokerage.RaiseInterimSupport(c.Request.Context(), actor(c), id, body)
	s.ok(c, http.StatusCreated, v, err)
}

// routeQuery reads the optional status and limit of a route list.
func routeQuery(c *gin.Context) (brokerage.RouteStatus, int, error) {
	limit, err := queryInt(c, "limit", 0)
	if err != nil || limit < 0 || limit > 500 {
		return "", 0, errs.InvalidField("limit", "must be a whole number from 1 to 500")
	}
	return brokerage.RouteStatus(c.Query("status")), limit, nil
}

func (s *Server) listDirectPayments(c *gin.Context) {
	status, limit, err := routeQuery(c)
	if err != nil {
		fail(c, err)
		return
	}
	ds, err := s.Brokerage.DirectPayments(c.Request.Context(), actor(c), brokerage.DirectPaymentFilter{Status: status, Limit: limit})
	s.ok(c, http.StatusOK, itemsJSON(ds), err)
}

func (s *Server) getDirectPayment(c *gin.Context) {
	if id, ok := brokerageID(c, "direct payment"); ok {
		d, err := s.Brokerage.DirectPayment(c.Request.Context(), actor(c), id)
		s.ok(c, http.StatusOK, d, err)
	}
}

func (s *Server) setUpDirectPayment(c *gin.Context) {
	id, body, ok := idAndBody[brokerage.DirectPaymentSetUp](c, "direct payment")
	if !ok {
		return
	}
	d, err := s.Brokerage.SetUpDirectPayment(c.Request.Context(), actor(c), id, body)
	s.ok(c, http.StatusOK, d, err)
}

func (s *Server) endDirectPayment(c *gin.Context) {
	id, body, ok := idAndBody[reasonBody](c, "direct payment")
	if !ok {
		return
	}
	d, err := s.Brokerage.EndDirectPayment(c.Request.Context(), actor(c), id, body.Reason)
	s.ok(c, http.StatusOK, d, err)
}

func (s *Server) recordMonitoring(c *gin.Context) {
	id, body, ok := idAndBody[brokerage.NewMonitoring](c, "direct payment")
	if !ok {
		return
	}
	m, err := s.Brokerage.RecordMonitoring(c.Request.Context(), actor(c), id, body)
	s.ok(c, http.StatusCreated, m, err)
}

func (s *Server) listAlternatives(c *gin.Context) {
	status, limit, err := routeQuery(c)
	if err != nil {
		fail(c, err)
		return
	}
	f := brokerage.AlternativeFilter{Status: status, Limit: limit}
	switch c.Query("overdue") {
	case "", "false":
	case "true":
		f.Overdue = true
	default:
		fail(c, errs.InvalidField("overdue", "must be true or false"))
		return
	}
	xs, err := s.Brokerage.Alternatives(c.Request.Context(), actor(c), f)
	s.ok(c, http.StatusOK, itemsJSON(xs), err)
}

func (s *Server) getAlternative(c *gin.Context) {
	if id, ok := brokerageID(c, "alternative service"); ok {
		x, err := s.Brokerage.Alternative(c.Request.Context(), actor(c), id)
		s.ok(c, http.StatusOK, x, err)
	}
}

func (s *Server) confirmAlternative(c *gin.Context) {
	id, ok := brokerageID(c, "alternative service")
	if !ok {
		return
	}
	var body noteBody // the same shape as an approval's note
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	x, err := s.Brokerage.ConfirmAlternative(c.Request.Context(), actor(c), id, body.Note)
	s.ok(c, http.StatusOK, x, err)
}

func (s *Server) interimForAlternative(c *gin.Context) {
	id, body, ok := idAndBody[brokerage.NewInterimSupport](c, "alternative service")
	if !ok {
		return
	}
	v, err := s.Brokerage.ArrangeInterimForAlternative(c.Request.Context(), actor(c), id, body)
	s.ok(c, http.StatusCreated, v, err)
}

func (s *Server) listProfessionalSupport(c *gin.Context) {
	if id, ok := brokerageID(c, "person"); ok {
		ps, err := s.Brokerage.ProfessionalSupportOf(c.Request.Context(), actor(c), id)
		s.ok(c, http.StatusOK, itemsJSON(ps), err)
	}
}

func (s *Server) recordProfessionalSupport(c *gin.Context) {
	id, body, ok := idAndBody[brokerage.NewProfessionalSupport](c, "person")
	if !ok {
		return
	}
	p, err := s.Brokerage.RecordProfessionalSupport(c.Request.Context(), actor(c), id, body)
	s.ok(c, http.StatusCreated, p, err)
}

func (s *Server) addSupportRecord(c *gin.Context) {
	id, body, ok := idAndBody[brokerage.NewSupportRecord](c, "professional support")
	if !ok {
		return
	}
	r, err := s.Brokerage.AddSupportRecord(c.Request.Context(), actor(c), id, body)
	s.ok(c, http.StatusCreated, r, err)
}

func (s *Server) endProfessionalSupport(c *gin.Context) {
	id, body, ok := idAndBody[reasonBody](c, "professional support")
	if !ok {
		return
	}
	p, err := s.Brokerage.EndProfessionalSupport(c.Request.Context(), actor(c), id, body.Reason)
	s.ok(c, http.StatusOK, p, err)
}

func (s *Server) changePlanAtReview(c *gin.Context) {
	id, body, ok := idAndBody[brokerage.ReviewChange](c, "review task")
	if !ok {
		return
	}
	v, err := s.Brokerage.ChangePlanAtReview(c.Request.Context(), actor(c), id, body)
	if err == nil {
		c.Header("Location", "/api/v1/plans/"+v.Plan.ID.String()+"/needs")
	}
	s.ok(c, http.StatusCreated, v, err)
}
