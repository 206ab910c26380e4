package brokerage

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/plans"
)

func summaryOf(t *testing.T, ev audit.Event) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(ev.Summary, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// setThreshold makes the council's four-eyes amount pence a week.
func (f *fixture) setThreshold(pence int64) {
	f.t.Helper()
	admin := f.actor(accounts.Admin, "", nil, nil)
	if _, err := f.svc.Plans().UpdateSettings(ctx, admin, plans.NewSettings{SecondSignOffAboveWeeklyPence: &pence}); err != nil {
		f.t.Fatal(err)
	}
}

// TestAPlanAboveTheThresholdNeedsASecondPractitioner: the practitioner who
// wrote a plan above the council's amount cannot open its requests alone;
// their sign-off leaves it awaiting a second one, frozen; signing again
// does nothing; another practitioner of the team signs it off and the
// requests open. Each step is in the audit trail; the database refuses the
// same person twice even if the code did not.
func TestAPlanAboveTheThresholdNeedsASecondPractitioner(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.setThreshold(59999) // the plan's £600.00 a week is above it
	author, colleague := f.practitioner("community_led_support"), f.practitioner("community_led_support")
	elsewhere := f.practitioner("mental_health")
	person := f.person(author, "Ada Example")
	plan, err := f.svc.Plans().SubmitPlan(ctx, author, twoNeeds(person.ID, f.today().AddDays(7)))
	if err != nil {
		t.Fatal(err)
	}

	first, reqs, err := f.svc.SignOffPlan(ctx, author, plan.ID)
	if err != nil {
		t.Fatal(err)
	}
	if first.Status != plans.PlanAwaitingSecondSignOff || len(reqs) != 0 || first.SignedOffBy != nil ||
		first.FirstSignedOffBy == nil || *first.FirstSignedOffBy != author.UserID || first.FirstSignedOffAt == nil {
		t.Fatalf("after the author's sign-off: %+v, %d requests", first, len(reqs))
	}
	if n := f.count("requests", "plan_id = ?", plan.ID); n != 0 {
		t.Fatalf("%d requests opened on the author's sign-off alone", n)
	}
	if n := f.count("need_referrals", "plan_id = ?", plan.ID); n != 0 {
		t.Fatalf("%d needs referred on the author's sign-off alone", n)
	}
	ev := f.events("plan.first_sign_off")
	if len(ev) != 1 || ev[0].ActorUserID == nil || *ev[0].ActorUserID != author.UserID || len(f.events("plan.sign_off")) != 0 {
		t.Fatalf("first sign-off audit events: %+v", ev)
	}
	// The author again: refused, and nothing written.
	_, _, err = f.svc.SignOffPlan(ctx, author, plan.ID)
	wantErr(t, err, errs.Forbidden, "")
	// Another team's practitioner cannot see it.
	_, _, err = f.svc.SignOffPlan(ctx, elsewhere, plan.ID)
	wantErr(t, err, errs.NotFound, "")
	// The plan as the view shows it.
	view, err := f.svc.PlanNeeds(ctx, colleague, plan.ID)
	if err != nil || view.Status != string(plans.PlanAwaitingSecondSignOff) || view.FirstSignedOffBy == nil || view.Needs[0].State != NotYetMet ||
		view.Needs[0].Why != "the plan awaits its second sign-off: nothing is arranged until another practitioner signs it off" {
		t.Fatalf("plan view: %+v %v", view, err)
	}
	waiting, err := f.svc.Plans().PlansAwaitingSecondSignOff(ctx, colleague)
	if err != nil || len(waiting) != 1 || waiting[0].ID != plan.ID || waiting[0].PersonName != "Ada Example" || waiting[0].BudgetWeeklyPence != 60000 {
		t.Fatalf("the team's plans awaiting a second sign-off: %+v %v", waiting, err)
	}
	if others, err := f.svc.Plans().PlansAwaitingSecondSignOff(ctx, elsewhere); err != nil || len(others) != 0 {
		t.Fatalf("another team sees %d plans awaiting: %v", len(others), err)
	}
	// Frozen while it waits: the database refuses a change to it.
	for _, sql := range []string{
		`UPDATE plans SET budget_weekly_pence = 1 WHERE id = ?`,
		`UPDATE plans SET first_signed_off_at = now() WHERE id = ?`,
		`UPDATE plan_needs SET hours_per_week = 1 WHERE plan_id = ?`,
		`DELETE FROM plans WHERE id = ?`,
	} {
		wantErr(t, dbErr(f.db.Gorm(context.Background()).Exec(sql, plan.ID).Error), errs.Conflict, "")
	}

	second, reqs, err := f.svc.SignOffPlan(ctx, colleague, plan.ID)
	if err != nil {
		t.Fatal(err)
	}
	if second.Status != plans.PlanSignedOff || len(reqs) != 2 || *second.SignedOffBy != colleague.UserID || *second.FirstSignedOffBy != author.UserID {
		t.Fatalf("after the second sign-off: %+v, %d requests", second, len(reqs))
	}
	signOffs := f.events("plan.sign_off")
	if len(signOffs) != 1 || *signOffs[0].ActorUserID != colleague.UserID || summaryOf(t, signOffs[0])["first_signed_off_by"] != author.UserID.String() {
		t.Fatalf("second sign-off audit events: %+v", signOffs)
	}
	if len(f.events("request.open")) != 2 || len(f.events("need.refer")) != 1 {
		t.Fatal("the second sign-off did not open the requests and referral")
	}
	_, _, err = f.svc.SignOffPlan(ctx, colleague, plan.ID)
	wantErr(t, err, errs.Conflict, "")
	if n := f.count("plans", "id = ? AND first_signed_off_by = signed_off_by", plan.ID); n != 0 {
		t.Fatal("one person signed twice")
	}
}

// TestTheDatabaseRefusesOnePersonSigningTwice: the four-eyes constraint
// holds whatever the code does.
func TestTheDatabaseRefusesOnePersonSigningTwice(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.setThreshold(0)
	author := f.practitioner("community_led_support")
	person := f.person(author, "Ada Example")
	plan, err := f.svc.Plans().SubmitPlan(ctx, author, twoNeeds(person.ID, f.today().AddDays(7)))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.SignOffPlan(ctx, author, plan.ID); err != nil {
		t.Fatal(err)
	}
	err = f.db.Gorm(context.Background()).Exec(`UPDATE plans SET status = 'signed_off', signed_off_by = first_signed_off_by, signed_off_at = now() WHERE id = ?`, plan.ID).Error
	if err == nil || !strings.Contains(err.Error(), "plans_four_eyes") {
		t.Fatalf("the database let the first signer sign second: %v", err)
	}
}

// TestAtOrBelowTheThresholdOneSignOffIsEnough: unchanged from before.
func TestAtOrBelowTheThresholdOneSignOffIsEnough(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.setThreshold(60000) // the plan is exactly £600.00 a week: not above
	p := f.practitioner("community_led_support")
	_, plan, reqs := f.signedOff(p, "Ada Example")
	if plan.Status != plans.PlanSignedOff || len(reqs) != 2 || plan.FirstSignedOffBy != nil || *plan.SignedOffBy != p.UserID {
		t.Fatalf("at the threshold: %+v, %d requests", plan, len(reqs))
	}
	if len(f.events("plan.first_sign_off")) != 0 || len(f.events("plan.sign_off")) != 1 {
		t.Fatal("a plan at the threshold went through two sign-offs")
	}
}

// TestChangingAPlanAwaitingItsSecondSignOffWithdrawsTheFirst: the second
// practitioner approves what the first signed, so a change sends the plan
// back to draft, and it needs both sign-offs again.
func TestChangingAPlanAwaitingItsSecondSignOffWithdrawsTheFirst(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.setThreshold(50000)
	author, colleague := f.practitioner("community_led_support"), f.practitioner("community_led_support")
	person := f.person(author, "Ada Example")
	plan, err := f.svc.Plans().SubmitPlan(ctx, author, twoNeeds(person.ID, f.today().AddDays(7)))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.SignOffPlan(ctx, colleague, plan.ID); err != nil {
		t.Fatal(err)
	}
	changed := twoNeeds(person.ID, f.today().AddDays(8)).PlanContent
	updated, err := f.svc.Plans().UpdatePlan(ctx, author, plan.ID, changed)
	if err != nil {
		t.Fatal(err)
	}
	if updated.Status != plans.PlanDraft || updated.FirstSignedOffBy != nil || updated.Needs[0].StartDate != f.today().AddDays(8) {
		t.Fatalf("after the change: %+v", updated)
	}
	ev := f.events("plan.update")
	if len(ev) != 1 || summaryOf(t, ev[0])["first_sign_off_withdrawn"] == nil {
		t.Fatalf("the withdrawn sign-off is not in the audit trail: %+v", ev)
	}
	// Both sign-offs again: the colleague's earlier one no longer counts.
	again, reqs, err := f.svc.SignOffPlan(ctx, author, plan.ID)
	if err != nil || again.Status != plans.PlanAwaitingSecondSignOff || len(reqs) != 0 {
		t.Fatalf("the first sign-off again: %+v %v", again, err)
	}
	done, reqs, err := f.svc.SignOffPlan(ctx, colleague, plan.ID)
	if err != nil || done.Status != plans.PlanSignedOff || len(reqs) != 2 {
		t.Fatalf("the second sign-off: %+v %v", done, err)
	}
}

func TestOnlyAnAdministratorChangesTheSettings(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.practitioner("community_led_support")
	set, err := f.svc.Plans().Settings(ctx, p)
	if err != nil || set.SecondSignOffAboveWeeklyPence != 150000 {
		t.Fatalf("the default settings: %+v %v", set, err)
	}
	amount := int64(1)
	_, err = f.svc.Plans().UpdateSettings(ctx, p, plans.NewSettings{SecondSignOffAboveWeeklyPence: &amount})
	wantErr(t, err, errs.Forbidden, "")
	admin := f.actor(accounts.Admin, "", nil, nil)
	_, err = f.svc.Plans().UpdateSettings(ctx, admin, plans.NewSettings{})
	wantErr(t, err, errs.Invalid, "second_sign_off_above_weekly_pence")
	amount = -1
	_, err = f.svc.Plans().UpdateSettings(ctx, admin, plans.NewSettings{SecondSignOffAboveWeeklyPence: &amount})
	wantErr(t, err, errs.Invalid, "second_sign_off_above_weekly_pence")
	amount = 0
	set, err = f.svc.Plans().UpdateSettings(ctx, admin, plans.NewSettings{SecondSignOffAboveWeeklyPence: &amount})
	if err != nil || set.SecondSignOffAboveWeeklyPence != 0 || *set.UpdatedBy != admin.UserID {
		t.Fatalf("settings after the change: %+v %v", set, err)
	}
	ev := f.events("settings.update")
	if len(ev) != 1 {
		t.Fatalf("%d settings.update events, want 1", len(ev))
	}
	if _, err := f.svc.Plans().Settings(ctx, f.actor(accounts.Broker, "", nil, nil)); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("a broker read the settings: %v", err)
	}
}

func TestPlanSignOffChecksItsOwnPreconditions(t *testing.T) {
	t.Parallel()
	author, colleague := uuid.New(), uuid.New()
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name         string
		plan         plans.Plan
		by           uuid.UUID
		secondNeeded bool
		done         bool
		status       plans.PlanStatus
		code         errs.Code
	}{
		{"a draft below the amount: one sign-off", plans.Plan{Status: plans.PlanDraft}, author, false, true, plans.PlanSignedOff, ""},
		{"a draft above the amount: the first of two", plans.Plan{Status: plans.PlanDraft}, author, true, false, plans.PlanAwaitingSecondSignOff, ""},
		{"the first signer again", plans.Plan{Status: plans.PlanAwaitingSecondSignOff, FirstSignedOffBy: &author, FirstSignedOffAt: &now}, author, true, false, plans.PlanAwaitingSecondSignOff, errs.Forbidden},
		{"another practitioner second", plans.Plan{Status: plans.PlanAwaitingSecondSignOff, FirstSignedOffBy: &author, FirstSignedOffAt: &now}, colleague, true, true, plans.PlanSignedOff, ""},
		{"awaiting, though the amount has since gone up", plans.Plan{Status: plans.PlanAwaitingSecondSignOff, FirstSignedOffBy: &author, FirstSignedOffAt: &now}, colleague, false, true, plans.PlanSignedOff, ""},
		{"already signed off", plans.Plan{Status: plans.PlanSignedOff, SignedOffBy: &author, SignedOffAt: &now}, colleague, false, false, plans.PlanSignedOff, errs.Conflict},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.plan
			done, err := p.SignOff(tc.by, now, tc.secondNeeded)
			if done != tc.done || p.Status != tc.status || errs.CodeOf(err) != tc.code {
				t.Fatalf("done %v, status %s, error %v; want %v, %s, %q", done, p.Status, err, tc.done, tc.status, tc.code)
			}
			if tc.status == plans.PlanSignedOff && tc.code == "" && (*p.SignedOffBy != tc.by || (p.FirstSignedOffBy != nil && *p.FirstSignedOffBy == *p.SignedOffBy)) {
				t.Fatalf("signed by %v, first %v", p.SignedOffBy, p.FirstSignedOffBy)
			}
		})
	}
	p := plans.Plan{Status: plans.PlanAwaitingSecondSignOff, FirstSignedOffBy: &author, FirstSignedOffAt: &now}
	if withdrew, err := p.ReturnToDraft(now); !withdrew || err != nil || p.Status != plans.PlanDraft || p.FirstSignedOffBy != nil {
		t.Fatalf("back to draft: %v %v %+v", withdrew, err, p)
	}
	signed := plans.Plan{Status: plans.PlanSignedOff, SignedOffAt: &now}
	if _, err := signed.ReturnToDraft(now); !errs.Is(err, errs.Conflict) {
		t.Fatalf("a signed-off plan went back to draft: %v", err)
	}
}
