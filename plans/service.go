package plans

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
)

// Service is the use cases of plans and persons: practitioners record
// persons and write, change and sign off their plans; the council sets
// when a plan needs a second sign-off. Each use case takes the
// accounts.Actor calling it: a plan or person the actor may not see is
// NotFound, an action their role may not take Forbidden. Every change and
// every read of a person's plan writes an audit event.
type Service struct {
	store    *Store
	now      func() time.Time
	geocoder Geocoder
}

// Geocoder finds a postcode's coordinates (the provider directory's
// postcode lookup), for a person recorded without them.
type Geocoder interface {
	Geocode(ctx context.Context, postcode string) (lat, lon float64, err error)
}

// Workflow is what plans asks of the brokerage workflow above it (which
// brokerage.New supplies): the request made from each need of a plan.
type Workflow interface {
	RequestsOfPlan(ctx context.Context, conn postgres.Conn, planID uuid.UUID) (map[uuid.UUID]uuid.UUID, error)
}

// Config tunes a Service. Zero fields take their defaults.
type Config struct {
	Now      func() time.Time // the clock; time.Now by default
	Geocoder Geocoder         // nil: persons without coordinates keep none
	Workflow Workflow         // nil: plans are shown without their requests
}

// New returns the plans service on db.
func New(db *postgres.DB, cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{store: NewStore(db, cfg.Workflow), now: cfg.Now, geocoder: cfg.Geocoder}
}

// clock returns the current time in UTC, truncated to microseconds as
// PostgreSQL keeps it, so values read back compare equal.
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// today is the current day in the UK, where start dates are meant.
func (s *Service) today() day.Date { return day.Today(s.now) }

// userRef returns the actor's user id for a nullable column.
func userRef(a accounts.Actor) *uuid.UUID {
	if a.UserID == uuid.Nil {
		return nil
	}
	id := a.UserID
	return &id
}

// CanSeePerson reports whether a may see person p and their plans: the
// practitioners of the person's team, the person themselves (a client user
// bound to them) and brokers.
func CanSeePerson(a accounts.Actor, p Person) bool {
	switch a.Role {
	case accounts.Practitioner:
		return a.Team != "" && p.Team == a.Team
	case accounts.Client:
		return a.PersonID == p.ID
	case accounts.Broker:
		return true
	}
	return false
}
