package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/plans"
)

// submitPlan records a draft plan and says where it is (Location).
func (s *Server) submitPlan(c *gin.Context) error {
	var body plans.NewPlan
	if err := bindJSON(c, &body); err != nil {
		return err
	}
	p, err := s.Brokerage.Plans().SubmitPlan(c.Request.Context(), actor(c), body)
	if err != nil {
		return err
	}
	return created(c, "/api/v1/plans/"+p.ID.String(), p)
}

type signedOffJSON struct {
	Plan     plans.Plan          `json:"plan"`
	Requests []brokerage.Request `json:"requests"`
}

// signOffPlan signs the plan off, answering with the requests it opened.
func (s *Server) signOffPlan(ctx context.Context, a accounts.Actor, id uuid.UUID) (signedOffJSON, error) {
	p, reqs, err := s.Brokerage.SignOffPlan(ctx, a, id)
	if reqs == nil {
		reqs = []brokerage.Request{}
	}
	return signedOffJSON{Plan: p, Requests: reqs}, err
}

// created renders what a request made with 201 Created and its address in
// Location.
func created(c *gin.Context, location string, v any) error {
	c.Header("Location", location)
	return render(c, http.StatusCreated, v)
}
