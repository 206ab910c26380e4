package agreements

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/postgres"
)

func inTx(t *testing.T, db *postgres.DB, fn func(tx *postgres.Tx) error) error {
	t.Helper()
	return db.Transaction(context.Background(), fn)
}

// TestAVariationIsRecordedAndToldToFinanceOnce: the same change to an
// agreement, recorded again (a retry) or at the same moment, is one
// variation and one finance notification; the agreement stays active.
func TestAVariationIsRecordedAndToldToFinanceOnce(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	s := NewStore(db)
	a := create(t, s, db, accounts.SystemActor, sampleAgreement())
	v := NewVariation{AgreementID: a.ID, Kind: VaryChange, SourceKey: "plan:" + uuid.NewString(), Reason: "more help in the mornings",
		EffectiveOn: day.MustParse("2027-01-20"), HoursAfter: 18, WeeklyBudgetAfter: 45000}
	var wg sync.WaitGroup
	results := make([]error, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = inTx(t, db, func(tx *postgres.Tx) error {
				_, err := s.Vary(context.Background(), tx, accounts.SystemActor, v)
				return err
			})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range results {
		if err == nil {
			ok++
		} else if !errs.Is(err, errs.Conflict) {
			t.Fatalf("a repeat of the change: %v", err)
		}
	}
	if ok != 1 || countRows(t, db, `SELECT count(*) FROM agreement_variations WHERE agreement_id = ?`, a.ID) != 1 ||
		countRows(t, db, `SELECT count(*) FROM notifications WHERE agreement_id = ? AND kind = ? AND audience_kind = 'finance'`, a.ID, VariedNotificationKind) != 1 {
		t.Fatalf("%d of 4 recorded the change; want exactly one variation and one notification", ok)
	}
	got, err := s.AgreementForRequest(context.Background(), a.RequestID)
	if err != nil || got.Status != Active {
		t.Fatalf("a changed agreement goes on until it is replaced: %v %v", got.Status, err)
	}
	vs, err := s.Variations(context.Background(), a.ID)
	if err != nil || len(vs) != 1 || vs[0].HoursBefore != 14 || vs[0].HoursAfter != 18 || vs[0].WeeklyCostBefore != 34300 {
		t.Fatalf("variations: %+v %v", vs, err)
	}
}

// TestEndingAnAgreement: an agreement ends once, on its last day, as varied
// when replaced; its reviews after that day are cancelled (not the ones
// already due); finance hears once; a second end is Conflict.
func TestEndingAnAgreement(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	now := time.Date(2027, 1, 5, 10, 0, 0, 0, time.UTC)
	s := NewStore(db, WithClock(func() time.Time { return now }))
	a := create(t, s, db, accounts.SystemActor, sampleAgreement()) // starts 1 December 2026
	successor := create(t, s, db, accounts.SystemActor, func() NewAgreement { n := sampleAgreement(); n.StartDate = day.MustParse("2027-01-11"); return n }())
	next := successor.ID
	err := inTx(t, db, func(tx *postgres.Tx) error {
		_, err := s.End(context.Background(), tx, accounts.SystemActor, a.ID, Ending{EndsOn: day.MustParse("2027-01-10"), Reason: "replaced by 18 hours", ReplacedBy: &next})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := s.AgreementForRequest(context.Background(), a.RequestID)
	if got.Status != Varied || got.EndsOn != day.MustParse("2027-01-10") || got.ReplacedBy == nil || *got.ReplacedBy != next || got.EndedAt == nil {
		t.Fatalf("ended: %+v", got)
	}
	// Only reviews due after the last day are cancelled: the first review
	// (from 12 January) and the yearly one, not the welfare check (4 December).
	if n := countRows(t, db, `SELECT count(*) FROM review_tasks WHERE agreement_id = ? AND status = 'cancelled'`, a.ID); n != 2 {
		t.Fatalf("%d reviews cancelled, want the first and yearly reviews", n)
	}
	if n := countRows(t, db, `SELECT count(*) FROM review_tasks WHERE agreement_id = ? AND status = 'open' AND kind = 'welfare_check'`, a.ID); n != 1 {
		t.Fatal("the welfare check, due while the agreement ran, was cancelled")
	}
	err = inTx(t, db, func(tx *postgres.Tx) error {
		_, err := s.End(context.Background(), tx, accounts.SystemActor, a.ID, Ending{EndsOn: day.MustParse("2027-01-10"), Reason: "again"})
		return err
	})
	if !errs.Is(err, errs.Conflict) {
		t.Fatalf("a second end: %v", err)
	}
	if n := countRows(t, db, `SELECT count(*) FROM notifications WHERE agreement_id = ? AND kind = ? AND audience_kind = 'finance'`, a.ID, EndedNotificationKind); n != 1 {
		t.Fatalf("%d end notifications for finance, want 1", n)
	}
	// The database holds the shape: an ended agreement has its last day.
	if err := db.Gorm(context.Background()).Exec(`UPDATE agreements SET status = 'ended', ends_on = NULL, ended_at = now() WHERE id = ?`, successor.ID).Error; err == nil {
		t.Fatal("an ended agreement without a last day was accepted")
	}
	if err := inTx(t, db, func(tx *postgres.Tx) error {
		_, err := s.End(context.Background(), tx, accounts.SystemActor, successor.ID, Ending{EndsOn: day.MustParse("2027-01-10")})
		return err
	}); !errs.Is(err, errs.Invalid) {
		t.Fatalf("an end without a reason: %v", err)
	}
}
