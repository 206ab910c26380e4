package main

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/migrations"
)

// childEnv, when set, makes the test binary behave as the carebroker
// binary: TestMain runs main with the arguments after the test flags. It
// lets a test start real, separate carebroker processes without a build
// step. childStartAt (Unix nanoseconds) makes each child wait for one
// moment, so the children really start together.
const (
	childEnv     = "CAREBROKER_TEST_AS_MAIN"
	childStartAt = "CAREBROKER_TEST_START_AT"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		if at, err := strconv.ParseInt(os.Getenv(childStartAt), 10, 64); err == nil {
			time.Sleep(time.Until(time.Unix(0, at)))
		}
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Three instances starting at the same moment on a database that does not
// exist yet all succeed, and each migration is applied once: the advisory
// lock makes the later ones wait and then find nothing to do. Without it
// one failed half-way with a duplicate pg_type and exited 1.
func TestThreeProcessesMigrateOneNewDatabaseAtOnce(t *testing.T) {
	name := fmt.Sprintf("carebroker_migrate_together_%d", time.Now().UnixNano())
	admin, err := sql.Open("pgx", pgtest.ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	t.Cleanup(func() { admin.Exec(`DROP DATABASE IF EXISTS ` + postgres.QuoteIdent(name) + ` WITH (FORCE)`) })
	u, err := url.Parse(pgtest.ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	dsn := u.String()

	startAt := time.Now().Add(2 * time.Second).UnixNano()
	const processes = 3
	outputs := make([]string, processes)
	errs := make([]error, processes)
	var wg sync.WaitGroup
	for i := 0; i < processes; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "migrate", "up")
			cmd.Env = append(os.Environ(), childEnv+"=1", childStartAt+"="+strconv.FormatInt(startAt, 10),
				"DATABASE_URL="+dsn, "DEV=1", "REDIS_PREFIX=test:migrate-together:")
			out, err := cmd.CombinedOutput()
			outputs[i], errs[i] = string(out), err
		}(i)
	}
	wg.Wait()
	for i := range errs {
		if errs[i] != nil {
			t.Errorf("process %d: %v\n%s", i+1, errs[i], outputs[i])
		}
	}

	files, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var applied, distinct, twice int
	err = db.QueryRow(`SELECT count(*), count(DISTINCT version_id),
	       (SELECT count(*) FROM (SELECT version_id FROM goose_db_version GROUP BY version_id HAVING count(*) > 1) d)
	  FROM goose_db_version WHERE version_id > 0 AND is_applied`).Scan(&applied, &distinct, &twice)
	if err != nil {
		t.Fatalf("read goose's version table: %v", err)
	}
	if applied != len(files) || distinct != len(files) || twice != 0 {
		t.Fatalf("goose_db_version has %d rows for %d versions (%d applied more than once); want each of the %d migrations once",
			applied, distinct, twice, len(files))
	}
}
