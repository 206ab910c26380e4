// Package postgres opens the database the safe way (gorm with translated
// errors and no implicit transactions), creates it when missing, and
// applies the embedded migrations with goose.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/migrations"
)

// Open connects to the database at dsn and checks it answers.
func Open(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := stdlibConfig(dsn)
	if err != nil {
		return nil, err
	}
	sqlDB := stdlib.OpenDB(*cfg)
	sqlDB.SetMaxOpenConns(40)
	sqlDB.SetMaxIdleConns(20)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	db, err := gormOn(sqlDB)
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("postgres at %s does not answer: %w", Redact(dsn), err)
	}
	return &DB{gorm: db}, nil
}

// gormOn opens gorm the safe way on a pool: errors translated, no implicit
// transactions, times in UTC.
func gormOn(sqlDB *sql.DB) (*gorm.DB, error) {
	return gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), &gorm.Config{
		TranslateError:         true,
		SkipDefaultTransaction: true,
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
}

func stdlibConfig(dsn string) (*pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 5 * time.Second
	}
	return cfg, nil
}

// EnsureDatabase creates the database named in dsn if it does not exist,
// connecting to the server's maintenance database to do so. Processes
// calling it at once for the same name all succeed.
func EnsureDatabase(ctx context.Context, dsn string) error {
	u, err := url.Parse(dsn)
	if err != nil || u.Path == "" || u.Path == "/" {
		return fmt.Errorf("DATABASE_URL must name a database, like postgres://user@host:5432/carebroker")
	}
	name := strings.TrimPrefix(u.Path, "/")
	admin := *u
	admin.Path = "/postgres"
	db, err := sql.Open("pgx", admin.String())
	if err != nil {
		return err
	}
	defer db.Close()
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return fmt.Errorf("postgres at %s: %w", Redact(dsn), err)
	}
	if exists {
		return nil
	}
	_, err = db.ExecContext(ctx, `CREATE DATABASE `+QuoteIdent(name))
	// Created meanwhile by another instance starting at the same moment:
	// 42P04 when it had committed, 23505 on pg_database's unique index when
	// both were creating it at once.
	if code := PgCode(err); code == "42P04" || code == "23505" {
		return nil
	}
	return err
}

// QuoteIdent quotes a PostgreSQL identifier.
func QuoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// Redact hides the password in a connection URL for logs.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}

func provider(db *DB) (*goose.Provider, error) {
	sqlDB, err := db.SQL()
	if err != nil {
		return nil, err
	}
	// Two instances starting together on a database with pending migrations
	// must not both run them: the second would fail half-way (a type or
	// table the first just made) and exit. A session advisory lock makes
	// the later ones wait, then find nothing left to do. The lock is
	// released when the session ends, so a migrator that dies frees it.
	locker, err := lock.NewPostgresSessionLocker(
		lock.WithLockID(MigrationLockID),
		lock.WithLockTimeout(1, 600), // probe every second, for up to ten minutes
	)
	if err != nil {
		return nil, err
	}
	// Migrations from different areas land in any order; a database that
	// already has a later one still takes an earlier one that arrives later.
	return goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS,
		goose.WithAllowOutofOrder(true), goose.WithSessionLocker(locker))
}

// MigrationLockID is the PostgreSQL advisory lock key held while migrations
// run, so at most one process migrates a database at a time.
const MigrationLockID int64 = 727274002

// Migrate applies every migration not yet applied. It holds the advisory
// lock MigrationLockID while it does, so processes migrating one database at
// the same moment take turns; it returns an error when the lock is not
// free within ten minutes or a migration fails.
func Migrate(ctx context.Context, db *DB) error {
	p, err := provider(db)
	if err != nil {
		return err
	}
	results, err := p.Up(ctx)
	for _, r := range results {
		slog.Info("migrated", "version", r.Source.Version, "file", r.Source.Path, "took", r.Duration)
	}
	return err
}

// MigrateDown rolls back the newest migration.
func MigrateDown(ctx context.Context, db *DB) error {
	p, err := provider(db)
	if err != nil {
		return err
	}
	_, err = p.Down(ctx)
	return err
}

// MigrationStatus lists each migration and whether it is applied.
func MigrationStatus(ctx context.Context, db *DB) ([]string, error) {
	p, err := provider(db)
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, s := range st {
		lines = append(lines, fmt.Sprintf("%05d %-40s %s", s.Source.Version, s.Source.Path, s.State))
	}
	return lines, nil
}

// Pending reports how many embedded migrations are not applied yet.
func Pending(ctx context.Context, db *DB) (int, error) {
	p, err := provider(db)
	if err != nil {
		return 0, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range st {
		if s.State == goose.StatePending {
			n++
		}
	}
	return n, nil
}

// Translate turns database failures that a caller can act on into *errs.Error:
// an unreachable server becomes Unavailable; constraint breaches stay as they
// are for the store to interpret. Other errors are returned unchanged.
func Translate(err error) error {
	if err == nil {
		return nil
	}
	if errs.As(err) != nil {
		return err
	}
	if IsUnavailable(err) {
		return errs.Unavailablef(err, "the database is not answering; try again in a moment")
	}
	return err
}

// IsUnavailable reports whether err means the server could not be reached
// or went away (connection refused, reset, admin shutdown).
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 08xxx connection exceptions
		return pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03" || strings.HasPrefix(pgErr.Code, "08")
	}
	if pgconn.SafeToRetry(err) || pgconn.Timeout(err) {
		return true
	}
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) {
		return true
	}
	msg := err.Error()
	for _, s := range []string{"connection refused", "broken pipe", "connection reset", "bad connection", "unexpected EOF", "conn closed", "failed to connect", "driver: bad connection"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// PgCode returns the SQLSTATE of a PostgreSQL error, or "".
func PgCode(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

// ConstraintName returns the constraint a PostgreSQL error names, or "".
func ConstraintName(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.ConstraintName
	}
	return ""
}
