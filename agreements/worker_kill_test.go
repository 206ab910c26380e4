package agreements

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/postgres"
)

// The kill test runs a worker in a child process: this test binary run
// again with childWorkerEnv set, which TestMain sends here.
const (
	childWorkerEnv     = "CAREBROKER_TEST_CHILD_WORKER"
	childWorkerDSN     = "CAREBROKER_TEST_CHILD_DSN"
	childWorkerWebhook = "CAREBROKER_TEST_CHILD_WEBHOOK"
)

// killTestConfig is the configuration of every worker in the kill test: a
// short lease, so the test waits seconds, not a minute, for the takeover.
func killTestConfig(webhook string) WorkerConfig {
	return WorkerConfig{
		WebhookURL: webhook, WebhookSecret: testWebhookSecret, Lease: 6 * time.Second, HTTPTimeout: time.Second,
		PollInterval: 20 * time.Millisecond, BatchSize: 4, BackoffBase: 100 * time.Millisecond,
	}
}

func runChildWorker() int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	db, err := postgres.Open(ctx, os.Getenv(childWorkerDSN))
	if err != nil {
		fmt.Fprintln(os.Stderr, "child worker:", err)
		return 2
	}
	w, err := NewWorker(db, nil, killTestConfig(os.Getenv(childWorkerWebhook)))
	if err != nil {
		fmt.Fprintln(os.Stderr, "child worker:", err)
		return 2
	}
	if err := w.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "child worker:", err)
		return 1
	}
	return 0
}

// A worker SIGKILLed in the middle of a webhook call loses no notification,
// and a receiver that dedupes on the Idempotency-Key applies each exactly
// once, although the interrupted one is (rightly) sent again.
func TestKilledWorkerLosesNothingAndSendsNothingTwice(t *testing.T) {
	t.Parallel()
	db, dsn := pgtest.NewWithURL(t)
	const total = 40
	ns := make([]Notification, total)
	for i := range ns {
		ns[i] = financeNote(i)
	}
	notifyAll(t, db, ns...)

	rc := newReceiver(t)
	inflight := make(chan string, 1)
	var once sync.Once
	rc.setHold(func(r *http.Request, key string) {
		rc.mu.Lock()
		n := len(rc.applied)
		rc.mu.Unlock()
		if n < 15 {
			return
		}
		first := false
		once.Do(func() { first = true })
		if !first {
			return
		}
		// Applied, but the answer never reaches the worker: it is killed now.
		inflight <- key
		<-r.Context().Done()
	})

	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), childWorkerEnv+"=1", childWorkerDSN+"="+dsn, childWorkerWebhook+"="+rc.srv.URL)
	var childLog bytes.Buffer
	child.Stdout, child.Stderr = &childLog, &childLog
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	var heldKey string
	select {
	case heldKey = <-inflight:
	case <-time.After(60 * time.Second):
		child.Process.Kill()
		child.Wait()
		t.Fatalf("the child worker never reached the 15th notification; its log:\n%s", childLog.String())
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := child.Wait(); err == nil {
		t.Fatal("the child worker exited cleanly; it should have been killed")
	}

	// At the moment of death the interrupted notification is claimed, not delivered.
	var held notificationRow
	if err := db.Gorm(context.Background()).Where("idempotency_key = ?", heldKey).Take(&held).Error; err != nil {
		t.Fatal(err)
	}
	if held.Status != "pending" || held.LeaseToken == nil || held.WebhookAt != nil {
		t.Fatalf("interrupted notification %+v, want pending under the dead worker's lease", held)
	}
	delivered := countRows(t, db, `SELECT count(*) FROM notifications WHERE status = 'delivered'`)
	if delivered >= total {
		t.Fatalf("%d delivered before the kill; the kill came too late to test anything", delivered)
	}

	// Another worker takes over once the dead worker's lease runs out.
	w, err := NewWorker(db, nil, killTestConfig(rc.srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for countRows(t, db, `SELECT count(*) FROM notifications WHERE status = 'delivered'`) < total {
		if time.Now().After(deadline) {
			t.Fatalf("not every notification was delivered after the takeover")
		}
		if _, err := w.DeliverDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
	}

	requests, applied, dups, bad := rc.snapshot()
	if applied != total {
		t.Fatalf("the receiver applied %d notifications, want all %d", applied, total)
	}
	for _, n := range ns {
		if _, ok := rc.applied[n.IdempotencyKey]; !ok {
			t.Fatalf("notification %s was lost", n.IdempotencyKey)
		}
	}
	rc.mu.Lock()
	heldSends := len(rc.attempts[heldKey])
	rc.mu.Unlock()
	if dups < 1 || heldSends < 2 {
		t.Fatalf("the interrupted notification was sent %d times (%d duplicates in all); it must be sent again", heldSends, dups)
	}
	if requests != total+dups || bad != 0 {
		t.Fatalf("%d requests for %d notifications and %d duplicates (%d bad signatures)", requests, total, dups, bad)
	}
	if c := countRows(t, db, `SELECT count(*) FROM notifications WHERE status = 'delivered' AND inbox_at IS NOT NULL AND webhook_at IS NOT NULL AND lease_token IS NULL`); c != total {
		t.Fatalf("%d notifications fully delivered, want %d", c, total)
	}
	t.Logf("killed mid-delivery after %d of %d; %d resent and dropped by the receiver's key check", delivered, total, dups)
}
