package providers

import (
	"errors"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
)

// Store keeps the provider directory in PostgreSQL.
type Store struct {
	db  *postgres.DB
	now func() time.Time
}

// Option tunes a Store.
type Option func(*Store)

// WithClock makes the store take the time, and so "today", from now; the
// service passes its one clock, tests a clock they set.
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// NewStore returns a Store on db, on the system clock unless an option
// gives another.
func NewStore(db *postgres.DB, opts ...Option) *Store {
	s := &Store{db: db, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

// clock returns the current time in UTC, as timestamps are stored.
func (s *Store) clock() time.Time { return s.now().UTC() }

// today is the day it is in London by the store's clock.
func (s *Store) today() day.Date { return day.Today(s.now) }

// mayRead returns NotFound unless the actor may see organisation orgID:
// council staff see every provider, a provider user only its own (another
// provider's things read as not existing).
func mayRead(a accounts.Actor, orgID uuid.UUID) error {
	switch a.Role {
	case accounts.Broker, accounts.Admin, accounts.Practitioner, accounts.BudgetApprover, accounts.System:
		return nil
	case accounts.ProviderUser:
		if a.ProviderOrgID == orgID && orgID != uuid.Nil {
			return nil
		}
		return errs.NotFoundf("no such provider, or it is not yours")
	}
	return errs.Forbiddenf("a %s cannot see the provider directory", a.Role)
}

// mayEdit returns NotFound for another provider's things, Forbidden for a
// role that may not keep a provider's details, and nil otherwise.
func mayEdit(a accounts.Actor, orgID uuid.UUID) error {
	switch a.Role {
	case accounts.Broker, accounts.Admin, accounts.System:
		return nil
	case accounts.ProviderUser:
		return mayRead(a, orgID)
	}
	return errs.Forbiddenf("a %s cannot change a provider's details", a.Role)
}

// mayManage allows only council staff who manage contracts: brokers and
// administrators.
func mayManage(a accounts.Actor) error {
	if a.Is(accounts.Broker, accounts.Admin, accounts.System) {
		return nil
	}
	return errs.Forbiddenf("only brokers and administrators manage frameworks, contracts and suspensions")
}

func notFound(err error, format string, args ...any) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return errs.NotFoundf(format, args...)
	}
	return postgres.Translate(err)
}

func actorID(a accounts.Actor) *uuid.UUID {
	if a.UserID == uuid.Nil {
		return nil
	}
	id := a.UserID
	return &id
}

func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
