// Package pgtest gives each test its own PostgreSQL database, cloned from a
// template migrated with the same embedded files production uses, and
// dropped when the test ends. It never touches the server's shared
// databases beyond connecting to "postgres" to create and drop its own.
//
// The server is TEST_DATABASE_URL, else DATABASE_URL, else
// postgres://postgres@127.0.0.1:5432/postgres.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/migrations"
)

// ServerURL returns the URL of the test server's maintenance database.
func ServerURL() string {
	for _, k := range []string{"TEST_DATABASE_URL", "DATABASE_URL"} {
		if v := os.Getenv(k); v != "" {
			return withDatabase(v, "postgres")
		}
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

func withDatabase(dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		panic(fmt.Sprintf("pgtest: bad database URL: %v", err))
	}
	u.Path = "/" + name
	return u.String()
}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// New returns a fresh, migrated database for t. It is dropped when t ends.
func New(t testing.TB) *postgres.DB {
	db, _ := NewWithURL(t)
	return db
}

// NewWithURL is New that also returns the database's URL, for tests that
// start a server process of their own against it.
func NewWithURL(t testing.TB) (*postgres.DB, string) {
	t.Helper()
	dsn := CreateDatabase(t)
	db, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("pgtest: open %s: %v", dsn, err)
	}
	t.Cleanup(func() { db.Close() })
	return db, dsn
}

// CreateDatabase creates a migrated database for t and returns its URL. The
// database is dropped (with any connections still open) when t ends.
func CreateDatabase(t testing.TB) string {
	t.Helper()
	templateOnce.Do(func() { templateName, templateErr = ensureTemplate() })
	if templateErr != nil {
		t.Fatalf("pgtest: template database: %v", templateErr)
	}
	admin, err := sql.Open("pgx", ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := "carebroker_test_" + randomHex(6)
	var lastErr error
	for attempt := 0; attempt < 50; attempt++ {
		_, lastErr = admin.Exec(`CREATE DATABASE ` + postgres.QuoteIdent(name) + ` TEMPLATE ` + postgres.QuoteIdent(templateName))
		if lastErr == nil || postgres.PgCode(lastErr) != "55006" { // 55006: template in use by a concurrent clone
			break
		}
		time.Sleep(time.Duration(20+attempt*10) * time.Millisecond)
	}
	if lastErr != nil {
		t.Fatalf("pgtest: create database: %v", lastErr)
	}
	t.Cleanup(func() { dropDatabase(name) })
	return withDatabase(ServerURL(), name)
}

func dropDatabase(name string) {
	admin, err := sql.Open("pgx", ServerURL())
	if err != nil {
		return
	}
	defer admin.Close()
	admin.Exec(`DROP DATABASE IF EXISTS ` + postgres.QuoteIdent(name) + ` WITH (FORCE)`)
}

// ensureTemplate builds the template database for the current migrations
// once per machine: its name carries a hash of the migration files, and an
// advisory lock keeps parallel test processes from building it twice.
func ensureTemplate() (string, error) {
	ctx := context.Background()
	name := "carebroker_tmpl_" + migrationsHash()
	admin, err := sql.Open("pgx", ServerURL())
	if err != nil {
		return "", err
	}
	defer admin.Close()
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", fmt.Errorf("connect to %s: %w", postgres.Redact(ServerURL()), err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(727274001)`); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock(727274001)`)
	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_build"
	conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+postgres.QuoteIdent(building)+` WITH (FORCE)`)
	if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+postgres.QuoteIdent(building)); err != nil {
		return "", err
	}
	db, err := postgres.Open(ctx, withDatabase(ServerURL(), building))
	if err != nil {
		return "", err
	}
	migrateErr := postgres.Migrate(ctx, db)
	db.Close()
	if migrateErr != nil {
		return "", fmt.Errorf("migrate: %w", migrateErr)
	}
	if _, err := conn.ExecContext(ctx, `ALTER DATABASE `+postgres.QuoteIdent(building)+` RENAME TO `+postgres.QuoteIdent(name)); err != nil {
		return "", err
	}
	return name, nil
}

func migrationsHash() string {
	h := sha256.New()
	fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(migrations.FS, path)
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
