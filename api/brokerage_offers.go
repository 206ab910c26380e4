package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

func (s *Server) runMatch(c *gin.Context) {
	id, ok := brokerageID(c, "request")
	if !ok {
		return
	}
	m, err := s.Brokerage.RunMatch(c.Request.Context(), actor(c), id)
	s.ok(c, http.StatusCreated, m, err)
}

func (s *Server) latestMatch(c *gin.Context) {
	id, ok := brokerageID(c, "request")
	if !ok {
		return
	}
	m, err := s.Brokerage.LatestMatch(c.Request.Context(), actor(c), id)
	s.ok(c, http.StatusOK, m, err)
}

type inviteBody struct {
	ServiceIDs []uuid.UUID `json:"service_ids"`
}

func (s *Server) invite(c *gin.Context) {
	id, body, ok := idAndBody[inviteBody](c, "request")
	if !ok {
		return
	}
	invs, err := s.Brokerage.Invite(c.Request.Context(), actor(c), id, body.ServiceIDs)
	s.ok(c, http.StatusCreated, itemsJSON(invs), err)
}

func (s *Server) requestInvitations(c *gin.Context) {
	id, ok := brokerageID(c, "request")
	if !ok {
		return
	}
	vs, err := s.Brokerage.InvitationsOf(c.Request.Context(), actor(c), id)
	s.ok(c, http.StatusOK, itemsJSON(vs), err)
}

func (s *Server) chase(c *gin.Context) {
	id, ok := brokerageID(c, "request")
	if !ok {
		return
	}
	invs, err := s.Brokerage.Chase(c.Request.Context(), actor(c), id)
	s.ok(c, http.StatusOK, itemsJSON(invs), err)
}

type deadlineBody struct {
	Deadline time.Time `json:"deadline"`
}

func (s *Server) extendDeadline(c *gin.Context) {
	id, body, ok := idAndBody[deadlineBody](c, "request")
	if !ok {
		return
	}
	if body.Deadline.IsZero() {
		fail(c, errs.InvalidField("deadline", "is required, like 2026-12-10T17:00:00Z"))
		return
	}
	r, err := s.Brokerage.ExtendDeadline(c.Request.Context(), actor(c), id, body.Deadline)
	s.ok(c, http.StatusOK, r, err)
}

func (s *Server) listInvitations(c *gin.Context) {
	vs, err := s.Brokerage.Invitations(c.Request.Context(), actor(c))
	s.ok(c, http.StatusOK, itemsJSON(vs), err)
}

func (s *Server) getInvitation(c *gin.Context) {
	id, ok := brokerageID(c, "invitation")
	if !ok {
		return
	}
	v, err := s.Brokerage.Invitation(c.Request.Context(), actor(c), id)
	s.ok(c, http.StatusOK, v, err)
}

func (s *Server) makeOffer(c *gin.Context) {
	id, body, ok := idAndBody[brokerage.NewOffer](c, "invitation")
	if !ok {
		return
	}
	o, err := s.Brokerage.MakeOffer(keepInTx(c, http.StatusCreated), actor(c), id, body)
	s.ok(c, http.StatusCreated, o, err)
}

func (s *Server) decline(c *gin.Context) {
	id, body, ok := idAndBody[reasonBody](c, "invitation")
	if !ok {
		return
	}
	v, err := s.Brokerage.Decline(c.Request.Context(), actor(c), id, body.Reason)
	s.ok(c, http.StatusOK, v, err)
}

func (s *Server) withdrawOffer(c *gin.Context) {
	id, body, ok := idAndBody[reasonBody](c, "offer")
	if !ok {
		return
	}
	o, err := s.Brokerage.WithdrawOffer(c.Request.Context(), actor(c), id, body.Reason)
	s.ok(c, http.StatusOK, o, err)
}

func (s *Server) listApprovals(c *gin.Context) {
	vs, err := s.Brokerage.PendingApprovals(c.Request.Context(), actor(c))
	s.ok(c, http.StatusOK, itemsJSON(vs), err)
}

type noteBody struct {
	Note string `json:"note"`
}

func (s *Server) decideOffer(c *gin.Context, approve bool) {
	id, body, ok := idAndBody[noteBody](c, "offer")
	if !ok {
		return
	}
	v, err := s.Brokerage.DecideOffer(c.Request.Context(), actor(c), id, approve, body.Note)
	s.ok(c, http.StatusOK, v, err)
}

func (s *Server) approveOffer(c *gin.Context) { s.decideOffer(c, true) }
func (s *Server) rejectOffer(c *gin.Context)  { s.decideOffer(c, false) }

func (s *Server) compareOffers(c *gin.Context) {
	id, ok := brokerageID(c, "request")
	if !ok {
		return
	}
	cmp, err := s.Brokerage.Offers(c.Request.Context(), actor(c), id)
	s.ok(c, http.StatusOK, cmp, err)
}

// The choice body differs by role: the person (or their representative)
// may name the representative choosing; a broker records the person's
// choice and may say how it was made.
type clientChoiceBody struct {
	OfferID            uuid.UUID `json:"offer_id"`
	RepresentativeName string    `json:"representative_name"`
}

type brokerChoiceBody struct {
	OfferID uuid.UUID `json:"offer_id"`
	Reason  string    `json:"reason"`
}

func (s *Server) choose(c *gin.Context) {
	id, ok := brokerageID(c, "request")
	if !ok {
		return
	}
	var in brokerage.ChoiceInput
	if actor(c).Is(accounts.Client) {
		var body clientChoiceBody
		if err := bindJSON(c, &body); err != nil {
			fail(c, err)
			return
		}
		in = brokerage.ChoiceInput{OfferID: body.OfferID, RepresentativeName: body.RepresentativeName}
	} else {
		var body brokerChoiceBody
		if err := bindJSON(c, &body); err != nil {
			fail(c, err)
			return
		}
		in = brokerage.ChoiceInput{OfferID: body.OfferID, Reason: body.Reason}
	}
	choice, err := s.Brokerage.Choose(keepInTx(c, http.StatusCreated), actor(c), id, in)
	s.ok(c, http.StatusCreated, choice, err)
}

type agreeBody struct {
	StartDate day.Date `json:"start_date"`
}

func (s *Server) agree(c *gin.Context) {
	id, body, ok := idAndBody[agreeBody](c, "request")
	if !ok {
		return
	}
	a, err := s.Brokerage.AgreeStartDate(keepInTx(c, http.StatusCreated), actor(c), id, body.StartDate)
	if err == nil {
		c.Header("Location", "/api/v1/agreements/"+a.ID.String())
	}
	s.ok(c, http.StatusCreated, a, err)
}

// chosenProviderCannotStart undoes the choice when the chosen provider
// cannot start (an agreement refused for want of capacity, say).
func (s *Server) chosenProviderCannotStart(c *gin.Context) {
	id, body, ok := idAndBody[reasonBody](c, "request")
	if !ok {
		return
	}
	r, err := s.Brokerage.ChosenProviderCannotStart(keepInTx(c, http.StatusOK), actor(c), id, body.Reason)
	s.ok(c, http.StatusOK, r, err)
}
