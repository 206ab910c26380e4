package agreements

import (
	"time"

	"github.com/carebroker/carebroker/internal/postgres"
)

// Store keeps agreements, review tasks and notifications in PostgreSQL.
// Besides the errors each method names, every method returns Unavailable
// when the database does not answer.
type Store struct {
	db      *postgres.DB
	now     func() time.Time
	council string
}

// Option configures a Store.
type Option func(*Store)

// WithClock makes the store read the time from now (tests pin it).
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// WithCouncilName names the council in agreement documents.
func WithCouncilName(name string) Option { return func(s *Store) { s.council = name } }

// DefaultCouncilName is the council named in documents unless configured.
const DefaultCouncilName = "The Council (adult social care)"

// NewStore returns a Store on db.
func NewStore(db *postgres.DB, opts ...Option) *Store {
	s := &Store{db: db, now: time.Now, council: DefaultCouncilName}
	for _, o := range opts {
		o(s)
	}
	return s
}
