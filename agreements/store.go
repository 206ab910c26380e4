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
	council Council
}

// Council is how agreement documents name the council: its name, address
// and the team to contact about the agreement (COUNCIL_NAME,
// COUNCIL_ADDRESS, COUNCIL_TEAM, COUNCIL_CONTACT).
type Council struct {
	Name, Address, Team, Contact string
}

// Option configures a Store.
type Option func(*Store)

// WithClock makes the store read the time from now (tests pin it).
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// WithCouncilName names the council in agreement documents.
func WithCouncilName(name string) Option { return func(s *Store) { s.council.Name = name } }

// WithCouncil names the council in agreement documents with its address and
// the team to contact; empty fields keep what they were.
func WithCouncil(c Council) Option {
	return func(s *Store) {
		if c.Name != "" {
			s.council.Name = c.Name
		}
		s.council.Address, s.council.Team, s.council.Contact = c.Address, c.Team, c.Contact
	}
}

// DefaultCouncilName is the council named in documents unless configured.
const DefaultCouncilName = "The Council (adult social care)"

// NewStore returns a Store on db.
func NewStore(db *postgres.DB, opts ...Option) *Store {
	s := &Store{db: db, now: time.Now, council: Council{Name: DefaultCouncilName}}
	for _, o := range opts {
		o(s)
	}
	return s
}
