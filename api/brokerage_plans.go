package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/brokerage"
)

func (s *Server) createPerson(c *gin.Context) {
	var body brokerage.NewPerson
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	p, err := s.Brokerage.CreatePerson(c.Request.Context(), actor(c), body)
	s.ok(c, http.StatusCreated, p, err)
}

func (s *Server) listPersons(c *gin.Context) {
	ps, err := s.Brokerage.Persons(c.Request.Context(), actor(c))
	s.ok(c, http.StatusOK, itemsJSON(ps), err)
}

func (s *Server) getPerson(c *gin.Context) {
	id, ok := brokerageID(c, "person")
	if !ok {
		return
	}
	p, err := s.Brokerage.Person(c.Request.Context(), actor(c), id)
	s.ok(c, http.StatusOK, p, err)
}

func (s *Server) listPlans(c *gin.Context) {
	id, ok := brokerageID(c, "person")
	if !ok {
		return
	}
	ps, err := s.Brokerage.PlansOf(c.Request.Context(), actor(c), id)
	s.ok(c, http.StatusOK, itemsJSON(ps), err)
}

func (s *Server) submitPlan(c *gin.Context) {
	var body brokerage.NewPlan
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	p, err := s.Brokerage.SubmitPlan(c.Request.Context(), actor(c), body)
	if err == nil {
		c.Header("Location", "/api/v1/plans/"+p.ID.String())
	}
	s.ok(c, http.StatusCreated, p, err)
}

func (s *Server) getPlan(c *gin.Context) {
	id, ok := brokerageID(c, "plan")
	if !ok {
		return
	}
	p, err := s.Brokerage.Plan(c.Request.Context(), actor(c), id)
	s.ok(c, http.StatusOK, p, err)
}

func (s *Server) updatePlan(c *gin.Context) {
	id, body, ok := idAndBody[brokerage.PlanContent](c, "plan")
	if !ok {
		return
	}
	p, err := s.Brokerage.UpdatePlan(c.Request.Context(), actor(c), id, body)
	s.ok(c, http.StatusOK, p, err)
}

type signedOffJSON struct {
	Plan     brokerage.Plan      `json:"plan"`
	Requests []brokerage.Request `json:"requests"`
}

func (s *Server) signOffPlan(c *gin.Context) {
	id, ok := brokerageID(c, "plan")
	if !ok {
		return
	}
	p, reqs, err := s.Brokerage.SignOffPlan(c.Request.Context(), actor(c), id)
	if reqs == nil {
		reqs = []brokerage.Request{}
	}
	s.ok(c, http.StatusOK, signedOffJSON{Plan: p, Requests: reqs}, err)
}

func (s *Server) getSettings(c *gin.Context) {
	set, err := s.Brokerage.Settings(c.Request.Context(), actor(c))
	s.ok(c, http.StatusOK, set, err)
}

func (s *Server) updateSettings(c *gin.Context) {
	var body brokerage.NewSettings
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	set, err := s.Brokerage.UpdateSettings(c.Request.Context(), actor(c), body)
	s.ok(c, http.StatusOK, set, err)
}
