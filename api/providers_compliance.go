package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/providers"
)

type complianceResponse struct {
	OrganisationID       uuid.UUID                `json:"organisation_id"`
	ContractStatus       providers.ContractStatus `json:"contract_status"`
	ContractStatusReason string                   `json:"contract_status_reason,omitempty"`
	Memberships          []providers.Membership   `json:"memberships"`
	Suspensions          []providers.Suspension   `json:"suspensions"`
	Documents            []providers.Document     `json:"documents"`
}

func (s *Server) getCompliance(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	ctx, a := c.Request.Context(), actor(c)
	org, err := s.Providers.OrganisationFor(ctx, a, id)
	if err != nil {
		fail(c, err)
		return
	}
	resp := complianceResponse{OrganisationID: org.ID, ContractStatus: org.ContractStatus, ContractStatusReason: org.ContractStatusReason}
	if resp.Memberships, err = s.Providers.Memberships(ctx, a, id); err != nil {
		fail(c, err)
		return
	}
	if resp.Suspensions, err = s.Providers.Suspensions(ctx, a, id); err != nil {
		fail(c, err)
		return
	}
	resp.Documents, err = s.Providers.Documents(ctx, a, id)
	respond(c, http.StatusOK, resp, err)
}

func (s *Server) setContractStatus(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	var body providers.ContractChange
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	org, err := s.Providers.SetContractStatus(c.Request.Context(), actor(c), id, body)
	respond(c, http.StatusOK, org, err)
}

func (s *Server) addMembership(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	var body providers.NewMembership
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	m, err := s.Providers.AddMembership(c.Request.Context(), actor(c), id, body)
	respond(c, http.StatusCreated, m, err)
}

func (s *Server) endMembership(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	var body providers.SpanEnd
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	m, err := s.Providers.EndMembership(c.Request.Context(), actor(c), id, body)
	respond(c, http.StatusOK, m, err)
}

func (s *Server) suspend(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	var body providers.NewSuspension
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	sus, err := s.Providers.Suspend(c.Request.Context(), actor(c), id, body)
	respond(c, http.StatusCreated, sus, err)
}

func (s *Server) endSuspension(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	var body providers.SpanEnd
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	sus, err := s.Providers.EndSuspension(c.Request.Context(), actor(c), id, body)
	respond(c, http.StatusOK, sus, err)
}

func (s *Server) listDocuments(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	docs, err := s.Providers.Documents(c.Request.Context(), actor(c), id)
	respond(c, http.StatusOK, gin.H{"documents": docs}, err)
}

func (s *Server) addDocument(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	var body providers.NewDocument
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	doc, err := s.Providers.AddDocument(c.Request.Context(), actor(c), id, body)
	respond(c, http.StatusCreated, doc, err)
}

func (s *Server) reviewDocument(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	var body providers.DocumentReview
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	doc, err := s.Providers.ReviewDocument(c.Request.Context(), actor(c), id, body)
	respond(c, http.StatusOK, doc, err)
}

func (s *Server) listFrameworks(c *gin.Context) {
	fs, err := s.Providers.Frameworks(c.Request.Context())
	respond(c, http.StatusOK, gin.H{"frameworks": fs}, err)
}

func (s *Server) createFramework(c *gin.Context) {
	var body providers.NewFramework
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	f, err := s.Providers.CreateFramework(c.Request.Context(), actor(c), body)
	respond(c, http.StatusCreated, f, err)
}

// getEligibility says whether the service is compliant on a day (?on=,
// today by default), and why not: the matcher's rules, asked through
// brokerage, so the answer is the one a match on that day would give.
func (s *Server) getEligibility(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	on := s.today()
	if raw := c.Query("on"); raw != "" {
		d, err := day.Parse(raw)
		if err != nil {
			fail(c, errs.InvalidField("on", "%v", err))
			return
		}
		on = d
	}
	ctx := c.Request.Context()
	if _, err := s.Providers.ServiceFor(ctx, actor(c), id); err != nil {
		fail(c, err)
		return
	}
	got, err := s.Brokerage.Eligibility(ctx, on, []uuid.UUID{id})
	respond(c, http.StatusOK, got[id], err)
}
