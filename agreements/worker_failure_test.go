package agreements

import (
	"context"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/pgtest"
)

func TestWorkerDeadLettersAfterMaxAttemptsAndAdminRetries(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	rc := newReceiver(t)
	rc.failNext = 1000
	s := NewStore(db)
	admin := user(t, db, accounts.NewUser{Role: accounts.Admin})
	broker := user(t, db, accounts.NewUser{Role: accounts.Broker})
	notifyAll(t, db, financeNote(1), financeNote(2))
	w := newTestWorker(t, db, nil, rc.srv.URL, func(c *WorkerConfig) { c.MaxAttempts = 3 })
	for pass := 1; pass <= 3; pass++ {
		r := deliverDue(t, w)
		if pass < 3 && r.Retried != 2 || pass == 3 && r.Dead != 2 {
			t.Fatalf("pass %d: %+v", pass, r)
		}
		makeDue(t, db)
	}
	if r := deliverDue(t, w); r.Claimed != 0 {
		t.Fatalf("a dead letter was claimed again: %+v", r)
	}
	requests, applied, _, _ := rc.snapshot()
	if requests != 6 || applied != 0 {
		t.Fatalf("receiver saw %d requests (%d applied), want 3 attempts each and none applied", requests, applied)
	}
	if _, err := s.DeadLetters(context.Background(), broker, 0); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("a broker lists dead letters: %v", err)
	}
	dead, err := s.DeadLetters(context.Background(), admin, 0)
	if err != nil || len(dead) != 2 {
		t.Fatalf("dead letters %d, %v; want 2", len(dead), err)
	}
	if d := dead[0].Delivery; d.Status != Dead || d.Attempts != 3 || d.DeadAt == nil || d.LastError == "" || d.InboxAt == nil {
		t.Fatalf("dead letter %+v", d)
	}
	if c := countRows(t, db, `SELECT count(*) FROM audit_events WHERE action = 'notification.dead_letter'`); c != 2 {
		t.Fatalf("%d dead letters audited, want 2", c)
	}

	// The finance system is back; an admin retries one.
	rc.mu.Lock()
	rc.failNext = 0
	rc.mu.Unlock()
	retried, err := s.RetryDeadLetter(context.Background(), admin, dead[0].ID)
	if err != nil || retried.Delivery.Status != Pending || retried.Delivery.Attempts != 0 {
		t.Fatalf("retry: %+v, %v", retried.Delivery, err)
	}
	if _, err := s.RetryDeadLetter(context.Background(), admin, dead[0].ID); !errs.Is(err, errs.Conflict) {
		t.Fatalf("retrying a notification that is no longer dead: %v, want Conflict", err)
	}
	if _, err := s.RetryDeadLetter(context.Background(), admin, uuid.New()); !errs.Is(err, errs.NotFound) {
		t.Fatalf("retrying nothing: %v, want NotFound", err)
	}
	if r := deliverDue(t, w); r.Delivered != 1 {
		t.Fatalf("after retry: %+v", r)
	}
	if _, applied, _, _ := rc.snapshot(); applied != 1 {
		t.Fatalf("%d applied after the retry, want 1", applied)
	}
	if dead, _ := s.DeadLetters(context.Background(), admin, 0); len(dead) != 1 {
		t.Fatalf("%d dead letters left, want 1", len(dead))
	}
}

// A worker that claims and then dies holds its notifications only until
// the lease runs out; if it comes back to life afterwards, its writes are
// fenced off by the lease token.
func TestExpiredLeaseIsTakenOverAndTheOldHolderFenced(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	rc := newReceiver(t)
	notifyAll(t, db, financeNote(1))
	ctx := context.Background()
	dying := newTestWorker(t, db, nil, rc.srv.URL, nil)
	claims, err := dying.claim(ctx)
	if err != nil || len(claims) != 1 {
		t.Fatalf("claim: %d, %v", len(claims), err)
	}
	other := newTestWorker(t, db, nil, rc.srv.URL, nil)
	if r := deliverDue(t, other); r.Claimed != 0 {
		t.Fatalf("a held claim was taken: %+v", r)
	}
	mustExec(t, db, `UPDATE notifications SET lease_until = now() - interval '1 second'`) // the lease runs out
	if r := deliverDue(t, other); r.Delivered != 1 {
		t.Fatalf("expired claim not taken over: %+v", r)
	}
	if out, err := dying.deliver(ctx, claims[0]); err != nil || out != leaseLost {
		t.Fatalf("the old holder's delivery: %v, %v; want lease lost", out, err)
	}
	requests, applied, _, _ := rc.snapshot()
	if requests != 1 || applied != 1 {
		t.Fatalf("receiver: %d requests, %d applied", requests, applied)
	}
	var row notificationRow
	db.Gorm(context.Background()).Take(&row)
	if row.Attempts != 2 || row.Status != "delivered" {
		t.Fatalf("row %+v, want delivered on the second claim", row)
	}
}

func TestConcurrentWorkersDeliverEachNotificationOnce(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	rc := newReceiver(t)
	const total = 120
	ns := make([]Notification, total)
	for i := range ns {
		ns[i] = financeNote(i)
	}
	notifyAll(t, db, ns...)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		w := newTestWorker(t, db, nil, rc.srv.URL, func(c *WorkerConfig) { c.BatchSize = 7 })
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				r, err := w.DeliverDue(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				if r.Claimed == 0 {
					return
				}
			}
		}()
	}
	wg.Wait()
	requests, applied, dups, _ := rc.snapshot()
	if requests != total || applied != total || dups != 0 {
		t.Fatalf("%d requests, %d applied, %d duplicates; want %d, %d, 0", requests, applied, dups, total, total)
	}
	if c := countRows(t, db, `SELECT count(*) FROM notifications WHERE status = 'delivered' AND attempts = 1 AND inbox_at IS NOT NULL`); c != total {
		t.Fatalf("%d delivered on the first attempt, want %d", c, total)
	}
}
