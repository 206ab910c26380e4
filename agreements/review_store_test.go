package agreements

import (
	"context"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/pgtest"
)

func TestReviewTasksForTheTeam(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	s := NewStore(db)
	ctx := context.Background()
	n := sampleAgreement()
	n.StartDate = day.MustParse("2028-02-29")
	a := create(t, s, db, accounts.SystemActor, n)
	prac := user(t, db, accounts.NewUser{Role: accounts.Practitioner, Team: n.Team})
	other := user(t, db, accounts.NewUser{Role: accounts.Practitioner, Team: "mental_health"})
	broker := user(t, db, accounts.NewUser{Role: accounts.Broker})

	tasks, err := s.Reviews(ctx, prac, ReviewFilter{})
	if err != nil || len(tasks) != 3 {
		t.Fatalf("reviews: %d, %v", len(tasks), err)
	}
	want := []struct {
		kind     ReviewKind
		from, by string
	}{{WelfareCheck, "2028-03-03", "2028-03-03"}, {FirstReview, "2028-04-11", "2028-04-25"}, {AnnualReview, "2029-01-31", "2029-02-28"}}
	for i, w := range want {
		got := tasks[i]
		if got.Kind != w.kind || got.DueFrom.String() != w.from || got.DueBy.String() != w.by ||
			got.Reference != a.Reference || got.PersonName != n.PersonName || got.Status != ReviewOpen {
			t.Errorf("task %d: %+v, want %v", i, got, w)
		}
	}
	if o, _ := s.Reviews(ctx, other, ReviewFilter{}); len(o) != 0 {
		t.Fatalf("another team sees %d of these reviews", len(o))
	}
	if _, err := s.Reviews(ctx, broker, ReviewFilter{}); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("a broker lists reviews: %v, want Forbidden", err)
	}
	if _, err := s.Reviews(ctx, prac, ReviewFilter{Status: "soon"}); !errs.Is(err, errs.Invalid) {
		t.Fatalf("unknown status: %v", err)
	}

	welfare := tasks[0]
	if _, err := s.CompleteReview(ctx, other, welfare.ID, "Visited"); !errs.Is(err, errs.NotFound) {
		t.Fatalf("another team completes it: %v, want NotFound", err)
	}
	if _, err := s.CompleteReview(ctx, prac, welfare.ID, ""); !errs.Is(err, errs.Invalid) {
		t.Fatalf("no outcome: %v, want Invalid", err)
	}
	done, err := s.CompleteReview(ctx, prac, welfare.ID, "Visited: settling in, cat fed")
	if err != nil || done.Status != ReviewCompleted || *done.CompletedBy != prac.UserID {
		t.Fatalf("complete: %+v, %v", done, err)
	}
	if _, err := s.CompleteReview(ctx, prac, welfare.ID, "again"); !errs.Is(err, errs.Conflict) {
		t.Fatalf("completing twice: %v, want Conflict", err)
	}
	if open, _ := s.Reviews(ctx, prac, ReviewFilter{}); len(open) != 2 {
		t.Fatalf("%d open after one completion, want 2", len(open))
	}

	// Completing the yearly review schedules the next on the anniversary.
	annual := tasks[2]
	if _, err := s.CompleteReview(ctx, prac, annual.ID, "Reviewed with Ada and her son; no change"); err != nil {
		t.Fatal(err)
	}
	open, _ := s.Reviews(ctx, prac, ReviewFilter{})
	last := open[len(open)-1]
	if last.Kind != AnnualReview || last.DueBy.String() != "2030-02-28" || last.Status != ReviewOpen {
		t.Fatalf("next yearly review %+v, want due 2030-02-28", last)
	}
	if all, _ := s.Reviews(ctx, prac, ReviewFilter{Status: "all"}); len(all) != 4 {
		t.Fatalf("%d tasks in all, want 4", len(all))
	}
	if c := countRows(t, db, `SELECT count(*) FROM audit_events WHERE action = 'review.complete'`); c != 2 {
		t.Fatalf("%d completions audited, want 2", c)
	}
}

func TestConcurrentCompletionsCompleteOnce(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	s := NewStore(db)
	n := sampleAgreement()
	create(t, s, db, accounts.SystemActor, n)
	prac := user(t, db, accounts.NewUser{Role: accounts.Practitioner, Team: n.Team})
	tasks, _ := s.Reviews(context.Background(), prac, ReviewFilter{})
	annual := tasks[2].ID
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[errs.Code]int{}
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.CompleteReview(context.Background(), prac, annual, "Held")
			mu.Lock()
			codes[errs.CodeOf(err)]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if codes[""] != 1 || codes[errs.Conflict] != 7 {
		t.Fatalf("results %v, want one completion and seven conflicts", codes)
	}
	if c := countRows(t, db, `SELECT count(*) FROM review_tasks WHERE kind = 'annual_review'`); c != 2 {
		t.Fatalf("%d yearly reviews, want 2 (the completed one and the next)", c)
	}
	if _, err := s.CompleteReview(context.Background(), prac, uuid.New(), "x"); !errs.Is(err, errs.NotFound) {
		t.Fatalf("completing nothing: %v", err)
	}
}
