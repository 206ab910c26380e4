package agreements

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/internal/redisx"
	"github.com/carebroker/carebroker/internal/redisx/redistest"
)

func financeNote(i int) Notification {
	return Notification{
		Audience: ToFinance(), Kind: "agreement.created", Subject: fmt.Sprintf("Agreement %d", i),
		Body: "£343.00 a week", IdempotencyKey: fmt.Sprintf("test-finance-%d", i), Data: map[string]any{"n": i},
	}
}

func notifyAll(t testing.TB, db *postgres.DB, ns ...Notification) {
	t.Helper()
	err := db.Transaction(context.Background(), func(tx *postgres.Tx) error {
		for _, n := range ns {
			if err := Notify(context.Background(), tx, n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func newTestWorker(t testing.TB, db *postgres.DB, rdb *redisx.Client, webhook string, edit func(*WorkerConfig)) *Worker {
	t.Helper()
	cfg := WorkerConfig{WebhookURL: webhook, WebhookSecret: testWebhookSecret, BackoffBase: time.Hour, BackoffMax: 24 * time.Hour, HTTPTimeout: 5 * time.Second}
	if edit != nil {
		edit(&cfg)
	}
	w, err := NewWorker(db, rdb, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func deliverDue(t testing.TB, w *Worker) Report {
	t.Helper()
	r, err := w.DeliverDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// makeDue moves every pending notification's retry time to now: the test's
// stand-in for waiting out the backoff.
func makeDue(t testing.TB, db *postgres.DB) {
	t.Helper()
	mustExec(t, db, `UPDATE notifications SET next_attempt_at = now() WHERE status = 'pending'`)
}

func TestWorkerDeliversOnceToInboxAndWebhook(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	rc := newReceiver(t)
	s := NewStore(db)
	fin := user(t, db, accounts.NewUser{Role: accounts.Finance})
	a := create(t, s, db, accounts.SystemActor, sampleAgreement())
	org := uuid.New()
	notifyAll(t, db, invitation(org, "inv-1"))

	inbox, err := s.FinanceInbox(context.Background(), fin, FinanceFilter{})
	if err != nil || len(inbox) != 0 {
		t.Fatalf("finance inbox before delivery: %d, %v; want empty", len(inbox), err)
	}
	w := newTestWorker(t, db, redistest.New(t), rc.srv.URL, nil)
	r := deliverDue(t, w)
	if r.Claimed != 4 || r.Delivered != 4 {
		t.Fatalf("first pass %+v, want 4 claimed and delivered (finance, provider, person, invitation)", r)
	}
	if r := deliverDue(t, w); r.Claimed != 0 {
		t.Fatalf("second pass claimed %d; delivered notifications must not be sent again", r.Claimed)
	}
	requests, applied, dups, bad := rc.snapshot()
	if requests != 1 || applied != 1 || dups != 0 || bad != 0 {
		t.Fatalf("webhook saw %d requests, %d applied, %d duplicates, %d bad signatures; want exactly one finance post", requests, applied, dups, bad)
	}
	p := rc.applied["agreement.created:finance:"+a.ID.String()]
	if p.Kind != "agreement.created" || p.AgreementID == nil || *p.AgreementID != a.ID || p.ObjectType != "agreement" {
		t.Fatalf("webhook payload %+v", p)
	}
	var data map[string]any
	if err := jsonUnmarshal(p.Data, &data); err != nil || data["reference"] != a.Reference || data["weekly_cost_pence"] != float64(34300) || data["start_date"] != "2026-12-01" {
		t.Fatalf("webhook data %s (%v)", p.Data, err)
	}
	inbox, err = s.FinanceInbox(context.Background(), fin, FinanceFilter{})
	if err != nil || len(inbox) != 1 || inbox[0].Delivery.Status != Delivered || inbox[0].Delivery.WebhookAt == nil || inbox[0].Delivery.InboxAt == nil {
		t.Fatalf("finance inbox after delivery: %+v, %v", inbox, err)
	}
	// Non-finance notifications never go to the finance webhook.
	if c := countRows(t, db, `SELECT count(*) FROM notifications WHERE webhook_at IS NOT NULL`); c != 1 {
		t.Fatalf("%d notifications sent to the webhook, want only the finance one", c)
	}
	if c := countRows(t, db, `SELECT count(*) FROM audit_events WHERE action = 'notification.deliver'`); c != 4 {
		t.Fatalf("%d deliveries audited, want 4", c)
	}
}

func TestWorkerWithoutWebhookDeliversToTheInboxOnly(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	notifyAll(t, db, financeNote(1))
	w := newTestWorker(t, db, nil, "", nil)
	if r := deliverDue(t, w); r.Delivered != 1 {
		t.Fatalf("%+v", r)
	}
	var row notificationRow
	if err := db.Gorm(context.Background()).Take(&row).Error; err != nil {
		t.Fatal(err)
	}
	if row.Status != "delivered" || row.InboxAt == nil || row.WebhookAt != nil || row.LeaseToken != nil {
		t.Fatalf("row %+v", row)
	}
}

func TestWorkerRetriesWithBackoffThenDelivers(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	rc := newReceiver(t)
	rc.failNext = 2
	notifyAll(t, db, financeNote(1))
	w := newTestWorker(t, db, nil, rc.srv.URL, nil) // backoff 1h, doubling

	var waits []time.Duration
	for attempt := 1; attempt <= 2; attempt++ {
		if r := deliverDue(t, w); r.Retried != 1 {
			t.Fatalf("attempt %d: %+v, want a retry", attempt, r)
		}
		var row notificationRow
		if err := db.Gorm(context.Background()).Take(&row).Error; err != nil {
			t.Fatal(err)
		}
		if row.Status != "pending" || row.Attempts != attempt || row.LastError == "" || row.InboxAt == nil || row.LeaseToken != nil {
			t.Fatalf("after attempt %d: %+v", attempt, row)
		}
		waits = append(waits, row.NextAttemptAt.Sub(*row.LastAttemptAt))
		// Not due yet: the next pass leaves it alone.
		if r := deliverDue(t, w); r.Claimed != 0 {
			t.Fatalf("retried before its backoff ran out: %+v", r)
		}
		makeDue(t, db)
	}
	// 1h after the first failure, 2h after the second (plus the call's own time).
	for i, want := range []time.Duration{time.Hour, 2 * time.Hour} {
		if waits[i] < want || waits[i] > want+time.Minute {
			t.Fatalf("wait after failure %d is %s, want %s", i+1, waits[i], want)
		}
	}
	if r := deliverDue(t, w); r.Delivered != 1 {
		t.Fatalf("third attempt %+v, want delivered", r)
	}
	requests, applied, dups, _ := rc.snapshot()
	if requests != 3 || applied != 1 || dups != 0 {
		t.Fatalf("receiver: %d requests, %d applied, %d duplicates; want 3, 1, 0", requests, applied, dups)
	}
	if got := rc.attempts["test-finance-1"]; fmt.Sprint(got) != "[1 2 3]" {
		t.Fatalf("attempt headers %v, want [1 2 3]", got)
	}
}

func TestBackoffDoublesAndCaps(t *testing.T) {
	t.Parallel()
	c := WorkerConfig{BackoffBase: 10 * time.Second, BackoffMax: time.Minute}
	want := []time.Duration{10 * time.Second, 20 * time.Second, 40 * time.Second, time.Minute, time.Minute}
	for i, w := range want {
		if got := c.Backoff(i + 1); got != w {
			t.Errorf("Backoff(%d) = %s, want %s", i+1, got, w)
		}
	}
	if got := c.Backoff(1000); got != time.Minute {
		t.Errorf("Backoff(1000) = %s; must not overflow", got)
	}
}

func TestRunStopsGracefully(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	rc := newReceiver(t)
	notifyAll(t, db, financeNote(1))
	w := newTestWorker(t, db, nil, rc.srv.URL, func(c *WorkerConfig) { c.PollInterval = 10 * time.Millisecond })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(ctx) }()
	deadline := time.After(20 * time.Second)
	for {
		if _, applied, _, _ := rc.snapshot(); applied == 1 {
			break
		}
		select {
		case <-deadline:
			t.Fatal("Run did not deliver")
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not stop")
	}
	if c := countRows(t, db, `SELECT count(*) FROM notifications WHERE lease_token IS NOT NULL`); c != 0 {
		t.Fatal("a stopped worker left a claim behind")
	}
}

func TestNewWorkerRefusesABadWebhookConfiguration(t *testing.T) {
	t.Parallel()
	for _, cfg := range []WorkerConfig{
		{WebhookURL: "ftp://finance.example/hook", WebhookSecret: testWebhookSecret},
		{WebhookURL: "/relative", WebhookSecret: testWebhookSecret},
		{WebhookURL: "https://finance.example/hook"},
		{Lease: time.Second},
	} {
		if _, err := NewWorker(nil, nil, cfg); err == nil {
			t.Errorf("NewWorker(%+v) accepted", cfg)
		}
	}
}
