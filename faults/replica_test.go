package faults

import (
	"context"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/carebroker/carebroker/internal/metrics"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/providers"
)

// startReplica makes a streaming replica of primary with pg_basebackup -R
// (a standby that follows the primary) on a free port, and starts it.
func startReplica(t *testing.T, primary *pgCluster) *pgCluster {
	t.Helper()
	base, err := os.MkdirTemp("", "carebroker-faults-replica-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	r := &pgCluster{t: t, dir: filepath.Join(base, "data"), port: freePort(t), as: primary.as}
	if r.as != nil {
		if out, err := exec.Command("chown", "postgres:postgres", base).CombinedOutput(); err != nil {
			t.Fatalf("chown %s: %v %s", base, err, out)
		}
	}
	r.run("pg_basebackup", "-h", "127.0.0.1", "-p", strconv.Itoa(primary.port), "-U", "postgres", "-D", r.dir, "-R", "-X", "stream", "-c", "fast")
	r.Start()
	t.Cleanup(func() { r.pgctl("stop", "-m", "immediate") })
	return r
}

// testClock is a clock the test moves by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *testClock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

// Lag-tolerant reads (here the published directory) are served by a
// streaming replica while it keeps up; when its replay falls more than
// REPLICA_MAX_LAG behind, or it stops, they go to the primary and the
// metrics say so. Reads that decide never go to the replica.
func TestReadReplicaServesListsAndFallsBackToThePrimary(t *testing.T) {
	began := time.Now()
	primary := startPostgres(t)
	dsn := primary.URL("carebroker")
	if err := postgres.EnsureDatabase(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	pdb, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pdb.Close()
	if err := postgres.Migrate(ctx, pdb); err != nil {
		t.Fatal(err)
	}
	replica := startReplica(t, primary)
	clock := &testClock{now: time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)}
	db, err := pdb.WithReplica(replica.URL("carebroker"), postgres.ReplicaOptions{MaxLag: 5 * time.Second, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("primary and replica up and migrated in %s", time.Since(began).Round(time.Millisecond))
	lagOK := postgres.TolerateLag(ctx)
	inRecovery := func(c context.Context) bool {
		var r bool
		if err := db.Gorm(c).Raw(`SELECT pg_is_in_recovery()`).Scan(&r).Error; err != nil {
			t.Fatal(err)
		}
		return r
	}
	if !inRecovery(lagOK) {
		t.Fatal("a lag-tolerant read did not go to the replica")
	}
	if inRecovery(ctx) {
		t.Fatal("an unmarked read went to the replica")
	}
	err = db.Transaction(ctx, func(tx *postgres.Tx) error {
		var r bool
		err := tx.Gorm(lagOK).Raw(`SELECT pg_is_in_recovery()`).Scan(&r).Error
		if r {
			t.Error("a read inside a transaction went to the replica")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	w := newWorld(t, db)
	published := func() int {
		_, total, err := w.dir.Directory(ctx, providers.DirectoryQuery{Page: 1, PerPage: 50})
		w.must(err)
		return total
	}
	w.provider(5)
	waitUntil(t, "the replica to replay the first provider", func() bool { return published() == 1 })
	if !inRecovery(lagOK) {
		t.Fatal("the replica stopped serving")
	}

	// Replay paused: the replica serves the directory as it was, without the
	// provider written since, until its lag passes the limit.
	w.must(db.Replica().Gorm(ctx).Exec(`SELECT pg_wal_replay_pause()`).Error)
	waitUntil(t, "replay to pause", func() bool {
		var state string
		w.must(db.Replica().Gorm(ctx).Raw(`SELECT pg_get_wal_replay_pause_state()`).Scan(&state).Error)
		return state == "paused"
	})
	w.provider(5)
	if got := published(); got != 1 {
		t.Fatalf("the directory lists %d services within the lag limit; want 1, as the paused replica has it", got)
	}
	lagging := `carebroker_replica_fallbacks_total{reason="lagging"}`
	before := scrapeSeries(t, lagging)
	clock.Advance(4 * time.Second)
	if got := published(); got != 1 {
		t.Fatalf("4s behind (limit 5s): the directory lists %d services, want 1 from the replica", got)
	}
	clock.Advance(2 * time.Second)
	if got := published(); got != 2 {
		t.Fatalf("6s behind (limit 5s): the directory lists %d services, want 2 from the primary", got)
	}
	if inRecovery(lagOK) {
		t.Fatal("a lag-tolerant read went to a replica past the lag limit")
	}
	after := scrapeSeries(t, lagging, `carebroker_replica_in_use`, `carebroker_replica_lag_seconds`)
	if after[lagging] <= before[lagging] || after[`carebroker_replica_in_use`] != 0 || after[`carebroker_replica_lag_seconds`] < 6 {
		t.Fatalf("metrics while lagging: %v (before %v)", after, before)
	}

	// Replay resumed: the replica catches up and serves again.
	w.must(db.Replica().Gorm(ctx).Exec(`SELECT pg_wal_replay_resume()`).Error)
	waitUntil(t, "the replica to catch up", func() bool { clock.Advance(time.Millisecond); return inRecovery(lagOK) })
	if got := published(); got != 2 {
		t.Fatalf("caught up: the directory lists %d services, want 2", got)
	}
	if v := scrapeSeries(t, `carebroker_replica_in_use`); v[`carebroker_replica_in_use`] != 1 {
		t.Fatalf("replica_in_use %v after catching up", v)
	}

	// The replica stopped: reads go to the primary.
	down := `carebroker_replica_fallbacks_total{reason="down"}`
	before = scrapeSeries(t, down)
	replica.Stop()
	if got := published(); got != 2 {
		t.Fatalf("replica down: the directory lists %d services, want 2 from the primary", got)
	}
	if inRecovery(lagOK) {
		t.Fatal("a lag-tolerant read claims the stopped replica served it")
	}
	if after := scrapeSeries(t, down); after[down] <= before[down] {
		t.Fatalf("%s did not rise with the replica stopped", down)
	}
	t.Logf("replica test took %s", time.Since(began).Round(time.Millisecond))
}

// waitUntil polls ok until it holds, failing t after 90 s (a limit for a
// broken run, not a wait: a busy machine passes as soon as ok holds).
func waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// scrapeSeries reads the named series from the metrics handler (0 when absent).
func scrapeSeries(t *testing.T, names ...string) map[string]float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	out := map[string]float64{}
	for _, n := range names {
		if m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(n) + ` (\S+)$`).FindSubmatch(body); m != nil {
			out[n], _ = strconv.ParseFloat(string(m[1]), 64)
		}
	}
	return out
}
