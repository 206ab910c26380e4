package brokerage

import (
	"context"
	"testing"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/plans"
)

func wantErr(t *testing.T, err error, code errs.Code, field string) {
	t.Helper()
	e := errs.As(err)
	if e == nil || e.Code != code || (field != "" && e.Field != field) {
		t.Fatalf("want %s naming %q, got %v", code, field, err)
	}
}

func TestSignOffOpensARequestPerArrangedNeedAndFreezesThePlan(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.practitioner("community_led_support")
	person := f.person(p, "Ada Example")
	plan, err := f.svc.Plans().SubmitPlan(ctx, p, twoNeeds(person.ID, f.today().AddDays(7)))
	if err != nil {
		t.Fatal(err)
	}
	if plan.Status != plans.PlanDraft || plan.Team != "community_led_support" || len(plan.Needs) != 3 {
		t.Fatalf("submitted plan: %+v", plan)
	}
	signed, reqs, err := f.svc.SignOffPlan(ctx, p, plan.ID)
	if err != nil {
		t.Fatal(err)
	}
	if signed.Status != plans.PlanSignedOff || signed.SignedOffAt == nil || *signed.SignedOffBy != p.UserID {
		t.Fatalf("signed-off plan: %+v", signed)
	}
	if len(reqs) != 2 {
		t.Fatalf("want 2 requests, got %d", len(reqs))
	}
	home := reqs[0]
	if home.Status != Open || home.ServiceType != "homecare" || home.HoursPerWeek != 14 || home.BudgetWeeklyPence != 35000 ||
		home.Funding != CouncilFunded || home.Postcode != "M16 0RA" || home.Latitude == nil || home.Reference == "" ||
		home.Preferences.Language != "Urdu" || home.Urgency != plans.Standard {
		t.Fatalf("homecare request: %+v", home)
	}
	if reqs[1].Places != 1 || reqs[1].Urgency != plans.Interim {
		t.Fatalf("day services request: %+v", reqs[1])
	}
	if n := f.count("need_referrals", "plan_id = ? AND route = ?", plan.ID, plans.DirectPayment); n != 1 {
		t.Fatalf("want the direct payment need referred once, got %d", n)
	}
	ts, err := f.svc.Transitions(ctx, p, home.ID)
	if err != nil || len(ts) != 1 || ts[0].From != "" || ts[0].To != Open || *ts[0].ActorUserID != p.UserID || ts[0].ActorRole != "practitioner" {
		t.Fatalf("transitions: %+v %v", ts, err)
	}
	if len(f.events("plan.sign_off")) != 1 || len(f.events("request.open")) != 2 || len(f.events("need.refer")) != 1 {
		t.Fatal("sign-off did not write its audit events")
	}

	// Frozen: the use case refuses, and so does the database.
	_, err = f.svc.Plans().UpdatePlan(ctx, p, plan.ID, twoNeeds(person.ID, f.today().AddDays(8)).PlanContent)
	wantErr(t, err, errs.Conflict, "")
	_, _, err = f.svc.SignOffPlan(ctx, p, plan.ID)
	wantErr(t, err, errs.Conflict, "")
	for _, sql := range []string{
		`UPDATE plans SET budget_weekly_pence = 1 WHERE id = ?`,
		`DELETE FROM plans WHERE id = ?`,
		`UPDATE plan_needs SET hours_per_week = 1 WHERE plan_id = ?`,
		`DELETE FROM plan_needs WHERE plan_id = ?`,
		`INSERT INTO plan_needs (plan_id, position, outcome, how_met) VALUES (?, 9, 'x', 'own_resources')`,
	} {
		err := dbErr(f.db.Gorm(context.Background()).Exec(sql, plan.ID).Error)
		wantErr(t, err, errs.Conflict, "")
	}
	again, err := f.svc.Plans().Plan(ctx, p, plan.ID)
	if err != nil || again.BudgetWeeklyPence != 60000 || len(again.Needs) != 3 || again.Needs[0].RequestID == nil || again.Needs[2].RequestID != nil {
		t.Fatalf("the plan changed or lost its requests: %+v %v", again, err)
	}
}

func TestDraftPlansCanBeChangedAndOnlyOneDraftPerPerson(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.practitioner("community_led_support")
	person := f.person(p, "Ben Example")
	plan, err := f.svc.Plans().SubmitPlan(ctx, p, twoNeeds(person.ID, f.today().AddDays(7)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Plans().SubmitPlan(ctx, p, twoNeeds(person.ID, f.today().AddDays(7)))
	wantErr(t, err, errs.Conflict, "")

	c := twoNeeds(person.ID, f.today().AddDays(10)).PlanContent
	c.Needs = c.Needs[:1]
	c.PersonalBudgetWeeklyPence = 35000
	changed, err := f.svc.Plans().UpdatePlan(ctx, p, plan.ID, c)
	if err != nil || len(changed.Needs) != 1 || changed.BudgetWeeklyPence != 35000 {
		t.Fatalf("update: %+v %v", changed, err)
	}
	read, err := f.svc.Plans().Plan(ctx, p, plan.ID)
	if err != nil || len(read.Needs) != 1 || read.Needs[0].StartDate != f.today().AddDays(10) {
		t.Fatalf("read back: %+v %v", read, err)
	}
	ev := f.events("plan.update")
	if len(ev) != 1 || ev[0].PersonID == nil || *ev[0].PersonID != person.ID {
		t.Fatalf("update not audited: %+v", ev)
	}
	// A bad change names its field and changes nothing.
	c.Needs[0].HoursPerWeek = 0
	_, err = f.svc.Plans().UpdatePlan(ctx, p, plan.ID, c)
	wantErr(t, err, errs.Invalid, "needs[0].hours_per_week")
	if read, _ := f.svc.Plans().Plan(ctx, p, plan.ID); read.Needs[0].HoursPerWeek != 14 {
		t.Fatal("a refused change was written")
	}
}

func TestOnlySpecialistTeamsRaiseSpecialistRequests(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	generic := f.practitioner("community_led_support")
	mh := f.practitioner("mental_health")
	for _, c := range []struct {
		who  accounts.Actor
		want errs.Code
	}{{generic, errs.Invalid}, {mh, ""}} {
		person := f.person(c.who, "Cara Example")
		n := twoNeeds(person.ID, f.today().AddDays(7))
		n.Needs[0].ServiceType = "specialist_homecare"
		plan, err := f.svc.Plans().SubmitPlan(ctx, c.who, n)
		if c.want != "" {
			wantErr(t, err, c.want, "needs[0].service_type")
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		_, reqs, err := f.svc.SignOffPlan(ctx, c.who, plan.ID)
		if err != nil || !reqs[0].Specialist {
			t.Fatalf("mental health team: %+v %v", reqs, err)
		}
	}
}

func TestWhoSeesPersonsAndPlans(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.practitioner("community_led_support")
	other := f.practitioner("reablement")
	person, plan, _ := f.signedOff(p, "Dee Example")
	otherPerson := f.person(other, "Eve Example")
	client := f.client(person)
	otherClient := f.client(otherPerson)
	broker := f.actor(accounts.Broker, "", nil, nil)
	provider := f.provider("homecare", providerOpts{}).User
	finance := f.actor(accounts.Finance, "", nil, nil)

	for _, a := range []accounts.Actor{p, client, broker} {
		if _, err := f.svc.Plans().Plan(ctx, a, plan.ID); err != nil {
			t.Errorf("%s cannot read the plan: %v", a.Role, err)
		}
	}
	for _, a := range []accounts.Actor{other, otherClient, provider, finance} {
		_, err := f.svc.Plans().Plan(ctx, a, plan.ID)
		wantErr(t, err, errs.NotFound, "")
	}
	views, err := audit.Query(ctx, f.db, audit.Filter{Action: "plan.view", PersonID: person.ID})
	if err != nil || len(views) != 3 {
		t.Fatalf("want the three reads audited against the person, got %d (%v)", len(views), err)
	}
	// A practitioner cannot plan for another team's person; the field is named.
	_, err = f.svc.Plans().SubmitPlan(ctx, other, twoNeeds(person.ID, f.today().AddDays(7)))
	wantErr(t, err, errs.NotFound, "person_id")
	_, err = f.svc.Plans().SubmitPlan(ctx, broker, twoNeeds(person.ID, f.today().AddDays(7)))
	wantErr(t, err, errs.Forbidden, "")

	ps, err := f.svc.Plans().Persons(ctx, client)
	if err != nil || len(ps) != 1 || ps[0].ID != person.ID {
		t.Fatalf("a client lists only their person: %+v %v", ps, err)
	}
	ps, err = f.svc.Plans().Persons(ctx, other)
	if err != nil || len(ps) != 1 || ps[0].ID != otherPerson.ID {
		t.Fatalf("a practitioner lists only their team: %+v %v", ps, err)
	}
	_, err = f.svc.Plans().Persons(ctx, provider)
	wantErr(t, err, errs.Forbidden, "")
}
