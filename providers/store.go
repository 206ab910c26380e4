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
	db    *gorm.DB
	today func() day.Date
}

// NewStore returns a Store on db.
func NewStore(db *gorm.DB) *Store {
	return &Store{db: db, today: func() day.Date { return day.Of(time.Now()) }}
}

// SetClock makes the store take "today" from fn; tests use it to fix the day.
func (s *Store) SetClock(fn func() day.Date) { s.today = fn }

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
