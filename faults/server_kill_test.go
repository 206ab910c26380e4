package faults

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/postgres"
)

// heldBackends counts the server's database sessions that wait for a lock
// while inserting a notification: agreement transactions held in the middle,
// their capacity reserved and their agreement row written, not committed.
func heldBackends(t testing.TB, db *postgres.DB) int {
	t.Helper()
	var n int
	if err := db.Gorm(context.Background()).Raw(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
		AND wait_event_type = 'Lock' AND query ILIKE '%INSERT INTO notifications%'`).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// queuedBackends counts the server's database sessions waiting for a
// service's capacity row, queued behind a held agreement transaction.
func queuedBackends(t testing.TB, db *postgres.DB) int {
	t.Helper()
	var n int
	if err := db.Gorm(context.Background()).Raw(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
		AND wait_event_type = 'Lock' AND query ILIKE '%FROM provider_services%FOR UPDATE%'`).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// busyBackends counts the database sessions other than the test's that are
// still running or inside a transaction.
func busyBackends(t testing.TB, db *postgres.DB) int {
	t.Helper()
	var n int
	if err := db.Gorm(context.Background()).Raw(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
		AND backend_type = 'client backend' AND state <> 'idle'`).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// The server SIGKILLed in the middle of `agree start date`: the test holds
// the agreement transactions just before their finance notification is
// written (a lock on the notifications table) and kills the server then.
// Afterwards every request has its agreement with its notification and its
// reserved place, or none of them; a new server agrees each cut request
// once.
func TestServerKilledMidAgreementLeavesAgreementsWholeOrAbsent(t *testing.T) {
	db, dsn := pgtest.NewWithURL(t)
	w := newWorld(t, db)
	const providers, perProvider = 6, 20
	var ids []uuid.UUID
	for i := 0; i < providers; i++ {
		ids = append(ids, w.chosen(perProvider, w.provider(100))...)
	}
	total := len(ids)
	token := tokenFor(t, w.brk)
	srv, base := startServer(t, dsn, testRedisURL())
	body := map[string]string{"start_date": startDay().String()}
	agreeAll := func(base string, which []int) []call {
		results := make([]call, len(which))
		var wg sync.WaitGroup
		for k, i := range which {
			wg.Add(1)
			go func(k, i int) {
				defer wg.Done()
				// A connection of its own each: none left over from another server.
				c := &http.Client{Timeout: 90 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
				results[k] = send(c, newJSONRequest(context.Background(), "POST", base+"/api/v1/requests/"+ids[i].String()+"/agreement", token, body))
			}(k, i)
		}
		wg.Wait()
		return results
	}

	// A quarter are agreed before the fault: one request in four.
	var first, rest []int
	for i := range ids {
		if i%4 == 0 {
			first = append(first, i)
		} else {
			rest = append(rest, i)
		}
	}
	for _, r := range agreeAll(base, first) {
		if r.err != nil || r.status != http.StatusCreated {
			t.Fatalf("before the fault: %d %v %s", r.status, r.err, r.body)
		}
	}

	// Hold the rest in the middle: each provider's first transaction waits to
	// write its notification, the others queue behind it for the capacity row.
	lock := db.Gorm(context.Background()).Begin()
	if err := lock.Exec(`LOCK TABLE notifications IN SHARE ROW EXCLUSIVE MODE`).Error; err != nil {
		t.Fatal(err)
	}
	lockHeld := true
	defer func() {
		if lockHeld {
			lock.Rollback()
		}
	}()
	// One request per provider first, so that each provider's transaction is
	// held at the notification insert before the others queue behind it. Sent
	// all at once, on a busy machine the first 40 to reach the server (its
	// pool) could all be of five providers, and the sixth's waited for a
	// connection, never reaching the insert.
	var leaders, followers []int
	seen := map[int]bool{}
	for _, i := range rest {
		if p := i / perProvider; !seen[p] {
			seen[p] = true
			leaders = append(leaders, i)
		} else {
			followers = append(followers, i)
		}
	}
	cutDone := make(chan []call)
	go func() { cutDone <- agreeAll(base, leaders) }()
	deadline := time.Now().Add(60 * time.Second)
	held := 0
	for held = heldBackends(t, db); held < providers; held = heldBackends(t, db) {
		if time.Now().After(deadline) {
			var sessions []string
			db.Gorm(context.Background()).Raw(`SELECT state || ' ' || coalesce(wait_event_type, '-') || ' ' || coalesce(wait_event, '-') || ' ' || left(regexp_replace(query, '\s+', ' ', 'g'), 100)
				FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&sessions)
			srv.cmd.Process.Signal(syscall.SIGQUIT) // the child prints every goroutine's stack
			<-srv.done
			lock.Rollback()
			lockHeld = false
			var answers []string
			for _, r := range <-cutDone {
				answers = append(answers, fmt.Sprintf("%d %v %.200s", r.status, r.err, r.body))
			}
			t.Fatalf("only %d agreement transactions reached the notification insert; the sessions:\n%s\nthe answers:\n%s\nthe server's log:\n%s",
				held, joinLines(sessions), joinLines(answers[:min(10, len(answers))]), srv.Log())
		}
		time.Sleep(20 * time.Millisecond)
	}
	followersDone := make(chan []call)
	go func() { followersDone <- agreeAll(base, followers) }()
	for deadline := time.Now().Add(60 * time.Second); queuedBackends(t, db) == 0; {
		if time.Now().After(deadline) {
			t.Fatal("no other agreement queued behind the held ones")
		}
		time.Sleep(20 * time.Millisecond)
	}
	srv.Kill()
	cut := append(<-cutDone, <-followersDone...)
	lock.Rollback()
	lockHeld = false
	for deadline := time.Now().Add(30 * time.Second); busyBackends(t, db) > 0; {
		if time.Now().After(deadline) {
			t.Fatal("the dead server's transactions never ended")
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, r := range cut {
		if r.err == nil {
			t.Fatalf("a held agreement was answered %d before the kill: %s", r.status, r.body)
		}
	}
	// Right after the crash: the held transactions left nothing behind.
	checkInvariants(t, db)
	if n := w.count(`SELECT count(*) FROM agreements`); n != len(first) {
		t.Fatalf("%d agreements after the kill, want the %d answered before it: a held one was kept", n, len(first))
	}
	if n := w.count(`SELECT coalesce(sum(reserved_units), 0) FROM provider_capacity`); n != len(first) {
		t.Fatalf("%d places reserved after the kill, want %d", n, len(first))
	}
	if n := w.count(`SELECT count(*) FROM requests WHERE status = 'agreed'`); n != len(first) {
		t.Fatalf("%d requests agreed after the kill, want %d", n, len(first))
	}

	// A new server agrees every cut request, once.
	_, base = startServer(t, dsn, testRedisURL())
	for _, r := range agreeAll(base, rest) {
		if r.err != nil || r.status != http.StatusCreated {
			t.Fatalf("after the restart: %d %v %s", r.status, r.err, r.body)
		}
	}
	checkInvariants(t, db)
	if n := w.count(`SELECT count(*) FROM agreements WHERE status = 'active'`); n != total {
		t.Fatalf("%d agreements after the restart, want %d", n, total)
	}
	if n := w.count(`SELECT count(*) FROM notifications WHERE audience_kind = 'finance' AND agreement_id IS NOT NULL`); n != total {
		t.Fatalf("%d finance notifications after the restart, want %d", n, total)
	}
	t.Logf("killed with %d agreement transactions held mid-way (capacity reserved, agreement written, notification not) and %d requests in all cut; "+
		"none left a trace; %d agreed before, all %d after the restart", held, len(rest), len(first), total)
}
