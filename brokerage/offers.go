package brokerage

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/idempotency"
	"github.com/carebroker/carebroker/internal/money"
)

// Rows are locked in one order everywhere: request, then invitation, then
// offer, so that concurrent use cases queue instead of deadlocking.

// providerInvitation locks the request and then the invitation, for a user
// of the invited organisation (NotFound for anyone else).
func (s *Service) providerInvitation(ctx context.Context, tx *Store, a accounts.Actor, invitationID uuid.UUID) (Request, Invitation, error) {
	if err := a.Require(accounts.ProviderUser); err != nil {
		return Request{}, Invitation{}, err
	}
	peek, err := tx.invitation(ctx, invitationID, false)
	if err != nil {
		return Request{}, Invitation{}, err
	}
	if !canSeeInvitation(a, peek) {
		return Request{}, Invitation{}, errNoInvitation
	}
	r, err := tx.request(ctx, peek.RequestID, true)
	if err != nil {
		return Request{}, Invitation{}, err
	}
	inv, err := tx.invitation(ctx, invitationID, true)
	return r, inv, err
}

// MakeOffer records a provider's offer on its invitation. An offer above
// the request's weekly budget is marked and waits for a budget approver.
// It returns Forbidden for anyone but a provider user, NotFound for another
// organisation's invitation, Invalid naming the field that is wrong, and
// Conflict when the request is not taking offers, the deadline has passed,
// or the invitation already has an offer or was declined.
func (s *Service) MakeOffer(ctx context.Context, a accounts.Actor, invitationID uuid.UUID, n NewOffer) (Offer, error) {
	var o Offer
	err := s.store.inTx(ctx, func(tx *Store) error {
		r, inv, err := s.providerInvitation(ctx, tx, a, invitationID)
		if err != nil {
			return err
		}
		if err := n.Validate(r, s.today()); err != nil {
			return err
		}
		now := s.clock()
		t, err := r.ReceiveOffer(now)
		if err != nil {
			return err
		}
		if err := inv.Answer(now); err != nil {
			return err
		}
		o = Offer{
			InvitationID: inv.ID, RequestID: r.ID, ProviderOrgID: inv.ProviderOrgID, ServiceID: inv.ServiceID,
			WeeklyPricePence: n.WeeklyPricePence, HourlyRatePence: n.HourlyRatePence, HoursPerWeek: n.HoursPerWeek, Places: n.Places,
			EarliestStart: n.EarliestStart, ValidUntil: n.ValidUntil, Notes: n.Notes, Status: OfferOpen,
			OverBudget: r.Funding != SelfFunded && n.WeeklyPricePence > r.BudgetWeeklyPence, Approval: ApprovalNotNeeded, CreatedBy: a.UserID, CreatedAt: now,
		}
		if o.OverBudget {
			o.Approval = ApprovalPending
		}
		if err := tx.insertOffer(ctx, &o); err != nil {
			return err
		}
		if err := tx.saveInvitation(ctx, &inv); err != nil {
			return err
		}
		if t != nil {
			if err := s.record(ctx, tx, a, "", &r, t, "request.offers_received", nil); err != nil {
				return err
			}
		}
		if err := audit.Record(ctx, tx.Conn(), audit.Entry{Actor: a, Action: "offer.make", ObjectType: "offer", ObjectID: o.ID.String(),
			PersonID: r.PersonID, Summary: offerSummary(o)}); err != nil {
			return err
		}
		if err := s.announceOffer(ctx, tx, r, inv, o); err != nil {
			return err
		}
		return idempotency.Keep(ctx, tx.Tx(), o)
	})
	return o, err
}

// announceOffer tells brokers an offer is in; a budget approver when it is
// over budget; the person when they can choose it.
func (s *Service) announceOffer(ctx context.Context, tx *Store, r Request, inv Invitation, o Offer) error {
	what := fmt.Sprintf("%s offers %s (%s) from %s", inv.ProviderName, moneyWeek(o.WeeklyPricePence), Amount(o.HoursPerWeek, o.Places), o.EarliestStart.UK())
	notes := []agreements.Notification{{
		Kind: "offer.received", Audience: agreements.ToRole(accounts.Broker), IdempotencyKey: "offer.received:brokers:" + o.ID.String(),
		ObjectType: "request", ObjectID: r.ID.String(), Link: "/api/v1/requests/" + r.ID.String() + "/offers",
		Subject: fmt.Sprintf("Offer received for request %s", r.Reference), Body: what + ".",
	}}
	if o.OverBudget {
		notes = append(notes, agreements.Notification{
			Kind: "offer.needs_approval", Audience: agreements.ToRole(accounts.BudgetApprover), IdempotencyKey: "offer.needs_approval:" + o.ID.String(),
			ObjectType: "offer", ObjectID: o.ID.String(), Link: "/api/v1/approvals",
			Subject: fmt.Sprintf("Offer over budget for request %s needs approval", r.Reference),
			Body:    fmt.Sprintf("%s: %s over the %s weekly budget.", what, money.Format(o.WeeklyPricePence-r.BudgetWeeklyPence), money.Format(r.BudgetWeeklyPence)),
		})
	} else {
		notes = append(notes, s.personOfferNote(r, inv, o))
	}
	for _, n := range notes {
		if err := s.tell(ctx, tx, n); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) personOfferNote(r Request, inv Invitation, o Offer) agreements.Notification {
	return agreements.Notification{
		Kind: "offer.available", Audience: agreements.ToPerson(r.PersonID), IdempotencyKey: "offer.available:" + o.ID.String(),
		ObjectType: "request", ObjectID: r.ID.String(), Link: "/api/v1/requests/" + r.ID.String() + "/offers",
		Subject: fmt.Sprintf("An offer for your %s", r.ServiceType.Label()),
		Body:    fmt.Sprintf("%s can provide %s from %s for %s. You can compare the offers and choose.", inv.ProviderName, Amount(o.HoursPerWeek, o.Places), o.EarliestStart.UK(), moneyWeek(o.WeeklyPricePence)),
	}
}

// Decline records a provider's refusal of its invitation, with a reason.
// Errors are as for MakeOffer; a missing reason is Invalid "reason".
func (s *Service) Decline(ctx context.Context, a accounts.Actor, invitationID uuid.UUID, reason string) (InvitationView, error) {
	err := s.store.inTx(ctx, func(tx *Store) error {
		r, inv, err := s.providerInvitation(ctx, tx, a, invitationID)
		if err != nil {
			return err
		}
		if !r.Status.TakesOffers() {
			return errs.Conflictf("request %s %s and no longer needs an answer", r.Reference, r.Status.Is())
		}
		if err := inv.Decline(s.clock(), reason); err != nil {
			return err
		}
		if err := tx.saveInvitation(ctx, &inv); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx.Conn(), audit.Entry{Actor: a, Action: "invitation.decline", ObjectType: "invitation", ObjectID: inv.ID.String(),
			PersonID: r.PersonID, Summary: map[string]any{"before": map[string]any{"status": InvitationSent},
				"after": map[string]any{"status": InvitationDeclined}, "reason": inv.DeclineReason}}); err != nil {
			return err
		}
		return s.tell(ctx, tx, agreements.Notification{
			Kind: "invitation.declined", Audience: agreements.ToRole(accounts.Broker), IdempotencyKey: "invitation.declined:" + inv.ID.String(),
			ObjectType: "request", ObjectID: r.ID.String(), Link: "/api/v1/requests/" + r.ID.String() + "/invitations",
			Subject: fmt.Sprintf("%s declined request %s", inv.ProviderName, r.Reference), Body: inv.DeclineReason,
		})
	})
	if err != nil {
		return InvitationView{}, err
	}
	return s.Invitation(ctx, a, invitationID)
}

// WithdrawOffer takes back a provider's open offer; its invitation can be
// answered again before the deadline. It returns Forbidden for anyone but
// a provider user, NotFound for another organisation's offer, and Conflict
// once the offer is chosen, closed or already withdrawn.
func (s *Service) WithdrawOffer(ctx context.Context, a accounts.Actor, offerID uuid.UUID, reason string) (Offer, error) {
	if err := a.Require(accounts.ProviderUser); err != nil {
		return Offer{}, err
	}
	var o Offer
	err := s.store.inTx(ctx, func(tx *Store) error {
		r, inv, locked, err := tx.lockOffer(ctx, offerID, true, func(peek Offer) bool {
			return a.ProviderOrgID != uuid.Nil && peek.ProviderOrgID == a.ProviderOrgID
		})
		if err != nil {
			return err
		}
		o = locked
		if err := o.Withdraw(s.clock(), reason); err != nil {
			return err
		}
		inv.Reopen()
		if err := tx.saveOffer(ctx, &o); err != nil {
			return err
		}
		if err := tx.saveInvitation(ctx, &inv); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx.Conn(), audit.Entry{Actor: a, Action: "offer.withdraw", ObjectType: "offer", ObjectID: o.ID.String(),
			PersonID: r.PersonID, Summary: map[string]any{"before": map[string]any{"status": OfferOpen},
				"after": map[string]any{"status": OfferWithdrawn}, "reason": o.WithdrawReason}}); err != nil {
			return err
		}
		return s.tell(ctx, tx, agreements.Notification{
			Kind: "offer.withdrawn", Audience: agreements.ToRole(accounts.Broker), IdempotencyKey: "offer.withdrawn:" + o.ID.String(),
			ObjectType: "request", ObjectID: r.ID.String(), Link: "/api/v1/requests/" + r.ID.String() + "/offers",
			Subject: fmt.Sprintf("%s withdrew its offer for request %s", inv.ProviderName, r.Reference), Body: o.WithdrawReason,
		})
	})
	return o, err
}

func offerSummary(o Offer) map[string]any {
	return map[string]any{"invitation_id": o.InvitationID, "request_id": o.RequestID, "provider_org_id": o.ProviderOrgID,
		"service_id": o.ServiceID, "weekly_price_pence": o.WeeklyPricePence, "hourly_rate_pence": o.HourlyRatePence,
		"hours_per_week": o.HoursPerWeek, "places": o.Places, "earliest_start": o.EarliestStart, "valid_until": o.ValidUntil,
		"over_budget": o.OverBudget, "approval": o.Approval, "status": o.Status}
}
