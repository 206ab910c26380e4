package providers

import (
	"context"
	"errors"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
)

func steps(t *testing.T, s *Store, f fixture, typ ServiceType) []CapacityStep {
	t.Helper()
	return must[[]CapacityStep](t)(s.Capacity(ctx, admin, f.Services[typ].ID))
}

func reserve(s *Store, db *postgres.DB, f fixture, typ ServiceType, from string, units int) error {
	return db.Transaction(context.Background(), func(tx *postgres.Tx) error {
		return s.ReserveCapacity(ctx, tx, f.Services[typ].ID, day.MustParse(from), units)
	})
}

func TestReserveCapacityStartsAStepAndCarriesItForward(t *testing.T) {
	t.Parallel()
	s, db := newStore(t)
	f := newFixture(t, s, Homecare)
	svc := f.Services[Homecare].ID
	must[[]CapacityStep](t)(s.SetCapacity(ctx, admin, svc, CapacityChange{From: day.MustParse("2026-11-01"), Units: 30}))
	must[[]CapacityStep](t)(s.SetCapacity(ctx, admin, svc, CapacityChange{From: day.MustParse("2027-01-01"), Units: 40}))

	if err := reserve(s, db, f, Homecare, "2026-12-01", 10); err != nil {
		t.Fatal(err)
	}
	got := steps(t, s, f, Homecare)
	want := []CapacityStep{
		{From: day.MustParse("2026-11-01"), Units: 30, Reserved: 0, Free: 30},
		{From: day.MustParse("2026-12-01"), Units: 30, Reserved: 10, Free: 20},
		{From: day.MustParse("2027-01-01"), Units: 40, Reserved: 10, Free: 30},
	}
	if !equalSteps(got, want) {
		t.Fatalf("calendar after reserving 10 from 1 December:\n got %+v\nwant %+v", got, want)
	}
	if free := FreeFrom(got, day.MustParse("2026-11-15")); free != 20 {
		t.Fatalf("free from 15 November = %d, want 20 (the December step limits ongoing care)", free)
	}

	// 21 more from 15 December would take December over its 30.
	err := reserve(s, db, f, Homecare, "2026-12-15", 21)
	if !errs.Is(err, errs.Conflict) {
		t.Fatalf("over-reservation: %v, want Conflict", err)
	}
	if e := errs.As(err); e.Message != "only 20 hours free from 15 December 2026; 21 needed" {
		t.Fatalf("conflict message %q does not say which date has too little", e.Message)
	}
	if got2 := steps(t, s, f, Homecare); !equalSteps(got2, want) {
		t.Fatalf("a refused reservation changed the calendar: %+v", got2)
	}

	// Releasing what was reserved frees it again from that day on.
	if err := db.Transaction(context.Background(), func(tx *postgres.Tx) error {
		return s.ReleaseCapacity(ctx, tx, svc, day.MustParse("2026-12-01"), 10)
	}); err != nil {
		t.Fatal(err)
	}
	for _, st := range steps(t, s, f, Homecare) {
		if st.Reserved != 0 {
			t.Fatalf("after release, step %s still has %d reserved", st.From, st.Reserved)
		}
	}
}

func TestReserveCapacityRefusesDaysWithNoCapacityRecorded(t *testing.T) {
	t.Parallel()
	s, db := newStore(t)
	f := newFixture(t, s, ResidentialCare)
	must[[]CapacityStep](t)(s.SetCapacity(ctx, admin, f.Services[ResidentialCare].ID, CapacityChange{From: day.MustParse("2026-12-01"), Units: 3}))
	err := reserve(s, db, f, ResidentialCare, "2026-11-20", 1)
	if !errs.Is(err, errs.Conflict) || errs.As(err).Message != "no capacity is recorded for this service on 20 November 2026" {
		t.Fatalf("reserve before the calendar starts: %v", err)
	}
	if err := reserve(s, db, f, ResidentialCare, "2026-12-01", 0); !errs.Is(err, errs.Invalid) {
		t.Fatalf("reserve 0 units: %v, want Invalid", err)
	}
}

// Many brokers agreeing start dates at once for the last places: the
// database lets exactly as many through as there are places.
func TestConcurrentReservationsNeverOvercommit(t *testing.T) {
	t.Parallel()
	s, db := newStore(t)
	f := newFixture(t, s, NursingCare)
	must[[]CapacityStep](t)(s.SetCapacity(ctx, admin, f.Services[NursingCare].ID, CapacityChange{From: day.MustParse("2026-11-01"), Units: 6}))
	const tries = 20
	var wg sync.WaitGroup
	results := make(chan error, tries)
	for i := range tries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Half start on 1 December, half on 5 December: both split the
			// calendar, so they also race to insert the same step.
			from := "2026-12-01"
			if i%2 == 1 {
				from = "2026-12-05"
			}
			results <- reserve(s, db, f, NursingCare, from, 1)
		}()
	}
	wg.Wait()
	close(results)
	ok := 0
	for err := range results {
		switch {
		case err == nil:
			ok++
		case !errs.Is(err, errs.Conflict):
			t.Errorf("unexpected error: %v", err)
		}
	}
	last := steps(t, s, f, NursingCare)
	if ok != 6 || last[len(last)-1].Reserved != 6 {
		t.Fatalf("%d reservations succeeded and %d places are reserved; want 6 and 6: %+v", ok, last[len(last)-1].Reserved, last)
	}
}

func TestTheDatabaseRefusesOvercommitmentItself(t *testing.T) {
	t.Parallel()
	s, db := newStore(t)
	f := newFixture(t, s, Homecare)
	must[[]CapacityStep](t)(s.SetCapacity(ctx, admin, f.Services[Homecare].ID, CapacityChange{From: day.MustParse("2026-11-01"), Units: 5}))
	err := db.Gorm(context.Background()).Exec(`UPDATE provider_capacity SET reserved_units = 6 WHERE service_id = ?`, f.Services[Homecare].ID).Error
	if !errors.Is(err, gorm.ErrCheckConstraintViolated) {
		t.Fatalf("reserved above units: %v, want the CHECK constraint to refuse it", err)
	}
}

func TestSetCapacityNeverDropsBelowWhatIsReserved(t *testing.T) {
	t.Parallel()
	s, db := newStore(t)
	f := newFixture(t, s, Homecare)
	svc := f.Services[Homecare].ID
	must[[]CapacityStep](t)(s.SetCapacity(ctx, admin, svc, CapacityChange{From: day.MustParse("2026-11-01"), Units: 30}))
	if err := reserve(s, db, f, Homecare, "2026-11-10", 12); err != nil {
		t.Fatal(err)
	}
	owner := providerActor(f.Org.ID)
	// A new step from February carries the 12 hours reserved in January.
	got := must[[]CapacityStep](t)(s.SetCapacity(ctx, owner, svc, CapacityChange{From: day.MustParse("2027-02-01"), Units: 15}))
	if last := got[len(got)-1]; last.Reserved != 12 || last.Free != 3 {
		t.Fatalf("new step %+v, want 12 reserved and 3 free", last)
	}
	// Dropping below 12 from any day with those reservations is refused.
	for _, from := range []string{"2026-11-10", "2026-12-01", "2027-02-01"} {
		_, err := s.SetCapacity(ctx, owner, svc, CapacityChange{From: day.MustParse(from), Units: 11})
		if e := errs.As(err); e == nil || e.Code != errs.Conflict || e.Field != "units" {
			t.Fatalf("capacity 11 from %s below 12 reserved: %v, want Conflict naming units", from, err)
		}
	}
	// Before the reservation starts, the provider may go down to 0.
	must[[]CapacityStep](t)(s.SetCapacity(ctx, owner, svc, CapacityChange{From: day.MustParse("2026-11-01"), Units: 0}))
	if _, err := s.SetCapacity(ctx, owner, svc, CapacityChange{From: day.MustParse("2026-11-01"), Units: -1}); errs.As(err) == nil || errs.As(err).Field != "units" {
		t.Fatalf("negative capacity: %v, want Invalid naming units", err)
	}
}

func TestAnotherProviderCannotSeeOrSetCapacity(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	mine := newFixture(t, s, Homecare)
	theirs := newFixture(t, s, Homecare)
	me := providerActor(mine.Org.ID)
	target := theirs.Services[Homecare].ID
	if _, err := s.Capacity(ctx, me, target); !errs.Is(err, errs.NotFound) {
		t.Fatalf("read another provider's capacity: %v, want NotFound", err)
	}
	if _, err := s.SetCapacity(ctx, me, target, CapacityChange{From: day.MustParse("2026-12-01"), Units: 5}); !errs.Is(err, errs.NotFound) {
		t.Fatalf("set another provider's capacity: %v, want NotFound", err)
	}
	if got := steps(t, s, theirs, Homecare); len(got) != 0 {
		t.Fatalf("another provider's calendar changed: %+v", got)
	}
}

func equalSteps(a, b []CapacityStep) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
