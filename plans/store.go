package plans

import (
	"context"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

// Store keeps the plans package's tables (plans, plan_needs, persons,
// need_successions, council_settings) in PostgreSQL. brokerage binds one to
// its own transaction with NewStore(tx), so a use case there reads and
// writes plans in the same transaction as its requests; gorm stays in the
// *_store.go files.
type Store struct {
	db postgres.Conn // the database, or a transaction
	tx *postgres.Tx  // the transaction inside inTx; nil outside

	workflow Workflow // the requests made from needs, which Plan reports; may be nil
}

// NewStore returns a Store on db (the database, or a transaction), which
// asks w for the request made from each need of a plan it reads (nil: none).
func NewStore(db postgres.Conn, w Workflow) *Store { return &Store{db: db, workflow: w} }

// inTx runs fn with a Store bound to one transaction, committing when fn
// returns nil and rolling back otherwise.
func (s *Store) inTx(ctx context.Context, fn func(tx *Store) error) error {
	return dbErr(s.db.Transaction(ctx, func(tx *postgres.Tx) error { return fn(&Store{db: tx, tx: tx, workflow: s.workflow}) }))
}

// Conn is where the store's queries run, for audit.Record and the like.
func (s *Store) Conn() postgres.Conn { return s.db }

// Translate turns database failures into *errs.Error where the cause is
// known: a change to a signed-off plan, which the freeze triggers refuse, is
// Conflict; an unreachable server Unavailable. brokerage's stores use it too.
func Translate(err error) error {
	if err == nil || errs.As(err) != nil {
		return err
	}
	if postgres.PgCode(err) == "55000" { // object_not_in_prerequisite_state, raised by the freeze triggers
		return &errs.Error{Code: errs.Conflict, Message: "the plan is signed off and cannot be changed", Err: err}
	}
	return postgres.Translate(err)
}

// dbErr is Translate, as the store files call it.
func dbErr(err error) error { return Translate(err) }
