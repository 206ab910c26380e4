package postgres

import (
	"context"
	"database/sql"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// DB is the database, as every package's store holds it. It keeps gorm
// behind a type of ours, so no package's exported API names the ORM: a
// constructor takes a *DB, a use case that spans packages opens one
// transaction with DB.Transaction and hands the *Tx to the other package's
// store, and only store files (*_store.go) call Gorm to build queries.
// TestNoExportedAPIOutsideInternalNamesGorm keeps it so.
type DB struct {
	gorm    *gorm.DB
	replica *replica // nil: every read goes to the primary (see TolerateLag)
}

// Tx is one transaction on the database, valid inside the DB.Transaction
// callback that made it. Functions that must write with their caller, so
// that both commit or neither does (audit.Record, agreements.Notify,
// providers.Store.ReserveCapacity), take a *Tx.
type Tx struct {
	gorm *gorm.DB
}

// Conn is where a query runs: the database itself (*DB) or a transaction
// (*Tx). Functions that read, or write one row that needs no company, take
// a Conn and work either way; so does a store a use case binds to its own
// transaction (accounts.NewStore(tx)).
type Conn interface {
	// Gorm starts a query on the connection bound to ctx. Only store files
	// call it.
	Gorm(ctx context.Context) *gorm.DB
	// Transaction runs fn in a transaction: a new one on a *DB, a savepoint
	// within the transaction on a *Tx.
	Transaction(ctx context.Context, fn func(tx *Tx) error) error
}

var (
	_ Conn = (*DB)(nil)
	_ Conn = (*Tx)(nil)
)

// Gorm starts a query on the database bound to ctx: on the read replica
// when ctx was marked with TolerateLag and the replica is up and close
// enough behind, on the primary otherwise.
func (db *DB) Gorm(ctx context.Context) *gorm.DB {
	if r := db.reader(ctx); r != nil {
		return r.WithContext(ctx)
	}
	return db.gorm.WithContext(ctx)
}

// Gorm starts a query inside the transaction bound to ctx.
func (tx *Tx) Gorm(ctx context.Context) *gorm.DB { return tx.gorm.WithContext(ctx) }

// Transaction runs fn in one transaction, committing when fn returns nil
// and rolling back when it returns an error or panics. It returns fn's
// error, or the database's when the transaction cannot begin or commit.
func (db *DB) Transaction(ctx context.Context, fn func(tx *Tx) error) error {
	return db.gorm.WithContext(ctx).Transaction(func(g *gorm.DB) error { return fn(&Tx{gorm: g}) })
}

// Transaction runs fn within the transaction, behind a savepoint: when fn
// returns an error or panics, what it did is rolled back and the
// transaction goes on.
func (tx *Tx) Transaction(ctx context.Context, fn func(tx *Tx) error) error {
	return tx.gorm.WithContext(ctx).Transaction(func(g *gorm.DB) error { return fn(&Tx{gorm: g}) })
}

// WithLogger returns the database with its statements logged to l, for a
// test that reads the SQL a use case runs (loadtest's EXPLAIN test).
func (db *DB) WithLogger(l logger.Interface) *DB {
	return &DB{gorm: db.gorm.Session(&gorm.Session{Logger: l}), replica: db.replica}
}

// SQL returns the connection pool beneath the database, for pinging it and
// for database/sql clients (goose).
func (db *DB) SQL() (*sql.DB, error) { return db.gorm.DB() }

// Close closes the connection pool, and the replica's.
func (db *DB) Close() error {
	if db.replica != nil {
		if sqlDB, err := db.replica.gorm.DB(); err == nil {
			sqlDB.Close()
		}
	}
	sqlDB, err := db.gorm.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}
