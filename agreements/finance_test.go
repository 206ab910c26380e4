package agreements

import (
	"bytes"
	"context"
	"encoding/csv"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/pgtest"
)

func TestFinanceAcknowledgesOnce(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	s := NewStore(db)
	ctx := context.Background()
	fin := user(t, db, accounts.NewUser{Role: accounts.Finance})
	fin2 := user(t, db, accounts.NewUser{Role: accounts.Finance})
	broker := user(t, db, accounts.NewUser{Role: accounts.Broker})
	a1 := create(t, s, db, accounts.SystemActor, sampleAgreement())
	a2 := create(t, s, db, accounts.SystemActor, sampleAgreement())
	deliverDue(t, newTestWorker(t, db, nil, "", nil))

	inbox, err := s.FinanceInbox(ctx, fin, FinanceFilter{})
	if err != nil || len(inbox) != 2 {
		t.Fatalf("finance inbox: %d, %v; want 2", len(inbox), err)
	}
	for _, n := range inbox {
		if n.Audience != ToFinance() || n.AgreementID == nil || (*n.AgreementID != a1.ID && *n.AgreementID != a2.ID) {
			t.Fatalf("finance inbox holds %+v", n)
		}
	}
	first := inbox[0]
	got, err := s.Acknowledge(ctx, fin, first.ID)
	if err != nil || got.AcknowledgedAt == nil || *got.AcknowledgedBy != fin.UserID {
		t.Fatalf("acknowledge: %+v, %v", got, err)
	}
	if _, err := s.Acknowledge(ctx, fin2, first.ID); !errs.Is(err, errs.Conflict) {
		t.Fatalf("second acknowledgement: %v, want Conflict", err)
	}

	// Ten finance users acknowledge the other at once: one wins.
	var wg sync.WaitGroup
	var mu sync.Mutex
	results := map[errs.Code]int{}
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Acknowledge(ctx, fin2, inbox[1].ID)
			mu.Lock()
			results[errs.CodeOf(err)]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if results[""] != 1 || results[errs.Conflict] != 9 {
		t.Fatalf("concurrent acknowledgements: %v, want one success and nine conflicts", results)
	}
	if c := countRows(t, db, `SELECT count(*) FROM audit_events WHERE action = 'notification.acknowledge'`); c != 2 {
		t.Fatalf("%d acknowledgements audited, want 2", c)
	}
	if open, _ := s.FinanceInbox(ctx, fin, FinanceFilter{}); len(open) != 0 {
		t.Fatalf("%d unacknowledged left, want 0", len(open))
	}
	if done, _ := s.FinanceInbox(ctx, fin, FinanceFilter{Status: "acknowledged"}); len(done) != 2 {
		t.Fatalf("%d acknowledged, want 2", len(done))
	}
	if _, err := s.FinanceInbox(ctx, fin, FinanceFilter{Status: "maybe"}); !errs.Is(err, errs.Invalid) {
		t.Fatalf("unknown status: %v", err)
	}
	if _, err := s.FinanceInbox(ctx, broker, FinanceFilter{}); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("a broker reads the finance inbox: %v", err)
	}
	if _, err := s.Acknowledge(ctx, broker, first.ID); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("a broker acknowledges: %v", err)
	}
	// A notification to a provider is not finance's to acknowledge.
	providerNote := idOf(t, db, `SELECT id FROM notifications WHERE audience_kind = 'provider_org' LIMIT 1`)
	if _, err := s.Acknowledge(ctx, fin, providerNote); !errs.Is(err, errs.NotFound) {
		t.Fatalf("acknowledging a provider's notification: %v, want NotFound", err)
	}
}

func TestFinanceCannotAcknowledgeWhatHasNotReachedIt(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	s := NewStore(db)
	fin := user(t, db, accounts.NewUser{Role: accounts.Finance})
	create(t, s, db, accounts.SystemActor, sampleAgreement())
	id := idOf(t, db, `SELECT id FROM notifications WHERE audience_kind = 'finance'`)
	if _, err := s.Acknowledge(context.Background(), fin, id); !errs.Is(err, errs.NotFound) {
		t.Fatalf("acknowledging before delivery: %v, want NotFound", err)
	}
}

func TestFinanceCSVs(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	s := NewStore(db)
	ctx := context.Background()
	fin := user(t, db, accounts.NewUser{Role: accounts.Finance})
	n := sampleAgreement()
	n.PersonName = "=HYPERLINK(\"http://evil.example\")"
	a := create(t, s, db, accounts.SystemActor, n)
	deliverDue(t, newTestWorker(t, db, nil, "", nil))
	notSent := create(t, s, db, accounts.SystemActor, sampleAgreement()) // not delivered yet
	if _, err := s.Acknowledge(ctx, fin, financeNotificationID(t, s, fin)); err != nil {
		t.Fatal(err)
	}

	var buf bytes.Buffer
	if err := s.FinanceAgreementsCSV(ctx, fin, &buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d CSV rows, want a header and the one agreement sent to finance: %v", len(rows), rows)
	}
	rec := record(rows[0], rows[1])
	want := map[string]string{
		"reference": a.Reference, "weekly_cost_pence": "34300", "weekly_cost": "£343.00", "hours_per_week": "14",
		"hourly_rate_pence": "2450", "start_date": "2026-12-01", "funding": "council", "person_name": "'" + n.PersonName,
		"financial_assessment_needed": "true", "status": "active",
	}
	for k, v := range want {
		if rec[k] != v {
			t.Errorf("column %s = %q, want %q", k, rec[k], v)
		}
	}
	if rec["acknowledged_at"] == "" || rec["notified_at"] == "" {
		t.Errorf("notified/acknowledged times missing: %v", rec)
	}
	if bytes.Contains(buf.Bytes(), []byte(notSent.Reference)) {
		t.Error("the CSV lists an agreement finance has not been sent")
	}

	buf.Reset()
	if err := s.FinanceNotificationsCSV(ctx, fin, &buf); err != nil {
		t.Fatal(err)
	}
	rows, _ = csv.NewReader(&buf).ReadAll()
	if len(rows) != 2 {
		t.Fatalf("%d notification rows, want header + 1 (finance only): %v", len(rows), rows)
	}
	if rec := record(rows[0], rows[1]); rec["agreement_reference"] != a.Reference || rec["kind"] != "agreement.created" || rec["acknowledged_by"] != fin.UserID.String() {
		t.Fatalf("notification row %v", rec)
	}
	broker := user(t, db, accounts.NewUser{Role: accounts.Broker})
	if err := s.FinanceAgreementsCSV(ctx, broker, &buf); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("a broker downloads the finance CSV: %v", err)
	}
}

func financeNotificationID(t *testing.T, s *Store, fin accounts.Actor) uuid.UUID {
	t.Helper()
	inbox, err := s.FinanceInbox(context.Background(), fin, FinanceFilter{})
	if err != nil || len(inbox) == 0 {
		t.Fatalf("finance inbox: %v", err)
	}
	return inbox[0].ID
}

func record(header, row []string) map[string]string {
	m := map[string]string{}
	for i, h := range header {
		m[h] = row[i]
	}
	return m
}
