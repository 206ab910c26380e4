package providers_test

import (
	"bytes"
	"context"
	"os"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/demo"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/providers"
)

var (
	benchOnce  sync.Once
	benchDB    *postgres.DB
	benchStore *providers.Store
	benchDrop  []func()
)

// TestMain drops the benchmarks' shared database after the run.
func TestMain(m *testing.M) {
	code := m.Run()
	for i := len(benchDrop) - 1; i >= 0; i-- {
		benchDrop[i]()
	}
	os.Exit(code)
}

// runLong is a testing.TB whose cleanups wait for TestMain, so one seeded
// database serves every benchmark.
type runLong struct{ testing.TB }

func (runLong) Cleanup(f func()) { benchDrop = append(benchDrop, f) }

// seededDirectory is the demo directory (572 locations, 611 active
// services with capacity, rates and compliance), seeded once per run.
func seededDirectory(b *testing.B) *providers.Store {
	b.Helper()
	benchOnce.Do(func() {
		accounts.UseFastHashing()
		benchDB = pgtest.New(runLong{b})
		if _, err := demo.Seed(context.Background(), benchDB); err != nil {
			b.Fatal(err)
		}
		benchStore = providers.NewStore(benchDB)
	})
	return benchStore
}

func BenchmarkCandidatesEveryType(b *testing.B) {
	s := seededDirectory(b)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		cs, err := s.Candidates(ctx, providers.ServiceTypes)
		if err != nil || len(cs) < 600 {
			b.Fatal(len(cs), err)
		}
	}
}

func BenchmarkCandidatesHomecare(b *testing.B) {
	s := seededDirectory(b)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.Candidates(ctx, []providers.ServiceType{providers.Homecare}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCandidatesByIDEveryService(b *testing.B) {
	s := seededDirectory(b)
	ctx := context.Background()
	cs, err := s.Candidates(ctx, providers.ServiceTypes)
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]uuid.UUID, len(cs))
	for i, c := range cs {
		ids[i] = c.ServiceID
	}
	b.ResetTimer()
	for b.Loop() {
		got, err := s.CandidatesByID(ctx, ids)
		if err != nil || len(got) != len(ids) {
			b.Fatal(err)
		}
	}
}

func BenchmarkReserveAndReleaseCapacity(b *testing.B) {
	s := seededDirectory(b)
	ctx := context.Background()
	cs, err := s.Candidates(ctx, []providers.ServiceType{providers.Homecare})
	if err != nil {
		b.Fatal(err)
	}
	var svc uuid.UUID
	for _, c := range cs {
		if providers.FreeFrom(c.Capacity, day.MustParse("2026-12-01")) > 0 {
			svc = c.ServiceID
			break
		}
	}
	from := day.MustParse("2026-12-01")
	b.ResetTimer()
	for b.Loop() {
		err := benchDB.Transaction(context.Background(), func(tx *postgres.Tx) error {
			if err := s.ReserveCapacity(ctx, tx, svc, from, 1); err != nil {
				return err
			}
			return s.ReleaseCapacity(ctx, tx, svc, from, 1)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkImportUnchangedGMFile(b *testing.B) {
	s := seededDirectory(b)
	ctx := context.Background()
	data, err := os.ReadFile("../demo/data/gm_care_homes.csv")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		batch, err := providers.ParseCQC(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		rep, err := s.Import(ctx, accounts.SystemActor, batch)
		if err != nil || rep.Created+rep.Updated != 0 {
			b.Fatal(rep, err)
		}
	}
}
