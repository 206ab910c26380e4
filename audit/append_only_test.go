package audit_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/postgres"
)

func record(t *testing.T, db postgres.Conn) {
	t.Helper()
	err := audit.Record(context.Background(), db, audit.Entry{
		Actor:  accounts.Actor{UserID: uuid.New(), Role: accounts.Broker},
		Action: "plan.view", ObjectType: "plan", ObjectID: "p1", PersonID: uuid.New(),
	})
	if err != nil {
		t.Fatal(err)
	}
}

// refused runs stmt in a transaction of its own (as role, if given) and
// returns the error, which the caller expects.
func refused(t *testing.T, db *postgres.DB, role, stmt string) string {
	t.Helper()
	tx := db.Gorm(context.Background()).Begin()
	defer tx.Rollback()
	if role != "" {
		if err := tx.Exec("SET LOCAL ROLE " + role).Error; err != nil {
			t.Fatal(err)
		}
	}
	err := tx.Exec(stmt).Error
	if err == nil {
		t.Fatalf("%q as %q was allowed on the append-only audit trail", stmt, role)
	}
	return err.Error()
}

// TestTheAuditTrailIsAppendOnly: as the owner, 00002's trigger refuses each
// of UPDATE, DELETE and TRUNCATE; as the application's role, the privileges
// refuse them too, and the role cannot switch the trigger off.
func TestTheAuditTrailIsAppendOnly(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	record(t, db)
	for _, stmt := range []string{
		"UPDATE audit_events SET action = 'nothing.happened'",
		"DELETE FROM audit_events",
		"TRUNCATE audit_events",
	} {
		if msg := refused(t, db, "", stmt); !strings.Contains(msg, "audit_events is append-only") {
			t.Errorf("%s as the owner: refused with %q, want the append-only trigger", stmt, msg)
		}
		if msg := refused(t, db, "carebroker_app", stmt); !strings.Contains(msg, "permission denied") {
			t.Errorf("%s as carebroker_app: refused with %q, want permission denied", stmt, msg)
		}
	}
	if msg := refused(t, db, "carebroker_app", "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update"); !strings.Contains(msg, "must be owner") {
		t.Errorf("carebroker_app disabling the trigger: %q, want must be owner", msg)
	}
	var n int64
	db.Gorm(context.Background()).Table("audit_events").Count(&n)
	if n != 1 {
		t.Fatalf("%d events after the refused changes, want the 1 written", n)
	}
}

// TestTheApplicationRoleCanDoItsWork: carebroker_app appends and reads
// events and changes other tables as usual.
func TestTheApplicationRoleCanDoItsWork(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	err := db.Transaction(context.Background(), func(tx *postgres.Tx) error {
		if err := tx.Gorm(context.Background()).Exec("SET LOCAL ROLE carebroker_app").Error; err != nil {
			return err
		}
		record(t, tx)
		if err := tx.Gorm(context.Background()).Exec(`INSERT INTO users (email, display_name, password_hash, role) VALUES ('a@b.example', 'A', 'x', 'broker')`).Error; err != nil {
			return err
		}
		if err := tx.Gorm(context.Background()).Exec(`UPDATE users SET display_name = 'B' WHERE email = 'a@b.example'`).Error; err != nil {
			return err
		}
		events, err := audit.Query(context.Background(), tx, audit.Filter{})
		if err != nil || len(events) != 1 {
			t.Fatalf("query as carebroker_app: %d events, %v", len(events), err)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("carebroker_app could not do the application's work: %v", err)
	}
}

// TestTheAppRoleMigrationRollsBackAndForth: rolling 00045 (and anything
// after it) back takes the role's grants away while the trigger still
// holds, and migrating up again gives them back.
func TestTheAppRoleMigrationRollsBackAndForth(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	record(t, db) // row triggers fire only on rows
	for i := 0; ; i++ {
		var newest int64
		if err := db.Gorm(context.Background()).Raw(`SELECT max(version_id) FROM goose_db_version`).Scan(&newest).Error; err != nil {
			t.Fatal(err)
		}
		if newest < 45 {
			break
		}
		if i > 100 {
			t.Fatal("migrating down does not get below 00045")
		}
		if err := postgres.MigrateDown(ctx, db); err != nil {
			t.Fatalf("down from %d: %v", newest, err)
		}
	}
	if msg := refused(t, db, "carebroker_app", "SELECT count(*) FROM audit_events"); !strings.Contains(msg, "permission denied") {
		t.Fatalf("after down, carebroker_app still reads audit_events: %q", msg)
	}
	if msg := refused(t, db, "", "DELETE FROM audit_events"); !strings.Contains(msg, "append-only") {
		t.Fatalf("after down, the trigger is gone: %q", msg)
	}
	if err := postgres.Migrate(ctx, db); err != nil {
		t.Fatalf("up again: %v", err)
	}
	errRollBack := errors.New("roll back")
	err := db.Transaction(ctx, func(tx *postgres.Tx) error {
		if err := tx.Gorm(ctx).Exec("SET LOCAL ROLE carebroker_app").Error; err != nil {
			return err
		}
		record(t, tx)
		return errRollBack
	})
	if !errors.Is(err, errRollBack) {
		t.Fatal(err)
	}
}
