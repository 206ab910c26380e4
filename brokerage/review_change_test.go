package brokerage

import (
	"context"
	"sync"
	"testing"

	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/plans"
)

// planReview schedules a review of plan p for its team, due in days. (A
// second review of a plan due the same day is the first one.)
func (f *fixture) planReview(p plans.Plan, why string, days int) agreements.ReviewTask {
	f.t.Helper()
	var task agreements.ReviewTask
	err := f.db.Transaction(context.Background(), func(tx *postgres.Tx) error {
		var err error
		task, err = f.deals.ScheduleReview(ctx, tx, f.practitioner(p.Team), agreements.NewReview{Subject: agreements.SubjectPlan,
			SubjectID: p.ID, PlanID: &p.ID, PersonID: p.PersonID, Team: p.Team, Kind: agreements.PlanReview,
			DueFrom: f.today(), DueBy: f.today().AddDays(days), Reason: why})
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return task
}

// keepAll is a review's new version carrying every need of p over unchanged.
func keepAll(p plans.Plan) ReviewChange {
	c := ReviewChange{Outcome: "Reviewed; nothing changes"}
	for _, n := range p.Needs {
		id := n.ID
		c.Plan.Needs = append(c.Plan.Needs, plans.NewNeed{PreviousNeedID: &id})
	}
	return c
}

// TestTwoReviewsOfOnePlanCannotBothChangeIt: two review tasks of the same
// plan, each changing it at the same moment: the plan's row lock and the
// unique index on supersedes_plan_id let exactly one new version through,
// and the other review is told the plan has changed (Conflict) and stays open.
func TestTwoReviewsOfOnePlanCannotBothChangeIt(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	prac := f.practitioner("community_led_support")
	_, plan, _ := f.signedOff(prac, "Rhoda Raced")
	tasks := []agreements.ReviewTask{f.planReview(plan, "her daughter moved away", 28), f.planReview(plan, "a fall at home", 14)}
	var wg sync.WaitGroup
	errors := make([]error, 2)
	for i := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errors[i] = f.svc.ChangePlanAtReview(ctx, prac, tasks[i].ID, keepAll(plan))
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errors {
		switch {
		case err == nil:
			won++
		case !errs.Is(err, errs.Conflict):
			t.Fatalf("the losing review: %v", err)
		}
	}
	if won != 1 || f.count("plans", "supersedes_plan_id = ?", plan.ID) != 1 {
		t.Fatalf("%d reviews changed the plan (%v), want 1", won, errors)
	}
	if f.count("review_tasks", "subject_id = ? AND status = 'open'", plan.ID) != 1 {
		t.Fatal("the losing review was completed")
	}
	// Carried over unchanged, the arranged needs keep their requests: no new ones.
	if n := f.count("requests", "person_id = ?", plan.PersonID); n != 2 {
		t.Fatalf("%d requests after an unchanged review, want the 2 of the first version", n)
	}
	// The database refuses a second successor even when the code would not.
	err := f.db.Gorm(context.Background()).Exec(`INSERT INTO plans (person_id, kind, team, status, budget_weekly_pence, submitted_by, submitted_at, updated_at, supersedes_plan_id)
		SELECT person_id, kind, team, 'draft', budget_weekly_pence, submitted_by, now(), now(), id FROM plans WHERE id = ?`, plan.ID).Error
	if err == nil {
		t.Fatal("a plan was superseded twice")
	}
}

// TestAReviewOfTheOldVersionChangesTheCurrentOne: a review raised on an
// earlier version (an agreement's review, say) changes the plan as it now
// is, following the versions forward.
func TestAReviewOfTheOldVersionChangesTheCurrentOne(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	prac := f.practitioner("community_led_support")
	_, v1, _ := f.signedOff(prac, "Vera Versions")
	early, late := f.planReview(v1, "first", 7), f.planReview(v1, "second", 14)
	first, err := f.svc.ChangePlanAtReview(ctx, prac, early.ID, keepAll(v1))
	if err != nil {
		t.Fatal(err)
	}
	v2, err := f.svc.Plans().Plan(ctx, prac, first.Plan.ID)
	if err != nil {
		t.Fatal(err)
	}
	second, err := f.svc.ChangePlanAtReview(ctx, prac, late.ID, keepAll(v2))
	if err != nil {
		t.Fatal(err)
	}
	if second.Superseded != v2.ID || len(second.Continued) != 3 {
		t.Fatalf("the second review changed %s (continued %d), want the second version %s", second.Superseded, len(second.Continued), v2.ID)
	}
	// A need of the first version is no longer the plan's to follow on
	// from: the plan changed since that version was read (Conflict).
	wrong := keepAll(v1)
	if _, err := f.svc.ChangePlanAtReview(ctx, prac, f.planReview(v1, "third", 21).ID, wrong); !errs.Is(err, errs.Conflict) {
		t.Fatalf("following on from a superseded version's need: %v", err)
	}
}

// TestAReviewKeepsWhatItDoesNotMention: a review's new version keeps the
// budget and flags it does not mention (an out-of-area placement is not
// lost by leaving it out) and changes those it does.
func TestAReviewKeepsWhatItDoesNotMention(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	prac := f.practitioner("community_led_support")
	person := f.person(prac, "Olga Out-of-Area")
	n := twoNeeds(person.ID, f.today().AddDays(7))
	n.OutOfArea, n.HostArea = true, "Cheshire East"
	draft, err := f.svc.Plans().SubmitPlan(ctx, prac, n)
	if err != nil {
		t.Fatal(err)
	}
	plan, _, err := f.svc.SignOffPlan(ctx, prac, draft.ID)
	if err != nil {
		t.Fatal(err)
	}
	change := keepAll(plan)
	got, err := f.svc.ChangePlanAtReview(ctx, prac, f.planReview(plan, "yearly", 30).ID, change)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Plan.OutOfArea || got.Plan.HostArea != "Cheshire East" || got.Plan.BudgetWeeklyPence != plan.BudgetWeeklyPence {
		t.Fatalf("the new version lost what the review did not mention: %+v", got.Plan)
	}
	more := int64(70000)
	change = keepAll(got.Plan)
	change.Plan.PersonalBudgetWeeklyPence = &more
	again, err := f.svc.ChangePlanAtReview(ctx, prac, f.planReview(got.Plan, "change", 40).ID, change)
	if err != nil {
		t.Fatal(err)
	}
	if again.Plan.BudgetWeeklyPence != more || !again.Plan.OutOfArea || len(again.Continued) != 3 {
		t.Fatalf("the budget change: %+v", again.Plan)
	}
}
