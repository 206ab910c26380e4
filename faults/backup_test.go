package faults

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/postgres"
)

// backupAgreements is how many agreements the backup round trip carries.
const backupAgreements = 300

// A backup made by scripts/backup.sh and restored by scripts/restore.sh into
// a new database holds every agreement and passes `carebroker check`; a
// corrupted copy, backed up and restored the same way, fails it.
func TestBackupIsRestoredIntoANewDatabaseAndChecked(t *testing.T) {
	db, dsn := pgtest.NewWithURL(t)
	built := time.Now()
	w := newWorld(t, db)
	p := w.provider(backupAgreements + 10)
	ids := w.chosen(backupAgreements, p)
	agreeAll(t, w, ids)
	checkInvariants(t, db)
	t.Logf("%d agreements made through the use cases in %s", backupAgreements, time.Since(built).Round(time.Millisecond))

	// restore.sh runs `$CAREBROKER check`: this test binary, as a child
	// that runs what `carebroker check` runs (invariants.Run), without a
	// build of the binary in the test (cmd/carebroker's TestCheckSubcommand
	// covers the command itself).
	bin := os.Args[0]
	dir := t.TempDir()
	dump := filepath.Join(dir, "carebroker.dump")
	began := time.Now()
	script(t, "backup.sh", dsn, dump)
	backupTook := time.Since(began)
	info, err := os.Stat(dump)
	if err != nil {
		t.Fatal(err)
	}

	restored := "carebroker_test_restore_" + strings.ReplaceAll(uuid.NewString()[:8], "-", "")
	dropAfter(t, restored)
	began = time.Now()
	out := script(t, "restore.sh", dsn, dump, restored, "CAREBROKER="+bin, childEnv+"=check")
	restoreTook := time.Since(began)
	if !strings.Contains(out, "invariants hold") {
		t.Fatalf("restore.sh did not report the check:\n%s", out)
	}
	t.Logf("%d agreements: backup %s, restore and check %s, dump %d bytes", backupAgreements,
		backupTook.Round(time.Millisecond), restoreTook.Round(time.Millisecond), info.Size())

	rdb, err := postgres.Open(ctx, withDatabase(dsn, restored))
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	for _, table := range []string{"agreements", "notifications", "requests", "provider_capacity", "audit_events"} {
		var was, is int64
		q := "SELECT count(*) FROM " + table
		w.must(db.Gorm(ctx).Raw(q).Scan(&was).Error)
		w.must(rdb.Gorm(ctx).Raw(q).Scan(&is).Error)
		if was != is {
			t.Errorf("%s: %d rows restored of %d", table, is, was)
		}
	}
	var agreed int64
	w.must(rdb.Gorm(ctx).Raw(`SELECT count(*) FROM agreements WHERE status = 'active'`).Scan(&agreed).Error)
	if agreed != backupAgreements {
		t.Fatalf("%d active agreements restored, want %d", agreed, backupAgreements)
	}

	// Corrupt the restored copy the way a bad manual fix would (one
	// agreement loses its finance notification), back it up and restore it:
	// the check fails and restore.sh says so.
	w.must(rdb.Gorm(ctx).Exec(`DELETE FROM notifications WHERE id = (SELECT id FROM notifications
		WHERE audience_kind = 'finance' AND kind = 'agreement.created' ORDER BY id LIMIT 1)`).Error)
	bad := filepath.Join(dir, "corrupted.dump")
	script(t, "backup.sh", withDatabase(dsn, restored), bad)
	corrupted := restored + "_bad"
	dropAfter(t, corrupted)
	out, err = runScript("restore.sh", dsn, bad, corrupted, "CAREBROKER="+bin, childEnv+"=check")
	if err == nil {
		t.Fatalf("restore.sh passed a corrupted backup:\n%s", out)
	}
	if !strings.Contains(out, "BROKEN   an agreement without exactly one finance notification") {
		t.Fatalf("restore.sh failed without naming the broken invariant:\n%s", out)
	}
	// Restoring over an existing database is refused.
	if out, err := runScript("restore.sh", dsn, dump, restored, "CAREBROKER="+bin, childEnv+"=check"); err == nil || !strings.Contains(out, "already exists") {
		t.Fatalf("restore.sh into an existing database: %v\n%s", err, out)
	}
}

// agreeAll agrees the start date of every chosen request, six at a time.
func agreeAll(t *testing.T, w *world, ids []uuid.UUID) {
	t.Helper()
	var wg sync.WaitGroup
	var next atomic.Int64
	errc := make(chan error, len(ids))
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(ids); i = int(next.Add(1)) - 1 {
				if _, err := w.svc.AgreeStartDate(ctx, w.brk, ids[i], startDay()); err != nil {
					errc <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
}

// runScript runs scripts/name with DATABASE_URL=dsn, the arguments and any
// NAME=value arguments as environment; it returns the combined output.
func runScript(name, dsn string, args ...string) (string, error) {
	cmd := exec.Command(filepath.Join("..", "scripts", name))
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dsn)
	for _, a := range args {
		if k, _, ok := strings.Cut(a, "="); ok && k == strings.ToUpper(k) && !strings.Contains(k, "/") {
			cmd.Env = append(cmd.Env, a)
			continue
		}
		cmd.Args = append(cmd.Args, a)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func script(t *testing.T, name, dsn string, args ...string) string {
	t.Helper()
	out, err := runScript(name, dsn, args...)
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
	return out
}

func withDatabase(dsn, name string) string {
	i := strings.Index(dsn, "://")
	rest := dsn[i+3:]
	j := strings.IndexAny(rest, "/?")
	if j < 0 {
		return dsn + "/" + name
	}
	query := ""
	if q := strings.IndexByte(rest, '?'); q >= 0 {
		query = rest[q:]
	}
	return dsn[:i+3] + rest[:j] + "/" + name + query
}

// dropAfter drops database name on the test server when t ends.
func dropAfter(t *testing.T, name string) {
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", pgtest.ServerURL())
		if err != nil {
			t.Error(err)
			return
		}
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+postgres.QuoteIdent(name)+` WITH (FORCE)`); err != nil {
			t.Error(err)
		}
	})
}
