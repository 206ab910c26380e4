package brokerage

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/plans"
)

// agreeWith takes a home care request through brokerage with provider p
// at £24 an hour from start, the broker acting for the person.
func (f *fixture) agreeWith(r Request, p provider, start day.Date) agreements.Agreement {
	f.t.Helper()
	broker := f.actor(accounts.Broker, "", nil, nil)
	if _, err := f.svc.RunMatch(ctx, broker, r.ID); err != nil {
		f.t.Fatal(err)
	}
	invs, err := f.svc.Invite(ctx, broker, r.ID, []uuid.UUID{p.ServiceID})
	if err != nil {
		f.t.Fatal(err)
	}
	o, err := f.svc.MakeOffer(ctx, p.User, invs[0].ID, NewOffer{WeeklyPricePence: 2400 * int64(r.HoursPerWeek), HourlyRatePence: 2400,
		HoursPerWeek: r.HoursPerWeek, EarliestStart: start, ValidUntil: start.AddDays(14)})
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.svc.Choose(ctx, broker, r.ID, ChoiceInput{OfferID: o.ID}); err != nil {
		f.t.Fatal(err)
	}
	a, err := f.svc.AgreeStartDate(ctx, broker, r.ID, start)
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

// TestADirectPaymentReplacedAtAReviewStopsWhenTheServiceStarts: a review
// turns a need met by a direct payment into home care arranged by the
// council. The payment goes on until the agreement starts, then ends;
// finance is told to stop paying it, once; its reviews are cancelled.
func TestADirectPaymentReplacedAtAReviewStopsWhenTheServiceStarts(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	agency := f.provider("homecare", providerOpts{})
	prac := f.practitioner("community_led_support")
	person := f.person(prac, "Dolly Replaced")
	draft, err := f.svc.Plans().SubmitPlan(ctx, prac, plans.NewPlan{PersonID: person.ID, PlanContent: plans.PlanContent{PersonalBudgetWeeklyPence: 40000,
		Needs: []plans.NewNeed{{Outcome: "Help with meals", HowMet: plans.DirectPayment, WeeklyBudgetPence: 20000,
			DirectPayment: &plans.DirectPaymentTerms{AmountPence: 20000, Frequency: plans.PaidWeekly, Purchase: plans.BuysPersonalAssistant}}}}})
	if err != nil {
		t.Fatal(err)
	}
	plan, _, err := f.svc.SignOffPlan(ctx, prac, draft.ID)
	if err != nil {
		t.Fatal(err)
	}
	dp := plan.Needs[0].ID
	if _, err := f.svc.SetUpDirectPayment(ctx, prac, dp, DirectPaymentSetUp{FirstPaymentOn: f.today(), PaymentReference: "DP-9"}); err != nil {
		t.Fatal(err)
	}
	id := dp
	change := ReviewChange{Outcome: "She can no longer manage a personal assistant", Plan: PlanRevision{Needs: []plans.NewNeed{
		{Outcome: "Help with meals", HowMet: plans.CouncilArranged, WeeklyBudgetPence: 20000, ServiceType: "homecare", HoursPerWeek: 7,
			StartDate: f.today().AddDays(14), Urgency: plans.Standard, PreviousNeedID: &id}}}}
	got, err := f.svc.ChangePlanAtReview(ctx, prac, f.planReview(plan, "she is struggling", 7).ID, change)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Requests) != 1 || len(got.Variations) != 0 {
		t.Fatalf("the change: %d requests, %d variations", len(got.Requests), len(got.Variations))
	}
	if r, _ := f.svc.store.referral(ctx, dp, false); r.Status != RouteMet {
		t.Fatalf("the direct payment stopped before the service started: %s", r.Status)
	}
	f.agreeWith(got.Requests[0], agency, f.today().AddDays(14))
	if r, _ := f.svc.store.referral(ctx, dp, false); r.Status != RouteEnded {
		t.Fatalf("the direct payment goes on after the service started: %s", r.Status)
	}
	if n := f.count("notifications", "kind = 'direct_payment.ended' AND audience_kind = 'finance' AND object_id = ?", dp.String()); n != 1 {
		t.Fatalf("%d notifications telling finance to stop the payment, want 1", n)
	}
	v, err := f.svc.PlanNeeds(ctx, prac, got.Plan.ID)
	if err != nil || !v.AllNeedsMet {
		t.Fatalf("after the service started: %+v %v", v, err)
	}
}

// TestAReviewGivesANewArrangementToANeedWhoseArrangementIsOver: a need
// carried over unchanged whose request was cancelled gets a new request,
// not the dead one; given as it was, its start date in the past is refused.
func TestAReviewGivesANewArrangementToANeedWhoseArrangementIsOver(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	prac := f.practitioner("community_led_support")
	_, plan, reqs := f.signedOff(prac, "Cora Cancelled")
	if _, err := f.svc.CancelRequest(ctx, prac, reqs[1].ID, "the day centre closed"); err != nil {
		t.Fatal(err)
	}
	f.advance(30 * 24 * time.Hour) // a month: the old start dates are past
	review := f.planReview(plan, "the day centre closed", 7)
	if _, err := f.svc.ChangePlanAtReview(ctx, prac, review.ID, keepAll(plan)); err == nil {
		t.Fatal("a need with a dead arrangement was carried over with its start date in the past")
	}
	change := keepAll(plan)
	renewed := plan.Needs[1].Content()
	renewed.StartDate = f.today().AddDays(7)
	id := plan.Needs[1].ID
	renewed.PreviousNeedID = &id
	change.Plan.Needs[1] = renewed
	got, err := f.svc.ChangePlanAtReview(ctx, prac, review.ID, change)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Requests) != 1 || got.Requests[0].ServiceType != "day_services" || len(got.Continued) != 2 {
		t.Fatalf("the review: %d requests, %d continued", len(got.Requests), len(got.Continued))
	}
}
