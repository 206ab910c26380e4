package brokerage

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/audit"
)

// tell writes n to the notifications outbox in tx, the transaction of the
// change that causes it; the agreements worker delivers it after commit.
func (s *Service) tell(ctx context.Context, tx *Store, n agreements.Notification) error {
	return agreements.Notify(ctx, tx.Tx(), n)
}

// closeOffers tells every provider still in play on a request that it is
// closed (cancelled, or another offer chosen): waiting invitations and open
// offers alike. Open offers become not chosen; kind names what their
// providers are told ("offer.closed", "offer.not_chosen"). round, when not
// empty, tells this closing from an earlier one of the same offers (a
// choice after a choice that fell through), so its notices are not taken
// for repeats of the first.
func (s *Service) closeOffers(ctx context.Context, tx *Store, a accounts.Actor, r Request, kind, why, round string) error {
	suffix := ""
	if round != "" {
		suffix = ":" + round
	}
	invs, err := tx.invitationsOf(ctx, r.ID)
	if err != nil {
		return err
	}
	offers, err := tx.offersOf(ctx, r.ID)
	if err != nil {
		return err
	}
	told := map[uuid.UUID]bool{}
	for i := range offers {
		o := &offers[i]
		switch {
		case o.Status == OfferChosen && r.Status == Cancelled:
			// The chosen provider is told too; its offer stays as it was.
			told[o.InvitationID] = true
			if err := s.tell(ctx, tx, agreements.Notification{Kind: "offer.closed", Audience: agreements.ToProviderOrg(o.ProviderOrgID),
				IdempotencyKey: "offer.closed:" + o.ID.String(), ObjectType: "invitation", ObjectID: o.InvitationID.String(),
				Link: "/api/v1/invitations/" + o.InvitationID.String(), Subject: fmt.Sprintf("Request %s is cancelled", r.Reference),
				Body: fmt.Sprintf("Request %s (%s), on which your offer was chosen, is cancelled: %s.", r.Reference, r.ServiceType.Label(), why)}); err != nil {
				return err
			}
			continue
		case o.Status != OfferOpen:
			continue
		}
		o.Status = OfferNotChosen
		if err := tx.saveOffer(ctx, o); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx.Conn(), audit.Entry{Actor: a, Action: kind, ObjectType: "offer", ObjectID: o.ID.String(),
			PersonID: r.PersonID, Summary: map[string]any{"before": map[string]any{"status": OfferOpen}, "after": map[string]any{"status": OfferNotChosen}, "reason": why}}); err != nil {
			return err
		}
		told[o.InvitationID] = true
		if err := s.tell(ctx, tx, agreements.Notification{Kind: kind, Audience: agreements.ToProviderOrg(o.ProviderOrgID),
			IdempotencyKey: kind + ":" + o.ID.String() + suffix, ObjectType: "invitation", ObjectID: o.InvitationID.String(),
			Link:    "/api/v1/invitations/" + o.InvitationID.String(),
			Subject: fmt.Sprintf("Your offer for request %s was not taken up", r.Reference),
			Body:    fmt.Sprintf("Your offer of %s for request %s (%s) was not taken up: %s.", moneyWeek(o.WeeklyPricePence), r.Reference, r.ServiceType.Label(), why)}); err != nil {
			return err
		}
	}
	for _, inv := range invs {
		if !inv.Waiting() || told[inv.ID] {
			continue
		}
		if err := s.tell(ctx, tx, agreements.Notification{Kind: "invitation.closed", Audience: agreements.ToProviderOrg(inv.ProviderOrgID),
			IdempotencyKey: "invitation.closed:" + inv.ID.String(), ObjectType: "invitation", ObjectID: inv.ID.String(),
			Link:    "/api/v1/invitations/" + inv.ID.String(),
			Subject: fmt.Sprintf("Request %s is closed", r.Reference),
			Body:    fmt.Sprintf("Request %s (%s) no longer needs an answer: %s.", r.Reference, r.ServiceType.Label(), why)}); err != nil {
			return err
		}
	}
	return nil
}
