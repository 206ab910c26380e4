package brokerage

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/matching"
	"github.com/carebroker/carebroker/plans"
	"github.com/carebroker/carebroker/providers"
)

// Service is the brokerage workflow's use cases.
type Service struct {
	store      *Store
	now        func() time.Time
	deadlines  Deadlines
	dir        Directory
	agreements *agreements.Store
	matching   matching.Config
	indexes    matchIndexes // the matching index of each service type, by directory version
	plans      *plans.Service
}

// Directory is what brokerage needs from the provider directory: the
// candidates to match, the services whose compliance is asked about
// (whatever their status), postcode coordinates, and capacity reserved
// when an agreement is made and released when one ends, inside the
// brokerage's own transaction.
type Directory interface {
	Candidates(ctx context.Context, types []providers.ServiceType) ([]providers.Candidate, error)
	CandidatesByID(ctx context.Context, serviceIDs []uuid.UUID) ([]providers.Candidate, error)
	Geocode(ctx context.Context, postcode string) (lat, lon float64, err error)
	ReserveCapacity(ctx context.Context, tx *postgres.Tx, serviceID uuid.UUID, from day.Date, units int) error
	ReleaseCapacity(ctx context.Context, tx *postgres.Tx, serviceID uuid.UUID, from day.Date, units int) error
	Registration(ctx context.Context, conn postgres.Conn, serviceID uuid.UUID) (providers.ServiceRegistration, error)
}

var _ Directory = (*providers.Store)(nil)

// Config tunes a Service. Zero fields take their defaults.
type Config struct {
	Now       func() time.Time // the clock; time.Now by default (tests inject one)
	Deadlines Deadlines        // response deadlines; DefaultDeadlines by default
	Matching  *matching.Config // the matching policy; matching.DefaultConfig() by default

	Directory  Directory         // the provider directory (providers.Store)
	Agreements *agreements.Store // makes the service agreement when a start date is agreed
}

// New returns the brokerage service on db.
func New(db *postgres.DB, cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Deadlines == (Deadlines{}) {
		cfg.Deadlines = DefaultDeadlines
	}
	policy := matching.DefaultConfig()
	if cfg.Matching != nil {
		policy = *cfg.Matching
	}
	var geocoder plans.Geocoder
	if cfg.Directory != nil {
		geocoder = cfg.Directory
	}
	return &Service{store: NewStore(db), now: cfg.Now, deadlines: cfg.Deadlines, dir: cfg.Directory,
		agreements: cfg.Agreements, matching: policy,
		plans: plans.New(db, plans.Config{Now: cfg.Now, Geocoder: geocoder, Workflow: requestsOfPlans{}})}
}

// Plans is the plans and persons use cases beneath the workflow, on the
// same database and clock. Signing a plan off is SignOffPlan here, which
// starts what meets each need.
func (s *Service) Plans() *plans.Service {
	if s == nil {
		return nil
	}
	return s.plans
}

// clock returns the current time in UTC, truncated to microseconds as
// PostgreSQL keeps it, so values read back compare equal.
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// today is the current day in the UK, where start dates are meant.
func (s *Service) today() day.Date { return day.Today(s.now) }

// ukDay is the day in the UK at the moment t.
func ukDay(t time.Time) day.Date { return day.InLondon(t) }

// userRef returns the actor's user id for a nullable column.
func userRef(a accounts.Actor) *uuid.UUID {
	if a.UserID == uuid.Nil {
		return nil
	}
	id := a.UserID
	return &id
}
