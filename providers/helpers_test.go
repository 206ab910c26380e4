package providers

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/postgres"
)

var (
	admin  = accounts.Actor{UserID: uuid.MustParse("00000000-0000-4000-8000-000000000001"), Name: "Test Admin", Role: accounts.Admin}
	broker = accounts.Actor{UserID: uuid.MustParse("00000000-0000-4000-8000-000000000002"), Name: "Test Broker", Role: accounts.Broker}
	ctx    = context.Background()
)

// testToday is the day the tests' store believes it is: its clock stands
// at noon on it, London time.
var testToday = day.MustParse("2026-11-20")

func newStore(t *testing.T) (*Store, *postgres.DB) {
	t.Helper()
	db := pgtest.New(t)
	s := NewStore(db, WithClock(func() time.Time { return testToday.Time().Add(12 * time.Hour) }))
	return s, db
}

var fixtureSeq atomic.Int64

// fixture is an organisation with one location offering the given types.
type fixture struct {
	Org      Organisation
	Location Location
	Services map[ServiceType]Service
}

func newFixture(t *testing.T, s *Store, types ...ServiceType) fixture {
	t.Helper()
	n := fixtureSeq.Add(1)
	org, err := s.CreateOrganisation(ctx, admin, NewOrganisation{Name: fmt.Sprintf("Provider %d Ltd", n)})
	if err != nil {
		t.Fatal(err)
	}
	lat, lon := 53.44+float64(n)/1000, -2.3
	loc, svcs, err := s.CreateLocation(ctx, admin, NewLocation{
		OrganisationID: org.ID, Name: fmt.Sprintf("Home %d", n), CQCLocationID: fmt.Sprintf("1-%09d", n), Address: "1 Test Road, Sale", Postcode: "M33 6RX",
		Latitude: &lat, Longitude: &lon, ServiceTypes: types,
	})
	if err != nil {
		t.Fatal(err)
	}
	f := fixture{Org: org, Location: loc, Services: map[ServiceType]Service{}}
	for _, svc := range svcs {
		f.Services[svc.ServiceType] = svc
	}
	return f
}

// providerActor is a provider user of org (no user row is needed: the store
// decides from the actor).
func providerActor(org uuid.UUID) accounts.Actor {
	return accounts.Actor{UserID: uuid.New(), Name: "Provider user", Role: accounts.ProviderUser, ProviderOrgID: org}
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// countQueries counts the statements db runs from now on.
func countQueries(t *testing.T, db *postgres.DB) *atomic.Int64 {
	t.Helper()
	var n atomic.Int64
	count := func(*gorm.DB) { n.Add(1) }
	name := "count_" + uuid.NewString()
	if err := db.Gorm(ctx).Callback().Query().After("gorm:query").Register(name, count); err != nil {
		t.Fatal(err)
	}
	if err := db.Gorm(ctx).Callback().Row().After("gorm:row").Register(name, count); err != nil {
		t.Fatal(err)
	}
	return &n
}
