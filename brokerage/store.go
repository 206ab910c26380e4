package brokerage

import (
	"context"

	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/plans"
)

// Store keeps brokerage's tables in PostgreSQL. Inside a transaction it is
// bound to that transaction (see inTx); gorm stays in the *_store.go files.
type Store struct {
	db postgres.Conn // the database, or inside inTx the transaction
	tx *postgres.Tx  // the transaction inside inTx; nil outside
}

// NewStore returns a Store on db.
func NewStore(db *postgres.DB) *Store { return &Store{db: db} }

// inTx runs fn with a Store bound to one transaction, committing when fn
// returns nil and rolling back otherwise.
func (s *Store) inTx(ctx context.Context, fn func(tx *Store) error) error {
	return dbErr(s.db.Transaction(ctx, func(tx *postgres.Tx) error { return fn(&Store{db: tx, tx: tx}) }))
}

// bind returns a Store on tx, a transaction another package's use case
// opened (plans' sign-off), so that brokerage's writes join it.
func (s *Store) bind(tx *postgres.Tx) *Store { return &Store{db: tx, tx: tx} }

// plans is the plans package's store on the same connection: inside inTx
// its reads and writes join brokerage's transaction.
func (s *Store) plans() *plans.Store { return plans.NewStore(s.db, requestsOfPlans{}) }

// Tx is the transaction the store is bound to inside inTx, for the other
// packages' calls that must join it (agreements, the directory's capacity,
// idempotency.Keep). It is nil outside inTx.
func (s *Store) Tx() *postgres.Tx { return s.tx }

// Conn is where the store's queries run: inside inTx the transaction,
// otherwise the database. audit.Record and other reads take it.
func (s *Store) Conn() postgres.Conn { return s.db }

// dbErr turns database failures into *errs.Error where the cause is known
// (plans.Translate: a frozen plan is Conflict, an unreachable server
// Unavailable).
func dbErr(err error) error { return plans.Translate(err) }
