package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/errs"
)

func (s *Server) listRequests(c *gin.Context) {
	var f brokerage.RequestFilter
	for _, v := range c.QueryArray("status") {
		for _, st := range strings.Split(v, ",") {
			if st = strings.TrimSpace(st); st != "" {
				f.Statuses = append(f.Statuses, brokerage.Status(st))
			}
		}
	}
	for _, q := range []struct {
		name string
		dst  *uuid.UUID
	}{{"person_id", &f.PersonID}, {"plan_id", &f.PlanID}} {
		if v := c.Query(q.name); v != "" {
			id, err := uuid.Parse(v)
			if err != nil {
				fail(c, errs.InvalidField(q.name, "must be an id"))
				return
			}
			*q.dst = id
		}
	}
	rs, err := s.Brokerage.Requests(c.Request.Context(), actor(c), f)
	s.ok(c, http.StatusOK, itemsJSON(rs), err)
}

func (s *Server) getRequest(c *gin.Context) {
	id, ok := brokerageID(c, "request")
	if !ok {
		return
	}
	r, err := s.Brokerage.Request(c.Request.Context(), actor(c), id)
	s.ok(c, http.StatusOK, r, err)
}

func (s *Server) listTransitions(c *gin.Context) {
	id, ok := brokerageID(c, "request")
	if !ok {
		return
	}
	ts, err := s.Brokerage.Transitions(c.Request.Context(), actor(c), id)
	s.ok(c, http.StatusOK, itemsJSON(ts), err)
}

type requestChange func(s *brokerage.Service, c *gin.Context, id uuid.UUID, reason string) (brokerage.RequestView, error)

func (s *Server) changeRequest(c *gin.Context, change requestChange) {
	id, body, ok := idAndBody[reasonBody](c, "request")
	if !ok {
		return
	}
	r, err := change(s.Brokerage, c, id, body.Reason)
	s.ok(c, http.StatusOK, r, err)
}

func (s *Server) holdRequest(c *gin.Context) {
	s.changeRequest(c, func(b *brokerage.Service, c *gin.Context, id uuid.UUID, why string) (brokerage.RequestView, error) {
		return b.HoldRequest(c.Request.Context(), actor(c), id, why)
	})
}

func (s *Server) resumeRequest(c *gin.Context) {
	s.changeRequest(c, func(b *brokerage.Service, c *gin.Context, id uuid.UUID, why string) (brokerage.RequestView, error) {
		return b.ResumeRequest(c.Request.Context(), actor(c), id, why)
	})
}

func (s *Server) cancelRequest(c *gin.Context) {
	s.changeRequest(c, func(b *brokerage.Service, c *gin.Context, id uuid.UUID, why string) (brokerage.RequestView, error) {
		return b.CancelRequest(c.Request.Context(), actor(c), id, why)
	})
}
