package brokerage

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/matching"
	"github.com/carebroker/carebroker/plans"
)

// hourlyOffer is an offer of the homecare request's 14 hours at rate pence an hour.
func (f *fixture) hourlyOffer(rate int64) NewOffer {
	return NewOffer{WeeklyPricePence: rate * 14, HourlyRatePence: rate, HoursPerWeek: 14,
		EarliestStart: f.today().AddDays(7), ValidUntil: f.today().AddDays(30), Notes: "Morning calls 8 to 10"}
}

// notices returns the outbox rows of a kind for an audience id.
func (f *fixture) notices(kind, audienceID string) int {
	return f.count("notifications", "kind = ? AND audience_id = ?", kind, audienceID)
}

// invited takes a fresh homecare request through matching and invitation
// of the given providers.
func (f *fixture) invited(name string, ps ...provider) (accounts.Actor, plans.Person, Request, []Invitation) {
	f.t.Helper()
	prac := f.practitioner("community_led_support")
	broker := f.actor(accounts.Broker, "", nil, nil)
	person, _, reqs := f.signedOff(prac, name)
	if _, err := f.svc.RunMatch(ctx, broker, reqs[0].ID); err != nil {
		f.t.Fatal(err)
	}
	ids := make([]uuid.UUID, len(ps))
	for i, p := range ps {
		ids[i] = p.ServiceID
	}
	invs, err := f.svc.Invite(ctx, broker, reqs[0].ID, ids)
	if err != nil {
		f.t.Fatal(err)
	}
	r, _ := f.svc.store.request(ctx, reqs[0].ID, false)
	return broker, person, r, invs
}

func TestFromMatchToAgreement(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	near := f.provider("homecare", providerOpts{ratePence: 2400})                   // £336 a week: within the £350
	dear := f.provider("homecare", providerOpts{ratePence: 2600, kmEast: 1})        // £364 a week: over
	barred := f.provider("homecare", providerOpts{suspended: true, kmEast: 2})      // excluded
	nocontract := f.provider("homecare", providerOpts{noContract: true, kmEast: 3}) // excluded
	prac := f.practitioner("community_led_support")
	broker := f.actor(accounts.Broker, "", nil, nil)
	approver := f.actor(accounts.BudgetApprover, "", nil, nil)
	person, plan, reqs := f.signedOff(prac, "Ada Example")
	client := f.client(person)
	home := reqs[0]

	// Only brokers match.
	_, err := f.svc.RunMatch(ctx, client, home.ID)
	wantErr(t, err, errs.Forbidden, "")
	m, err := f.svc.RunMatch(ctx, broker, home.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.Considered != 4 || len(m.Ranked) != 2 || m.Ranked[0].ServiceID != near.ServiceID.String() || !m.Ranked[1].OverBudget {
		t.Fatalf("ranking: %+v", m)
	}
	if m.Ranked[0].ProviderName != near.Name || m.Ranked[0].DistanceKm < 0.9 || m.Ranked[0].DistanceKm > 1.1 || m.Ranked[0].WeeklyCost != "£336.00" {
		t.Fatalf("first match: %+v", m.Ranked[0])
	}
	texts := func(es []Explained) string {
		var s []string
		for _, e := range es {
			s = append(s, e.Text)
		}
		return strings.Join(s, "; ")
	}
	if got := texts(m.Ranked[1].Notes); !strings.Contains(got, "£364.00 a week, £14.00 over the £350.00 budget") {
		t.Fatalf("the over-budget note reads %q", got)
	}
	excluded := map[string]string{}
	for _, e := range m.Excluded {
		excluded[e.ServiceID] = texts(e.Reasons)
	}
	if !strings.Contains(excluded[barred.ServiceID.String()], "suspended by the council from 20 November 2026") ||
		!strings.Contains(excluded[nocontract.ServiceID.String()], "no contract with the council") {
		t.Fatalf("exclusions: %v", excluded)
	}
	// The run is stored with its structured reasons and reads back the same.
	again, err := f.svc.LatestMatch(ctx, broker, home.ID)
	if err != nil || again.RunID != m.RunID || texts(again.Ranked[1].Notes) != texts(m.Ranked[1].Notes) {
		t.Fatalf("stored run: %+v %v", again, err)
	}
	var raw string
	f.db.Gorm(context.Background()).Raw(`SELECT excluded::text FROM match_runs WHERE id = ?`, m.RunID).Scan(&raw)
	if !strings.Contains(raw, `"code": "suspended"`) && !strings.Contains(raw, `"code":"suspended"`) {
		t.Fatalf("the stored exclusions lack their codes: %s", raw)
	}
	if r, _ := f.svc.Request(ctx, broker, home.ID); r.Status != Matching {
		t.Fatalf("after matching the request is %s", r.Status)
	}

	// Invite: an excluded service is refused by name; the shortlist is told.
	_, err = f.svc.Invite(ctx, broker, home.ID, []uuid.UUID{near.ServiceID, barred.ServiceID})
	wantErr(t, err, errs.Invalid, "service_ids[1]")
	invs, err := f.svc.Invite(ctx, broker, home.ID, []uuid.UUID{near.ServiceID, dear.ServiceID})
	if err != nil || len(invs) != 2 {
		t.Fatalf("invite: %v", err)
	}
	wantDeadline := AddWorkingDays(f.clock(), 5)
	if !invs[0].Deadline.Equal(wantDeadline) {
		t.Fatalf("deadline %s, want %s (5 working days)", invs[0].Deadline, wantDeadline)
	}
	if f.notices("invitation.sent", near.OrgID.String()) != 1 || f.notices("invitation.sent", dear.OrgID.String()) != 1 ||
		f.notices("invitation.sent", barred.OrgID.String()) != 0 {
		t.Fatal("each invited organisation should be told once, and only they")
	}
	_, err = f.svc.Invite(ctx, broker, home.ID, []uuid.UUID{near.ServiceID})
	wantErr(t, err, errs.Invalid, "service_ids[0]")

	// Providers see their own invitation, without the person's identity.
	mine, err := f.svc.Invitations(ctx, near.User)
	if err != nil || len(mine) != 1 || mine[0].ID != invs[0].ID || mine[0].Outcome != "awaiting_answer" || mine[0].Request.PostcodeDistrict != "M16" {
		t.Fatalf("provider's invitations: %+v %v", mine, err)
	}
	js, _ := json.Marshal(mine)
	for _, secret := range []string{"Ada", "1941", "Test Street", "0RA"} {
		if strings.Contains(string(js), secret) {
			t.Fatalf("the provider's view shows %q: %s", secret, js)
		}
	}
	_, err = f.svc.Invitation(ctx, near.User, invs[1].ID)
	wantErr(t, err, errs.NotFound, "")
	_, err = f.svc.MakeOffer(ctx, near.User, invs[1].ID, f.hourlyOffer(2400))
	wantErr(t, err, errs.NotFound, "")

	// Offers: bad input names the field; one within budget, one over.
	bad := f.hourlyOffer(2400)
	bad.WeeklyPricePence++
	_, err = f.svc.MakeOffer(ctx, near.User, invs[0].ID, bad)
	wantErr(t, err, errs.Invalid, "weekly_price_pence")
	good, err := f.svc.MakeOffer(ctx, near.User, invs[0].ID, f.hourlyOffer(2400))
	if err != nil || good.OverBudget || good.Approval != ApprovalNotNeeded {
		t.Fatalf("offer within budget: %+v %v", good, err)
	}
	_, err = f.svc.MakeOffer(ctx, near.User, invs[0].ID, f.hourlyOffer(2300))
	wantErr(t, err, errs.Conflict, "")
	over, err := f.svc.MakeOffer(ctx, dear.User, invs[1].ID, f.hourlyOffer(2600))
	if err != nil || !over.OverBudget || over.Approval != ApprovalPending {
		t.Fatalf("offer over budget: %+v %v", over, err)
	}
	if f.notices("offer.needs_approval", string(accounts.BudgetApprover)) != 1 || f.notices("offer.available", person.ID.String()) != 1 {
		t.Fatal("the approver and the person were not told as they should be")
	}

	// Side by side, with the match reasons; the over-budget one is not choosable yet.
	cmp, err := f.svc.Offers(ctx, client, home.ID)
	if err != nil || len(cmp.Offers) != 2 || cmp.Request.Status != OffersReceived {
		t.Fatalf("comparison: %+v %v", cmp, err)
	}
	if !cmp.Offers[0].Choosable || cmp.Offers[0].Match == nil || cmp.Offers[0].Match.Rank != 1 ||
		cmp.Offers[1].Choosable || !strings.Contains(cmp.Offers[1].NotChoosable, "budget approver") {
		t.Fatalf("comparison offers: %+v", cmp.Offers)
	}
	other := f.client(f.person(prac, "Someone Else"))
	_, err = f.svc.Offers(ctx, other, home.ID)
	wantErr(t, err, errs.NotFound, "")

	_, err = f.svc.Choose(ctx, client, home.ID, ChoiceInput{OfferID: over.ID})
	wantErr(t, err, errs.Conflict, "")
	_, err = f.svc.DecideOffer(ctx, broker, over.ID, true, "")
	wantErr(t, err, errs.Forbidden, "")
	_, err = f.svc.DecideOffer(ctx, approver, over.ID, false, "")
	wantErr(t, err, errs.Invalid, "note")
	pending, err := f.svc.PendingApprovals(ctx, approver)
	if err != nil || len(pending) != 1 || pending[0].OverByPence != 1400 {
		t.Fatalf("pending approvals: %+v %v", pending, err)
	}
	if _, err := f.svc.DecideOffer(ctx, approver, over.ID, false, "a cheaper offer meets the need"); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.DecideOffer(ctx, approver, good.ID, true, "")
	wantErr(t, err, errs.Conflict, "")

	// The person chooses; the other provider is told.
	_, err = f.svc.Choose(ctx, client, home.ID, ChoiceInput{OfferID: uuid.New()})
	wantErr(t, err, errs.NotFound, "offer_id")
	choice, err := f.svc.Choose(ctx, client, home.ID, ChoiceInput{OfferID: good.ID})
	if err != nil || choice.ChosenAs != ChosenByPerson {
		t.Fatalf("choose: %+v %v", choice, err)
	}
	_, err = f.svc.Choose(ctx, client, home.ID, ChoiceInput{OfferID: good.ID})
	wantErr(t, err, errs.Conflict, "")
	if f.notices("offer.chosen", near.OrgID.String()) != 1 || f.notices("offer.not_chosen", dear.OrgID.String()) != 1 {
		t.Fatal("the providers were not told the choice")
	}
	if v, _ := f.svc.Invitation(ctx, dear.User, invs[1].ID); v.Outcome != "not_chosen" {
		t.Fatalf("the unchosen provider sees %q", v.Outcome)
	}

	// Agree the start date.
	_, err = f.svc.AgreeStartDate(ctx, client, home.ID, f.today().AddDays(6))
	wantErr(t, err, errs.Invalid, "start_date")
	_, err = f.svc.AgreeStartDate(ctx, near.User, home.ID, f.today().AddDays(7))
	wantErr(t, err, errs.Forbidden, "")
	start := f.today().AddDays(7)
	ag, err := f.svc.AgreeStartDate(ctx, client, home.ID, start)
	if err != nil {
		t.Fatal(err)
	}
	if ag.StartDate != start || ag.WeeklyCostPence != 33600 || ag.HoursPerWeek != 14 || ag.PersonName != "Ada Example" ||
		ag.ProviderOrgID != near.OrgID || ag.PlanID != plan.ID || ag.Reference == "" || ag.InformationPack.Preferences.Language != "Urdu" {
		t.Fatalf("agreement: %+v", ag)
	}
	_, err = f.svc.AgreeStartDate(ctx, client, home.ID, start)
	wantErr(t, err, errs.Conflict, "")
	r, _ := f.svc.Request(ctx, client, home.ID)
	if r.Status != Agreed || r.AgreedStartDate != start || *r.AgreementID != ag.ID {
		t.Fatalf("request after agreement: %+v", r)
	}
	if v, _ := f.svc.Invitation(ctx, near.User, invs[0].ID); v.Outcome != "agreed" || v.AgreedStartDate != start {
		t.Fatalf("the chosen provider sees %q from %s", v.Outcome, v.AgreedStartDate)
	}
	var reserved int
	f.db.Gorm(context.Background()).Raw(`SELECT reserved_units FROM provider_capacity WHERE service_id = ? AND from_date = ?`, near.ServiceID, start).Scan(&reserved)
	if reserved != 14 {
		t.Fatalf("reserved %d hours from the start date, want 14", reserved)
	}
	if n := f.count("notifications", "kind = ? AND agreement_id = ?", agreements.FinanceNotificationKind, ag.ID); n != 1 {
		t.Fatalf("finance notifications: %d", n)
	}
	ts, _ := f.svc.Transitions(ctx, broker, home.ID)
	var path []string
	for _, tr := range ts {
		path = append(path, string(tr.To))
	}
	if strings.Join(path, ",") != "open,matching,invited,offers_received,chosen,agreed" {
		t.Fatalf("transitions: %v", path)
	}
	if ev := f.events("request.agree"); len(ev) != 1 || *ev[0].ActorUserID != client.UserID {
		t.Fatalf("agree audit: %+v", ev)
	}
}

func TestBrokerRecordsTheChoiceOnThePersonsBehalf(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.provider("homecare", providerOpts{})
	broker, person, r, invs := f.invited("Bea Example", p)
	o, err := f.svc.MakeOffer(ctx, p.User, invs[0].ID, f.hourlyOffer(2400))
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Choose(ctx, broker, r.ID, ChoiceInput{OfferID: o.ID, RepresentativeName: "Dan"})
	wantErr(t, err, errs.Invalid, "representative_name")
	c, err := f.svc.Choose(ctx, broker, r.ID, ChoiceInput{OfferID: o.ID, Reason: "Bea told me by phone"})
	if err != nil || c.ChosenAs != ChosenByBroker || c.ChosenBy != broker.UserID {
		t.Fatalf("choice: %+v %v", c, err)
	}
	ev := f.events("request.choose")
	if len(ev) != 1 || ev[0].OnBehalfOf == nil || *ev[0].OnBehalfOf != "person" || *ev[0].PersonID != person.ID {
		t.Fatalf("the audit does not say the broker chose on the person's behalf: %+v", ev)
	}
	ts, _ := f.svc.Transitions(ctx, broker, r.ID)
	if last := ts[len(ts)-1]; last.To != Chosen || last.OnBehalfOf != "person" || last.ActorRole != "broker" {
		t.Fatalf("transition: %+v", last)
	}
	if _, err := f.svc.AgreeStartDate(ctx, broker, r.ID, o.EarliestStart); err != nil {
		t.Fatal(err)
	}
	if ev := f.events("request.agree"); len(ev) != 1 || *ev[0].OnBehalfOf != "person" {
		t.Fatalf("agree audit: %+v", ev)
	}
}

func TestRepresentativeChoosesAndWithdrawnOffersCannotBeChosen(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	a := f.provider("homecare", providerOpts{})
	b := f.provider("homecare", providerOpts{kmEast: 1})
	broker, person, r, invs := f.invited("Cy Example", a, b)
	rep := f.client(person)
	oa, err := f.svc.MakeOffer(ctx, a.User, invs[0].ID, f.hourlyOffer(2400))
	if err != nil {
		t.Fatal(err)
	}
	ob, err := f.svc.MakeOffer(ctx, b.User, invs[1].ID, f.hourlyOffer(2450))
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.WithdrawOffer(ctx, b.User, oa.ID, "")
	wantErr(t, err, errs.NotFound, "")
	if _, err := f.svc.WithdrawOffer(ctx, a.User, oa.ID, "staff left"); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.WithdrawOffer(ctx, a.User, oa.ID, "")
	wantErr(t, err, errs.Conflict, "")
	_, err = f.svc.Choose(ctx, rep, r.ID, ChoiceInput{OfferID: oa.ID})
	wantErr(t, err, errs.Conflict, "")
	// A withdrawn offer's invitation can be answered again.
	again, err := f.svc.MakeOffer(ctx, a.User, invs[0].ID, f.hourlyOffer(2500))
	if err != nil {
		t.Fatalf("offer again after withdrawing: %v", err)
	}
	c, err := f.svc.Choose(ctx, rep, r.ID, ChoiceInput{OfferID: ob.ID, RepresentativeName: "Dan Example (son)"})
	if err != nil || c.ChosenAs != ChosenByRepresentative || c.RepresentativeName != "Dan Example (son)" {
		t.Fatalf("representative's choice: %+v %v", c, err)
	}
	if o, _ := f.svc.store.offer(ctx, again.ID, false); o.Status != OfferNotChosen {
		t.Fatalf("the other open offer is %s", o.Status)
	}
	_, err = f.svc.WithdrawOffer(ctx, b.User, ob.ID, "")
	wantErr(t, err, errs.Conflict, "")
	_ = broker
}

func TestOffersOnClosedRequestsAndDeclines(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	a := f.provider("homecare", providerOpts{})
	b := f.provider("homecare", providerOpts{kmEast: 1})
	broker, _, r, invs := f.invited("Di Example", a, b)
	_, err := f.svc.Decline(ctx, b.User, invs[1].ID, " ")
	wantErr(t, err, errs.Invalid, "reason")
	v, err := f.svc.Decline(ctx, b.User, invs[1].ID, "no carers free in M16")
	if err != nil || v.Outcome != "declined" {
		t.Fatalf("decline: %+v %v", v, err)
	}
	_, err = f.svc.MakeOffer(ctx, b.User, invs[1].ID, f.hourlyOffer(2400))
	wantErr(t, err, errs.Conflict, "")
	_, err = f.svc.CancelRequest(ctx, broker, r.ID, "")
	wantErr(t, err, errs.Invalid, "reason")
	if _, err := f.svc.CancelRequest(ctx, broker, r.ID, "the person moved to another council"); err != nil {
		t.Fatal(err)
	}
	if f.notices("invitation.closed", a.OrgID.String()) != 1 {
		t.Fatal("the invited provider was not told the request closed")
	}
	_, err = f.svc.MakeOffer(ctx, a.User, invs[0].ID, f.hourlyOffer(2400))
	wantErr(t, err, errs.Conflict, "")
	_, err = f.svc.RunMatch(ctx, broker, r.ID)
	wantErr(t, err, errs.Conflict, "")
}

func TestEngineAdaptersKeepDates(t *testing.T) {
	t.Parallel()
	d := day.New(2026, 12, 1)
	if engineDate(d).String() != "2026-12-01" || engineDate(day.Date{}) != 0 {
		t.Fatal("engineDate")
	}
	if _, ok := engineRequest(Request{ServiceType: "gardening"}, 0, 0); ok {
		t.Fatal("an unknown type converted")
	}
	mr, ok := engineRequest(Request{ID: uuid.New(), ServiceType: "homecare", HoursPerWeek: 10, Postcode: "M16 0RA", StartDate: d,
		BudgetWeeklyPence: 100, Preferences: plans.Preferences{CulturalNeeds: "halal food, Muslim ,"}}, 53.4, -2.2)
	if !ok || mr.PostcodeDistrict != "M16" || len(mr.Preferences.CulturalTags) != 2 || mr.Validate() != nil || mr.ServiceType != matching.Homecare {
		t.Fatalf("engine request: %+v", mr)
	}
}
