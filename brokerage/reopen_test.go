package brokerage

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
)

// dayRequest is a fresh day-service request (one place) with the given
// providers invited; it returns the broker, the person's client user and
// the request.
func (f *fixture) dayRequest(name string, ps ...provider) (accounts.Actor, accounts.Actor, Request) {
	f.t.Helper()
	prac := f.practitioner("community_led_support")
	broker := f.actor(accounts.Broker, "", nil, nil)
	person := f.person(prac, name)
	plan, err := f.svc.Plans().SubmitPlan(ctx, prac, dayPlaces(person.ID, f, 1))
	if err != nil {
		f.t.Fatal(err)
	}
	_, reqs, err := f.svc.SignOffPlan(ctx, prac, plan.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.svc.RunMatch(ctx, broker, reqs[0].ID); err != nil {
		f.t.Fatal(err)
	}
	ids := make([]uuid.UUID, len(ps))
	for i, p := range ps {
		ids[i] = p.ServiceID
	}
	if _, err := f.svc.Invite(ctx, broker, reqs[0].ID, ids); err != nil {
		f.t.Fatal(err)
	}
	return broker, f.client(person), reqs[0]
}

// offerOn makes p's offer of one place on request r, valid for days.
func (f *fixture) offerOn(p provider, r Request, validDays int) Offer {
	f.t.Helper()
	invs, err := f.svc.Invitations(ctx, p.User)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, inv := range invs {
		if inv.RequestID == r.ID {
			o, err := f.svc.MakeOffer(ctx, p.User, inv.ID, NewOffer{WeeklyPricePence: 5000, Places: 1,
				EarliestStart: f.today().AddDays(7), ValidUntil: f.today().AddDays(validDays)})
			if err != nil {
				f.t.Fatal(err)
			}
			return o
		}
	}
	f.t.Fatalf("%s has no invitation on %s", p.Name, r.Reference)
	return Offer{}
}

func (f *fixture) status(id uuid.UUID) Status {
	f.t.Helper()
	r, err := f.svc.store.request(ctx, id, false)
	if err != nil {
		f.t.Fatal(err)
	}
	return r.Status
}

// The aftermath of 200 people choosing one service with 5 places, at small
// scale: the home has one place; the first agreement takes it, the second
// is refused ("only 0 places free") and leaves its request chosen. The
// person records that the chosen provider cannot start: the offers that
// still stand can be chosen again (not the expired one), the provider and
// the others are told, and choosing another offer and agreeing works.
func TestAgreementRefusedForCapacityThenAnotherOfferIsChosenAndAgreed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	full := f.provider("day_services", providerOpts{units: 1, ratePence: 5000})
	other := f.provider("day_services", providerOpts{ratePence: 5000, kmEast: 1})
	third := f.provider("day_services", providerOpts{ratePence: 5000, kmEast: 2})
	brief := f.provider("day_services", providerOpts{ratePence: 5000, kmEast: 3})

	// Both people choose the home while it still has its place.
	broker, _, first := f.dayRequest("First Example", full)
	fo := f.offerOn(full, first, 30)
	if _, err := f.svc.Choose(ctx, broker, first.ID, ChoiceInput{OfferID: fo.ID}); err != nil {
		t.Fatal(err)
	}
	_, client, r := f.dayRequest("Second Example", full, other, third, brief)
	chosen := f.offerOn(full, r, 30)
	standing := f.offerOn(other, r, 30)
	alsoStanding := f.offerOn(third, r, 30)
	expiring := f.offerOn(brief, r, 1)
	if _, err := f.svc.Choose(ctx, client, r.ID, ChoiceInput{OfferID: chosen.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AgreeStartDate(ctx, broker, first.ID, fo.EarliestStart); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.AgreeStartDate(ctx, client, r.ID, chosen.EarliestStart)
	if errs.CodeOf(err) != errs.Conflict || !strings.Contains(err.Error(), "only 0 places free") {
		t.Fatalf("agreeing on the full home: %v, want Conflict \"only 0 places free\"", err)
	}
	if st := f.status(r.ID); st != Chosen {
		t.Fatalf("after the refused agreement the request is %s, want chosen", st)
	}
	f.advance(48 * time.Hour) // the brief offer has expired

	// Refusals first: no reason, a role that may not, someone else's person,
	// and nothing changes.
	if _, err := f.svc.ChosenProviderCannotStart(ctx, client, r.ID, " "); errs.CodeOf(err) != errs.Invalid || errs.As(err).Field != "reason" {
		t.Fatalf("without a reason: %v", err)
	}
	if _, err := f.svc.ChosenProviderCannotStart(ctx, f.practitioner("community_led_support"), r.ID, "no place"); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("a practitioner: %v", err)
	}
	strangerPerson := f.person(f.practitioner("community_led_support"), "Stranger Example")
	if _, err := f.svc.ChosenProviderCannotStart(ctx, f.client(strangerPerson), r.ID, "no place"); !errs.Is(err, errs.NotFound) {
		t.Fatalf("another person's client: %v", err)
	}

	rv, err := f.svc.ChosenProviderCannotStart(ctx, client, r.ID, "their last place went to someone else")
	if err != nil {
		t.Fatal(err)
	}
	if rv.Status != OffersReceived || rv.ChosenOfferID != nil {
		t.Fatalf("after cannot start: status %s, chosen offer %v; want offers_received and none", rv.Status, rv.ChosenOfferID)
	}
	cmp, err := f.svc.Offers(ctx, client, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if cmp.Choice != nil {
		t.Fatalf("the undone choice still shows as the choice: %+v", cmp.Choice)
	}
	choosable := map[uuid.UUID]bool{}
	for _, o := range cmp.Offers {
		choosable[o.ID] = o.Choosable
		if o.ID == chosen.ID && (o.Status != OfferCannotStart || o.CannotStartWhy != "their last place went to someone else" || o.CannotStartAt == nil) {
			t.Fatalf("the failed offer: %+v", o.Offer)
		}
	}
	if !choosable[standing.ID] || !choosable[alsoStanding.ID] || choosable[chosen.ID] || choosable[expiring.ID] {
		t.Fatalf("choosable after cannot start: %v; want the two standing offers only", choosable)
	}
	if n := f.count("request_transitions", "request_id = ? AND from_status = 'chosen' AND to_status = 'offers_received' AND reason LIKE ?",
		r.ID, "the chosen provider cannot start: their last place%"); n != 1 {
		t.Fatalf("%d transitions recorded, want 1", n)
	}
	if evs := f.events("request.chosen_provider_cannot_start"); len(evs) != 1 {
		t.Fatalf("%d audit events, want 1", len(evs))
	}
	if n := f.count("choices", "request_id = ? AND reopened_at IS NOT NULL AND reopen_reason <> ''", r.ID); n != 1 {
		t.Fatalf("%d reopened choices kept, want 1", n)
	}
	if f.notices("offer.cannot_start", full.OrgID.String()) != 1 || f.notices("offer.stands_again", other.OrgID.String()) != 1 ||
		f.notices("offer.stands_again", brief.OrgID.String()) != 0 {
		t.Fatal("the providers were not told as they should be")
	}
	if f.notices("choice.reopened", r.PersonID.String()) != 0 {
		t.Fatal("the person was told of what they did themselves")
	}
	// Only an offer chosen can be undone.
	if _, err := f.svc.ChosenProviderCannotStart(ctx, client, r.ID, "again"); !errs.Is(err, errs.Conflict) ||
		!strings.Contains(err.Error(), "has offers to choose from; only a request with an offer chosen") {
		t.Fatalf("undoing again: %v", err)
	}

	// Choose again and agree: it works, and the third provider is told a
	// second time that its offer was not taken up.
	if _, err := f.svc.Choose(ctx, client, r.ID, ChoiceInput{OfferID: standing.ID}); err != nil {
		t.Fatal(err)
	}
	if f.notices("offer.not_chosen", third.OrgID.String()) != 2 {
		t.Fatalf("the third provider was told %d times it was not chosen, want 2 (once per choice)", f.notices("offer.not_chosen", third.OrgID.String()))
	}
	ag, err := f.svc.AgreeStartDate(ctx, client, r.ID, standing.EarliestStart)
	if err != nil {
		t.Fatalf("agreeing the second choice: %v", err)
	}
	if ag.ServiceID != other.ServiceID || f.status(r.ID) != Agreed {
		t.Fatalf("agreed with %s, request %s", ag.ServiceID, f.status(r.ID))
	}
}

// When no other offer stands, the request goes back to matching, and the
// broker runs the matcher and invites again.
func TestChosenProviderCannotStartWithNoOtherOfferGoesBackToMatching(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	full := f.provider("day_services", providerOpts{units: 1, ratePence: 5000})
	spare := f.provider("day_services", providerOpts{ratePence: 5000, kmEast: 1})
	broker, _, first := f.dayRequest("First Example", full)
	fo := f.offerOn(full, first, 30)
	if _, err := f.svc.Choose(ctx, broker, first.ID, ChoiceInput{OfferID: fo.ID}); err != nil {
		t.Fatal(err)
	}
	broker, _, r := f.dayRequest("Second Example", full)
	o := f.offerOn(full, r, 30)
	if _, err := f.svc.Choose(ctx, broker, r.ID, ChoiceInput{OfferID: o.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AgreeStartDate(ctx, broker, first.ID, fo.EarliestStart); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AgreeStartDate(ctx, broker, r.ID, o.EarliestStart); !errs.Is(err, errs.Conflict) {
		t.Fatalf("agreeing on the full home: %v", err)
	}
	if _, err := f.svc.RunMatch(ctx, broker, r.ID); !errs.Is(err, errs.Conflict) || strings.Contains(err.Error(), "Offer chosen") {
		t.Fatalf("matching a chosen request: %v", err)
	}

	rv, err := f.svc.ChosenProviderCannotStart(ctx, broker, r.ID, "the home is full")
	if err != nil {
		t.Fatal(err)
	}
	if rv.Status != Matching {
		t.Fatalf("with no offer standing the request is %s, want matching", rv.Status)
	}
	if f.notices("choice.reopened", r.PersonID.String()) != 1 || f.notices("offer.cannot_start", full.OrgID.String()) != 1 {
		t.Fatal("the person and the provider were not told")
	}
	m, err := f.svc.RunMatch(ctx, broker, r.ID)
	if err != nil {
		t.Fatalf("the matcher on the reopened request: %v", err)
	}
	ranked := false
	for _, rs := range m.Ranked {
		ranked = ranked || rs.ServiceID == spare.ServiceID.String()
	}
	if !ranked {
		t.Fatalf("the spare home is not ranked: %+v", m.Ranked)
	}
	if _, err := f.svc.Invite(ctx, broker, r.ID, []uuid.UUID{spare.ServiceID}); err != nil {
		t.Fatalf("inviting again: %v", err)
	}
	if st := f.status(r.ID); st != Invited {
		t.Fatalf("after inviting again the request is %s", st)
	}
}
