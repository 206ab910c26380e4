package packages

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
)

// Store keeps packages, their lines and changes, uplifts and contract terms.
// Besides the errors each method names, every method returns Unavailable when
// the database does not answer.
type Store struct {
	db         *postgres.DB
	now        func() time.Time
	agreements *agreements.Store
	frameworks frameworkMembers
	capacity   capacityReleaser
}

// capacityReleaser gives back a provider service's capacity (the directory's
// ReleaseCapacity), when a package ends.
type capacityReleaser interface {
	ReleaseCapacity(ctx context.Context, tx *postgres.Tx, serviceID uuid.UUID, from day.Date, units int) error
}

// WithCapacity gives the store the provider directory's capacity calendar,
// so an end gives back what the agreement reserved.
func WithCapacity(c capacityReleaser) Option { return func(s *Store) { s.capacity = c } }

// frameworkMembers is what an uplift needs of the provider directory: the
// organisations in a framework on a day, with the service types of their lots.
type frameworkMembers interface {
	FrameworkMembersOn(ctx context.Context, frameworkID uuid.UUID, on day.Date) (map[uuid.UUID][]string, error)
}

// Option configures a Store.
type Option func(*Store)

// WithClock makes the store read the time from now (tests pin it).
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// WithFrameworks gives the store the provider directory's frameworks, for
// uplifts.
func WithFrameworks(f frameworkMembers) Option { return func(s *Store) { s.frameworks = f } }

// NewStore returns a Store on db, reading agreements (and their access rules)
// through ag.
func NewStore(db *postgres.DB, ag *agreements.Store, opts ...Option) *Store {
	s := &Store{db: db, now: time.Now, agreements: ag}
	for _, o := range opts {
		o(s)
	}
	return s
}

func (s *Store) today() day.Date { return day.Today(s.now) }

// Package is an agreement's package as someone may see it: its lines (every
// one, withdrawn ones too, earliest first), its changes (newest first) and
// its version, which a change must name.
type Package struct {
	Agreement agreements.Agreement `json:"agreement"`
	Version   int                  `json:"version"`
	Lines     []Line               `json:"lines"`
	Changes   []Change             `json:"changes"`
	// WeeklyCostToday is the weekly cost of the line in force today (zero
	// when none is).
	WeeklyCostToday int64 `json:"weekly_cost_today_pence"`
}

// side is the side an actor changes packages from: Forbidden for roles that
// do not.
func side(a accounts.Actor) (Side, error) {
	switch a.Role {
	case accounts.Broker, accounts.Practitioner:
		return Council, nil
	case accounts.ProviderUser:
		return Provider, nil
	}
	return "", a.Require(accounts.Broker, accounts.Practitioner, accounts.ProviderUser)
}

func userRef(a accounts.Actor) *uuid.UUID {
	if a.UserID == uuid.Nil {
		return nil
	}
	id := a.UserID
	return &id
}
