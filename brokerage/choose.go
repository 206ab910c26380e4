package brokerage

import (
	"context"
	"fmt"
	"sort"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/idempotency"
	"github.com/carebroker/carebroker/internal/money"
)

// OfferView is one offer as the person, their representative and brokers
// compare it with the others: the provider, the price, and the matcher's
// reasons for ranking the service.
type OfferView struct {
	Offer
	ProviderName string         `json:"provider_name"`
	ServiceName  string         `json:"service_name"`
	WeeklyPrice  string         `json:"weekly_price"`
	Amount       string         `json:"amount"`
	OverByPence  int64          `json:"over_by_pence"`
	Match        *RankedService `json:"match,omitempty"`
	Choosable    bool           `json:"choosable"`
	// NotChoosable says why the offer cannot be chosen now, if it cannot.
	NotChoosable string `json:"not_choosable,omitempty"`
}

// OfferComparison is a request with its offers side by side.
type OfferComparison struct {
	Request RequestView `json:"request"`
	Offers  []OfferView `json:"offers"`
	Choice  *Choice     `json:"choice,omitempty"`
}

// Offers returns a request's offers side by side with the match reasons,
// for those who may see the request: the person's client users, brokers,
// the team's practitioners and budget approvers (NotFound for others).
func (s *Service) Offers(ctx context.Context, a accounts.Actor, requestID uuid.UUID) (OfferComparison, error) {
	rv, err := s.Request(ctx, a, requestID)
	if err != nil {
		return OfferComparison{}, err
	}
	offers, err := s.store.offersOf(ctx, requestID)
	if err != nil {
		return OfferComparison{}, err
	}
	invs, err := s.store.invitationsOf(ctx, requestID)
	if err != nil {
		return OfferComparison{}, err
	}
	byID := map[uuid.UUID]Invitation{}
	for _, inv := range invs {
		byID[inv.ID] = inv
	}
	runs := map[uuid.UUID]*MatchRun{}
	today := s.today()
	out := OfferComparison{Request: rv, Offers: make([]OfferView, 0, len(offers))}
	for _, o := range offers {
		inv := byID[o.InvitationID]
		v := OfferView{Offer: o, ProviderName: inv.ProviderName, ServiceName: inv.ServiceName, WeeklyPrice: money.Format(o.WeeklyPricePence),
			Amount: Amount(o.HoursPerWeek, o.Places), OverByPence: max(0, o.WeeklyPricePence-rv.BudgetWeeklyPence)}
		run, ok := runs[inv.MatchRunID]
		if !ok {
			m, err := s.store.matchRun(ctx, inv.MatchRunID)
			if err != nil {
				return OfferComparison{}, err
			}
			run = &m
			runs[inv.MatchRunID] = run
		}
		// Only the offered service's entry is explained, not the whole run
		// (hundreds of services on a large directory: the load test's profile).
		if r, ok := run.ranked(o.ServiceID); ok {
			m := run.rankedView(r)
			v.Match = &m
		}
		if err := o.Choosable(today); err != nil {
			v.NotChoosable = errs.As(err).Message
		} else {
			v.Choosable = rv.Status == OffersReceived
		}
		out.Offers = append(out.Offers, v)
	}
	// Side by side in the matcher's order, then oldest first.
	sort.SliceStable(out.Offers, func(i, j int) bool {
		return byID[out.Offers[i].InvitationID].Rank < byID[out.Offers[j].InvitationID].Rank
	})
	if c, err := s.store.choiceOf(ctx, requestID); err == nil {
		out.Choice = &c
	} else if !errs.Is(err, errs.NotFound) {
		return OfferComparison{}, err
	}
	return out, nil
}

// Choose records the person's pick of an offer: made by the person (a
// client user bound to them), their representative (a client user giving
// their name), or a broker on their behalf, which the choice row, the
// transition and the audit event all say. The other providers are told
// they were not chosen. It returns Forbidden for other roles, NotFound for
// a request the actor may not see or an offer_id not on it, Invalid naming
// the field, and Conflict when the request has no offers to choose from,
// was already chosen, or the offer is withdrawn, expired, or over budget
// without a budget approver's approval.
func (s *Service) Choose(ctx context.Context, a accounts.Actor, requestID uuid.UUID, in ChoiceInput) (Choice, error) {
	c, err := newChoice(a, in, requestID, s.clock())
	if err != nil {
		return Choice{}, err
	}
	err = s.store.inTx(ctx, func(tx *Store) error {
		r, err := s.visibleRequest(ctx, tx, a, requestID, true)
		if err != nil {
			return err
		}
		o, err := tx.offer(ctx, c.OfferID, true)
		if err != nil || o.RequestID != r.ID {
			return &errs.Error{Code: errs.NotFound, Field: "offer_id", Message: "no such offer on this request"}
		}
		if r.Status != OffersReceived {
			_, err := r.Choose(c.At, o.ID, "")
			return err
		}
		if err := o.Choosable(s.today()); err != nil {
			return err
		}
		why := "chosen by the " + string(c.ChosenAs)
		if c.ChosenAs == ChosenByBroker {
			why = "chosen by the person, recorded by a broker on their behalf"
		}
		t, err := r.Choose(c.At, o.ID, why)
		if err != nil {
			return err
		}
		o.Status = OfferChosen
		if err := tx.saveOffer(ctx, &o); err != nil {
			return err
		}
		if err := tx.insertChoice(ctx, &c); err != nil {
			return err
		}
		if err := s.record(ctx, tx, a, c.onBehalfOf(), &r, t, "request.choose", map[string]any{
			"offer_id": o.ID, "choice_id": c.ID, "chosen_as": c.ChosenAs, "representative_name": c.RepresentativeName,
			"provider_org_id": o.ProviderOrgID, "weekly_price_pence": o.WeeklyPricePence,
		}); err != nil {
			return err
		}
		if err := s.closeOffers(ctx, tx, a, r, "offer.not_chosen", "the person chose another provider", c.ID.String()); err != nil {
			return err
		}
		if err := s.tell(ctx, tx, agreements.Notification{
			Kind: "offer.chosen", Audience: agreements.ToProviderOrg(o.ProviderOrgID), IdempotencyKey: "offer.chosen:" + o.ID.String(),
			ObjectType: "invitation", ObjectID: o.InvitationID.String(), Link: "/api/v1/invitations/" + o.InvitationID.String(),
			Subject: fmt.Sprintf("Your offer for request %s was chosen", r.Reference),
			Body:    fmt.Sprintf("The person chose your offer of %s for %s. The start date will be agreed next (on or after %s).", moneyWeek(o.WeeklyPricePence), r.Amount(), o.EarliestStart.UK()),
		}); err != nil {
			return err
		}
		return idempotency.Keep(ctx, tx.Tx(), c)
	})
	if err != nil {
		return Choice{}, err
	}
	return c, nil
}
