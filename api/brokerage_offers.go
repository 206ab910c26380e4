package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

type inviteBody struct {
	ServiceIDs []uuid.UUID `json:"service_ids"`
}

// invite sends the request to the services named.
// invited is the invite answer: the invitations, and a warning for each
// provider organisation nobody at which can receive its invitation by email.
type invited struct {
	Items    []brokerage.Invitation `json:"items"`
	Warnings []brokerage.Warning    `json:"warnings"`
}

func (s *Server) invite(ctx context.Context, a accounts.Actor, id uuid.UUID, body inviteBody) (invited, error) {
	invs, err := s.Brokerage.Invite(ctx, a, id, body.ServiceIDs)
	if err != nil {
		return invited{}, err
	}
	ws, err := s.Brokerage.InvitationWarnings(ctx, invs)
	if err != nil {
		return invited{}, err
	}
	return invited{Items: invs, Warnings: append([]brokerage.Warning{}, ws...)}, nil
}

type deadlineBody struct {
	Deadline time.Time `json:"deadline"`
}

// extendDeadline gives the invited providers until the new deadline.
func (s *Server) extendDeadline(ctx context.Context, a accounts.Actor, id uuid.UUID, body deadlineBody) (brokerage.RequestView, error) {
	if body.Deadline.IsZero() {
		return brokerage.RequestView{}, errs.InvalidField("deadline", "is required, like 2026-12-10T17:00:00Z")
	}
	return s.Brokerage.ExtendDeadline(ctx, a, id, body.Deadline)
}

// decideOffer is the approver's approval (approve) or rejection of an
// offer over budget, with its note.
func (s *Server) decideOffer(approve bool) textUseCase[brokerage.ApprovalView] {
	return func(ctx context.Context, a accounts.Actor, id uuid.UUID, note string) (brokerage.ApprovalView, error) {
		return s.Brokerage.DecideOffer(ctx, a, id, approve, note)
	}
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

// choose records the choice of an offer, reading the body the caller's
// role sends (each strictly: a field of the other is refused).
func (s *Server) choose(ctx context.Context, a accounts.Actor, id uuid.UUID, raw json.RawMessage) (brokerage.Choice, error) {
	var in brokerage.ChoiceInput
	if a.Is(accounts.Client) {
		var body clientChoiceBody
		if err := decodeStrict(raw, &body); err != nil {
			return brokerage.Choice{}, err
		}
		in = brokerage.ChoiceInput{OfferID: body.OfferID, RepresentativeName: body.RepresentativeName}
	} else {
		var body brokerChoiceBody
		if err := decodeStrict(raw, &body); err != nil {
			return brokerage.Choice{}, err
		}
		in = brokerage.ChoiceInput{OfferID: body.OfferID, Reason: body.Reason}
	}
	return s.Brokerage.Choose(ctx, a, id, in)
}

type agreeBody struct {
	StartDate day.Date `json:"start_date"`
}

// agree agrees the start date, which makes the service agreement; the
// answer is kept with it (keepInTx) and Location says where it is.
func (s *Server) agree(c *gin.Context) error {
	id, body, err := idAndInput[agreeBody](c)
	if err != nil {
		return err
	}
	a, err := s.Brokerage.AgreeStartDate(keepInTx(c, http.StatusCreated), actor(c), id, body.StartDate)
	if err != nil {
		return err
	}
	return created(c, "/api/v1/agreements/"+a.ID.String(), a)
}
