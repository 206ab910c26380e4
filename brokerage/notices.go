package brokerage

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
)

// Notice is a message brokerage sends to a provider organisation or to a
// person, written in the transaction of the change that causes it and
// delivered after commit by the notifications worker.
type Notice struct {
	Kind          string    // what happened: "invitation.sent", "offer.not_chosen", ...
	ProviderOrgID uuid.UUID // the organisation told, or
	PersonID      uuid.UUID // the person told (their client users)
	Subject       string
	Body          string
	RequestID     uuid.UUID
	ObjectType    string // the object the notice is about: "invitation", "offer", "request"
	ObjectID      uuid.UUID
}

// tell writes n with the configured notifier, in tx. Without a notifier
// nothing can be promised to anyone, so it fails rather than drop n.
func (s *Service) tell(ctx context.Context, tx *Store, n Notice) error {
	if s.notify == nil {
		return errs.Internalf(nil, "brokerage has no notifier configured; %s cannot be sent", n.Kind)
	}
	return s.notify(ctx, tx.DB(), n)
}

// closeOffers tells every provider still in play on a request that it is
// closed (cancelled, or agreed with someone else): waiting invitations and
// open offers alike. Open offers become not chosen.
func (s *Service) closeOffers(ctx context.Context, tx *Store, a accounts.Actor, r Request, why string) error {
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
		if o.Status != OfferOpen {
			continue
		}
		o.Status = OfferNotChosen
		if err := tx.saveOffer(ctx, o); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx.DB(), audit.Entry{Actor: a, Action: "offer.close", ObjectType: "offer", ObjectID: o.ID.String(),
			PersonID: r.PersonID, Summary: map[string]any{"before": map[string]any{"status": OfferOpen}, "after": map[string]any{"status": OfferNotChosen}, "reason": why}}); err != nil {
			return err
		}
		told[o.InvitationID] = true
		if err := s.tell(ctx, tx, Notice{Kind: "offer.closed", ProviderOrgID: o.ProviderOrgID, RequestID: r.ID, ObjectType: "offer", ObjectID: o.ID,
			Subject: fmt.Sprintf("Request %s is closed", r.Reference),
			Body:    fmt.Sprintf("Your offer of %s for request %s (%s) was not taken up: %s.", moneyWeek(o.WeeklyPricePence), r.Reference, r.ServiceType.Label(), why)}); err != nil {
			return err
		}
	}
	for _, inv := range invs {
		if !inv.Waiting() || told[inv.ID] {
			continue
		}
		if err := s.tell(ctx, tx, Notice{Kind: "invitation.closed", ProviderOrgID: inv.ProviderOrgID, RequestID: r.ID, ObjectType: "invitation", ObjectID: inv.ID,
			Subject: fmt.Sprintf("Request %s is closed", r.Reference),
			Body:    fmt.Sprintf("Request %s (%s) no longer needs an answer: %s.", r.Reference, r.ServiceType.Label(), why)}); err != nil {
			return err
		}
	}
	return nil
}
