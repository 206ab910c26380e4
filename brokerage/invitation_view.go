package brokerage

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/plans"
	"github.com/carebroker/carebroker/providers"
)

// RequestSummary is what a provider is told about a request: enough to
// decide whether and what to offer, and nothing that names the person (no
// name, date of birth, address or full postcode). The full picture comes
// in the agreement's information pack, to the provider chosen.
type RequestSummary struct {
	Reference        string                `json:"reference"`
	ServiceType      providers.ServiceType `json:"service_type"`
	Specialist       bool                  `json:"specialist"`
	HoursPerWeek     int                   `json:"hours_per_week"`
	Places           int                   `json:"places"`
	Amount           string                `json:"amount"`
	PostcodeDistrict string                `json:"postcode_district"`
	StartDate        day.Date              `json:"start_date"`
	Urgency          plans.Urgency         `json:"urgency"`
	Preferences      plans.Preferences     `json:"preferences"`
	Deadline         time.Time             `json:"deadline"`
	OutOfArea        bool                  `json:"out_of_area"`
}

func summarise(r Request, deadline time.Time) RequestSummary {
	return RequestSummary{
		Reference: r.Reference, ServiceType: r.ServiceType, Specialist: r.Specialist, HoursPerWeek: r.HoursPerWeek,
		Places: r.Places, Amount: r.Amount(), PostcodeDistrict: plans.PostcodeDistrict(r.Postcode), StartDate: r.StartDate,
		Urgency: r.Urgency, Preferences: r.Preferences, Deadline: deadline, OutOfArea: r.OutOfArea,
	}
}

// InvitationView is an invitation as the provider (or a broker) reads it,
// with the provider's latest offer and where things stand.
type InvitationView struct {
	Invitation
	Request RequestSummary `json:"request"`
	Offer   *Offer         `json:"offer,omitempty"`
	// Outcome is where the invitation stands for the provider:
	// awaiting_answer, expired, declined, offered, awaiting_budget_approval,
	// chosen, agreed, not_chosen, cannot_start, withdrawn or closed.
	Outcome string `json:"outcome"`
	// AgreedStartDate is the start date, once agreed on this provider's offer.
	AgreedStartDate day.Date `json:"agreed_start_date"`
}

func viewInvitation(inv Invitation, r Request, offers []Offer, now time.Time) InvitationView {
	v := InvitationView{Invitation: inv, Request: summarise(r, inv.Deadline)}
	for i := range offers {
		if offers[i].InvitationID == inv.ID {
			o := offers[i]
			v.Offer = &o // offers come oldest first: keep the latest
		}
	}
	switch {
	case v.Offer != nil && v.Offer.Status == OfferChosen && r.Status == Agreed:
		v.Outcome, v.AgreedStartDate = "agreed", r.AgreedStartDate
	case v.Offer != nil && v.Offer.Status == OfferChosen:
		v.Outcome = "chosen"
	case v.Offer != nil && v.Offer.Status == OfferNotChosen:
		v.Outcome = "not_chosen"
	case v.Offer != nil && v.Offer.Status == OfferCannotStart:
		v.Outcome = "cannot_start"
	case v.Offer != nil && v.Offer.Status == OfferOpen && v.Offer.Approval == ApprovalPending:
		v.Outcome = "awaiting_budget_approval"
	case v.Offer != nil && v.Offer.Status == OfferOpen:
		v.Outcome = "offered"
	case inv.Status == InvitationDeclined:
		v.Outcome = "declined"
	case r.Status == Cancelled || r.Status == Chosen || r.Status == Agreed:
		v.Outcome = "closed"
	case v.Offer != nil && v.Offer.Status == OfferWithdrawn && now.After(inv.Deadline):
		v.Outcome = "withdrawn"
	case now.After(inv.Deadline):
		v.Outcome = "expired"
	default:
		v.Outcome = "awaiting_answer"
	}
	return v
}

// Invitations lists the invitations sent to the provider user's own
// organisation, newest first. Other roles are Forbidden.
func (s *Service) Invitations(ctx context.Context, a accounts.Actor) ([]InvitationView, error) {
	if err := a.Require(accounts.ProviderUser); err != nil {
		return nil, err
	}
	invs, err := s.store.invitationsForOrg(ctx, a.ProviderOrgID, 500)
	if err != nil {
		return nil, err
	}
	return s.invitationViews(ctx, invs)
}

// Invitation returns one invitation: to a user of the invited organisation
// or a broker. Anyone else gets NotFound.
func (s *Service) Invitation(ctx context.Context, a accounts.Actor, id uuid.UUID) (InvitationView, error) {
	inv, err := s.store.invitation(ctx, id, false)
	if err != nil {
		return InvitationView{}, err
	}
	if !canSeeInvitation(a, inv) {
		return InvitationView{}, errNoInvitation
	}
	vs, err := s.invitationViews(ctx, []Invitation{inv})
	if err != nil {
		return InvitationView{}, err
	}
	return vs[0], nil
}

// InvitationsOf lists a request's invitations with their offers, for
// brokers. Others get Forbidden.
func (s *Service) InvitationsOf(ctx context.Context, a accounts.Actor, requestID uuid.UUID) ([]InvitationView, error) {
	if err := a.Require(accounts.Broker); err != nil {
		return nil, err
	}
	if _, err := s.store.request(ctx, requestID, false); err != nil {
		return nil, err
	}
	invs, err := s.store.invitationsOf(ctx, requestID)
	if err != nil {
		return nil, err
	}
	return s.invitationViews(ctx, invs)
}

func (s *Service) invitationViews(ctx context.Context, invs []Invitation) ([]InvitationView, error) {
	ids := make([]uuid.UUID, len(invs))
	for i, inv := range invs {
		ids[i] = inv.ID
	}
	offers, err := s.store.offersByInvitation(ctx, ids)
	if err != nil {
		return nil, err
	}
	requests := map[uuid.UUID]Request{}
	now := s.clock()
	out := make([]InvitationView, len(invs))
	for i, inv := range invs {
		r, ok := requests[inv.RequestID]
		if !ok {
			if r, err = s.store.request(ctx, inv.RequestID, false); err != nil {
				return nil, errs.Internalf(err, "invitation %s: its request", inv.ID)
			}
			requests[inv.RequestID] = r
		}
		out[i] = viewInvitation(inv, r, offers, now)
	}
	return out, nil
}

// canSeeInvitation: the invited organisation's users, and brokers.
func canSeeInvitation(a accounts.Actor, inv Invitation) bool {
	switch a.Role {
	case accounts.ProviderUser:
		return a.ProviderOrgID != uuid.Nil && a.ProviderOrgID == inv.ProviderOrgID
	case accounts.Broker:
		return true
	}
	return false
}
