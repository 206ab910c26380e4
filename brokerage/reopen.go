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
)

// ChosenProviderCannotStart undoes the choice on a request because the
// chosen provider cannot start: its last place went to someone else when
// the start date was agreed (409 "only 0 places free"), or it said it can
// no longer take the person on. In one transaction it marks the chosen
// offer cannot_start with the reason, marks the choice reopened (the row
// stays as the record), puts back in play the other offers that still
// stand (closed by the choice, not expired, not withdrawn, not rejected by
// a budget approver), and moves the request back to offers_received, or
// to matching when no offer stands. The provider is told, as are the
// providers whose offers stand again, and the person when a broker does
// it; the transition and audit events record who did it and why. Nothing
// was reserved for the failed provider (an agreement that failed reserved
// nothing), so there is no capacity to give back.
//
// Brokers and the person (a client user bound to them, or their
// representative) may; other roles are Forbidden. It returns Invalid
// "reason" without a reason, NotFound for a request the actor may not see,
// and Conflict when the request has no offer chosen (agreed, on hold, or
// still waiting for offers, say).
func (s *Service) ChosenProviderCannotStart(ctx context.Context, a accounts.Actor, requestID uuid.UUID, reason string) (RequestView, error) {
	if !a.Is(accounts.Broker, accounts.Client) {
		return RequestView{}, errs.Forbiddenf("only the person, or a broker, can record that the chosen provider cannot start")
	}
	reason, err := requireReason(reason)
	if err != nil {
		return RequestView{}, err
	}
	var (
		r    Request
		view RequestView
	)
	err = s.store.inTx(ctx, func(tx *Store) error {
		var err error
		if r, err = s.visibleRequest(ctx, tx, a, requestID, true); err != nil {
			return err
		}
		if r.Status != Chosen || r.ChosenOfferID == nil {
			_, err := r.ReopenChoice(s.clock(), reason, 0) // says why not
			if err == nil {
				err = errs.Conflictf("request %s has no chosen offer to undo", r.Reference)
			}
			return err
		}
		now := s.clock()
		failed, err := tx.offer(ctx, *r.ChosenOfferID, true)
		if err != nil {
			return err
		}
		choice, err := tx.choiceOf(ctx, r.ID)
		if err != nil {
			return err
		}
		if err := failed.CannotStart(now, reason); err != nil {
			return err
		}
		if err := tx.saveOffer(ctx, &failed); err != nil {
			return err
		}
		if err := tx.reopenChoice(ctx, r.ID, userRef(a), now, reason); err != nil {
			return err
		}
		standing, err := s.offersStandAgain(ctx, tx, a, r, choice)
		if err != nil {
			return err
		}
		t, err := r.ReopenChoice(now, reason, len(standing))
		if err != nil {
			return err
		}
		if err := s.record(ctx, tx, a, "", &r, t, "request.chosen_provider_cannot_start", map[string]any{
			"offer_id": failed.ID, "provider_org_id": failed.ProviderOrgID, "choice_id": choice.ID, "offers_standing": standing,
		}); err != nil {
			return err
		}
		if err := s.tellCannotStart(ctx, tx, a, r, failed, choice, len(standing)); err != nil {
			return err
		}
		vs, err := s.views(ctx, []Request{r})
		if err != nil {
			return err
		}
		view = vs[0]
		return idempotency.Keep(ctx, tx.Tx(), view)
	})
	if err != nil {
		return RequestView{}, err
	}
	return view, nil
}

// offersStandAgain puts back in play the offers the undone choice closed
// that still stand, tells their providers, and returns their ids.
func (s *Service) offersStandAgain(ctx context.Context, tx *Store, a accounts.Actor, r Request, undone Choice) ([]uuid.UUID, error) {
	offers, err := tx.offersOf(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	today := s.today()
	standing := []uuid.UUID{}
	for i := range offers {
		o := &offers[i]
		if o.Status == OfferOpen && o.Acceptable(today) {
			standing = append(standing, o.ID) // none should be open while chosen, but one that is counts
			continue
		}
		if !o.StandAgain(today) {
			continue
		}
		if err := tx.saveOffer(ctx, o); err != nil {
			return nil, err
		}
		if err := audit.Record(ctx, tx.Conn(), audit.Entry{Actor: a, Action: "offer.stands_again", ObjectType: "offer", ObjectID: o.ID.String(),
			PersonID: r.PersonID, Summary: map[string]any{"before": map[string]any{"status": OfferNotChosen}, "after": map[string]any{"status": OfferOpen},
				"reason": "the chosen provider cannot start"}}); err != nil {
			return nil, err
		}
		if err := s.tell(ctx, tx, agreements.Notification{Kind: "offer.stands_again", Audience: agreements.ToProviderOrg(o.ProviderOrgID),
			IdempotencyKey: "offer.stands_again:" + o.ID.String() + ":" + undone.ID.String(), ObjectType: "invitation", ObjectID: o.InvitationID.String(),
			Link:    "/api/v1/invitations/" + o.InvitationID.String(),
			Subject: fmt.Sprintf("Your offer for request %s can be chosen again", r.Reference),
			Body: fmt.Sprintf("The provider chosen for request %s (%s) cannot start, so your offer of %s, valid until %s, can be chosen again. "+
				"Withdraw it if you can no longer provide the care.", r.Reference, r.ServiceType.Label(), moneyWeek(o.WeeklyPricePence), o.ValidUntil.UK()),
		}); err != nil {
			return nil, err
		}
		standing = append(standing, o.ID)
	}
	return standing, nil
}

// tellCannotStart tells the provider that its chosen offer will not go
// ahead, and the person when a broker recorded it.
func (s *Service) tellCannotStart(ctx context.Context, tx *Store, a accounts.Actor, r Request, failed Offer, undone Choice, standing int) error {
	next := "The person will choose again from the other offers."
	forPerson := "You can choose again from the other offers that still stand."
	if standing == 0 {
		next = "The request goes back to matching."
		forPerson = "No other offer still stands, so we are looking for providers again."
	}
	if err := s.tell(ctx, tx, agreements.Notification{Kind: "offer.cannot_start", Audience: agreements.ToProviderOrg(failed.ProviderOrgID),
		IdempotencyKey: "offer.cannot_start:" + failed.ID.String(), ObjectType: "invitation", ObjectID: failed.InvitationID.String(),
		Link:    "/api/v1/invitations/" + failed.InvitationID.String(),
		Subject: fmt.Sprintf("Your offer for request %s will not go ahead", r.Reference),
		Body: fmt.Sprintf("Your offer of %s for request %s (%s) was chosen, but it is recorded that you cannot start: %s. Nothing was agreed and no capacity of yours was reserved. %s",
			moneyWeek(failed.WeeklyPricePence), r.Reference, r.ServiceType.Label(), failed.CannotStartWhy, next),
	}); err != nil {
		return err
	}
	if !a.Is(accounts.Broker) {
		return nil
	}
	return s.tell(ctx, tx, agreements.Notification{Kind: "choice.reopened", Audience: agreements.ToPerson(r.PersonID),
		IdempotencyKey: "choice.reopened:" + undone.ID.String(), ObjectType: "request", ObjectID: r.ID.String(),
		Link:    "/api/v1/requests/" + r.ID.String(),
		Subject: fmt.Sprintf("The provider you chose for %s cannot start", r.ServiceType.Label()),
		Body:    fmt.Sprintf("The provider you chose cannot start: %s. %s", failed.CannotStartWhy, forPerson),
	})
}
