package agreements

import (
	"context"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/postgres"
)

func TestCreateWritesAgreementPackReviewsAndOneFinanceNotification(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	s := NewStore(db, WithClock(func() time.Time { return time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC) }))
	broker := user(t, db, accounts.NewUser{Role: accounts.Broker})
	n := sampleAgreement()
	a := create(t, s, db, broker, n)

	if !regexp.MustCompile(`^SA-2026-\d{6}$`).MatchString(a.Reference) {
		t.Fatalf("reference %q, want SA-2026-nnnnnn", a.Reference)
	}
	if a.Status != Active || a.TermsVersion != TermsVersion || a.WeeklyCostPence != 34300 || a.CreatedBy == nil || *a.CreatedBy != broker.UserID {
		t.Fatalf("agreement %+v", a)
	}
	got, err := s.Agreement(context.Background(), broker, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Reference != a.Reference || got.StartDate != n.StartDate || got.Reviews != ScheduleFor(n.StartDate) ||
		got.HoursPerWeek != 14 || got.HourlyRatePence != 2450 || got.Funding != CouncilFunded {
		t.Fatalf("stored agreement differs: %+v", got)
	}
	if got.InformationPack == nil || len(got.InformationPack.Needs) != 2 || got.InformationPack.Postcode != "M5 4WT" ||
		got.InformationPack.Representative == nil || got.InformationPack.Representative.Relationship != "son" {
		t.Fatalf("information pack not stored whole: %+v", got.InformationPack)
	}
	var tasks []reviewRow
	if err := db.Gorm(context.Background()).Where("agreement_id = ?", a.ID).Order("due_by").Find(&tasks).Error; err != nil {
		t.Fatal(err)
	}
	want := []struct{ kind, from, by string }{
		{"welfare_check", "2026-12-04", "2026-12-04"},
		{"first_review", "2027-01-12", "2027-01-26"},
		{"annual_review", "2027-11-03", "2027-12-01"},
	}
	if len(tasks) != len(want) {
		t.Fatalf("%d review tasks, want %d", len(tasks), len(want))
	}
	for i, w := range want {
		if tasks[i].Kind != w.kind || tasks[i].DueFrom.String() != w.from || tasks[i].DueBy.String() != w.by ||
			tasks[i].Team != n.Team || tasks[i].Status != "open" {
			t.Errorf("task %d: %+v, want %v", i, tasks[i], w)
		}
	}
	if c := countRows(t, db, `SELECT count(*) FROM notifications WHERE agreement_id = ? AND audience_kind = 'finance'`, a.ID); c != 1 {
		t.Fatalf("%d finance notifications, want 1", c)
	}
	if c := countRows(t, db, `SELECT count(*) FROM notifications WHERE agreement_id = ? AND audience_kind IN ('provider_org','person')`, a.ID); c != 2 {
		t.Fatalf("%d party notifications, want 2 (provider and person)", c)
	}
	if c := countRows(t, db, `SELECT count(*) FROM audit_events WHERE action = 'agreement.create' AND object_id = ? AND person_id = ?`, a.ID.String(), n.PersonID); c != 1 {
		t.Fatalf("%d audit events for the creation, want 1", c)
	}
}

func TestCreateTwiceForOneRequestIsConflictAndFinanceHearsOnce(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	s := NewStore(db)
	n := sampleAgreement()
	create(t, s, db, accounts.SystemActor, n)
	err := db.Transaction(context.Background(), func(tx *postgres.Tx) error {
		_, err := s.Create(context.Background(), tx, accounts.SystemActor, n)
		return err
	})
	if !errs.Is(err, errs.Conflict) {
		t.Fatalf("second Create: %v, want Conflict", err)
	}
	if c := countRows(t, db, `SELECT count(*) FROM agreements WHERE request_id = ?`, n.RequestID); c != 1 {
		t.Fatalf("%d agreements for the request, want 1", c)
	}
	if c := countRows(t, db, `SELECT count(*) FROM notifications WHERE audience_kind = 'finance'`); c != 1 {
		t.Fatalf("%d finance notifications, want 1", c)
	}
	if c := countRows(t, db, `SELECT count(*) FROM review_tasks`); c != 3 {
		t.Fatalf("%d review tasks, want 3", c)
	}
}

// Callers that do not lock the request still cannot make two agreements:
// the unique index decides.
func TestConcurrentCreatesMakeOneAgreement(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	s := NewStore(db)
	n := sampleAgreement()
	const callers = 20
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		ok, confl int
		other     []error
	)
	start := make(chan struct{})
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			err := db.Transaction(context.Background(), func(tx *postgres.Tx) error {
				_, err := s.Create(context.Background(), tx, accounts.SystemActor, n)
				return err
			})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errs.Is(err, errs.Conflict):
				confl++
			default:
				other = append(other, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if ok != 1 || confl != callers-1 || len(other) > 0 {
		t.Fatalf("%d created, %d conflicts, other errors %v; want 1 and %d", ok, confl, other, callers-1)
	}
	if c := countRows(t, db, `SELECT count(*) FROM notifications WHERE audience_kind = 'finance'`); c != 1 {
		t.Fatalf("%d finance notifications, want 1", c)
	}
}

func TestCreateRolledBackLeavesNothing(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	s := NewStore(db)
	n := sampleAgreement()
	err := db.Transaction(context.Background(), func(tx *postgres.Tx) error {
		if _, err := s.Create(context.Background(), tx, accounts.SystemActor, n); err != nil {
			return err
		}
		return errs.Conflictf("capacity went meanwhile") // the caller's later step fails
	})
	if !errs.Is(err, errs.Conflict) {
		t.Fatal(err)
	}
	for _, table := range []string{"agreements", "review_tasks", "notifications"} {
		if c := countRows(t, db, `SELECT count(*) FROM `+table); c != 0 {
			t.Errorf("%d rows in %s after rollback", c, table)
		}
	}
	// The request can still get its agreement.
	create(t, s, db, accounts.SystemActor, n)
}

func TestCreateRefusesBadInputNamingTheField(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	s := NewStore(db)
	n := sampleAgreement()
	n.Funding = ""
	err := db.Transaction(context.Background(), func(tx *postgres.Tx) error {
		_, err := s.Create(context.Background(), tx, accounts.SystemActor, n)
		return err
	})
	if e := errs.As(err); e == nil || e.Field != "funding" {
		t.Fatalf("got %v, want Invalid naming funding", err)
	}
	if c := countRows(t, db, `SELECT count(*) FROM agreements`); c != 0 {
		t.Fatal("a refused agreement was written")
	}
}

func TestAgreementAccess(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	s := NewStore(db)
	ctx := context.Background()
	n := sampleAgreement()
	a := create(t, s, db, accounts.SystemActor, n)
	other := create(t, s, db, accounts.SystemActor, sampleAgreement())

	orgID, personID, otherOrg, otherPerson := n.ProviderOrgID, n.PersonID, uuid.New(), uuid.New()
	actors := map[string]accounts.Actor{
		"client":                     user(t, db, accounts.NewUser{Role: accounts.Client, PersonID: &personID}),
		"other client":               user(t, db, accounts.NewUser{Role: accounts.Client, PersonID: &otherPerson}),
		"provider":                   user(t, db, accounts.NewUser{Role: accounts.ProviderUser, ProviderOrgID: &orgID}),
		"other provider":             user(t, db, accounts.NewUser{Role: accounts.ProviderUser, ProviderOrgID: &otherOrg}),
		"practitioner":               user(t, db, accounts.NewUser{Role: accounts.Practitioner, Team: n.Team}),
		"other team":                 user(t, db, accounts.NewUser{Role: accounts.Practitioner, Team: "mental_health"}),
		"broker":                     user(t, db, accounts.NewUser{Role: accounts.Broker}),
		"admin":                      user(t, db, accounts.NewUser{Role: accounts.Admin}),
		"budget approver":            user(t, db, accounts.NewUser{Role: accounts.BudgetApprover}),
		"finance (not yet notified)": user(t, db, accounts.NewUser{Role: accounts.Finance}),
	}
	sees := map[string]bool{"client": true, "provider": true, "practitioner": true, "broker": true, "admin": true}
	for name, actor := range actors {
		got, err := s.Agreement(ctx, actor, a.ID)
		switch {
		case sees[name] && err != nil:
			t.Errorf("%s cannot see the agreement: %v", name, err)
		case sees[name] && got.InformationPack == nil:
			t.Errorf("%s does not get the information pack", name)
		case !sees[name] && !errs.Is(err, errs.NotFound):
			t.Errorf("%s: %v, want NotFound", name, err)
		}
	}
	// Finance sees what was sent to finance, once it was, and no pack.
	mustExec(t, db, `UPDATE notifications SET inbox_at = now() WHERE agreement_id = ? AND audience_kind = 'finance'`, a.ID)
	fin := actors["finance (not yet notified)"]
	got, err := s.Agreement(ctx, fin, a.ID)
	if err != nil || got.InformationPack != nil || got.WeeklyCostPence != 34300 {
		t.Fatalf("finance after notification: %+v, %v; want the agreement without its pack", got, err)
	}
	if _, err := s.Agreement(ctx, fin, other.ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("finance reads an agreement not yet sent to it: %v", err)
	}
	if _, err := s.Agreement(ctx, actors["broker"], uuid.New()); !errs.Is(err, errs.NotFound) {
		t.Fatalf("missing agreement: %v", err)
	}
	if c := countRows(t, db, `SELECT count(*) FROM audit_events WHERE action = 'agreement.view' AND object_id = ?`, a.ID.String()); c != len(sees)+1 {
		t.Fatalf("%d reads audited, want %d", c, len(sees)+1)
	}
}

func TestAgreementForRequest(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	s := NewStore(db)
	n := sampleAgreement()
	a := create(t, s, db, accounts.SystemActor, n)
	got, err := s.AgreementForRequest(context.Background(), n.RequestID)
	if err != nil || got.ID != a.ID {
		t.Fatalf("got %v, %v", got.ID, err)
	}
	if _, err := s.AgreementForRequest(context.Background(), uuid.New()); !errs.Is(err, errs.NotFound) {
		t.Fatalf("unknown request: %v", err)
	}
}

func mustExec(t testing.TB, db *postgres.DB, sql string, args ...any) {
	t.Helper()
	if err := db.Gorm(context.Background()).Exec(sql, args...).Error; err != nil {
		t.Fatal(err)
	}
}
