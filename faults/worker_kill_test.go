package faults

import (
	"context"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/internal/pgtest"
)

// agreeAll agrees every request in ids (each with an offer of one of ps
// chosen), six at a time.
func (w *world) agreeAll(ids []uuid.UUID) {
	w.t.Helper()
	var next atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, 6)
	for g := 0; g < 6; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(ids) {
					return
				}
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
		w.t.Fatal(err)
	}
}

// envInt reads a whole number from the environment, or def.
func envInt(t testing.TB, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("%s: want a whole number above 0, not %q", name, v)
	}
	return n
}

// The notification worker SIGKILLed 20 times at random points (while
// starting, claiming, or holding an answered webhook call) across the
// finance notifications of real agreements (200 in the normal run, 1,000
// under make soak, FAULTS_AGREEMENTS): the receiver, deduping
// on the Idempotency-Key, applies each exactly once and none is lost.
func TestWorkerKilledTwentyTimesLosesNoNotification(t *testing.T) {
	db, dsn := pgtest.NewWithURL(t)
	w := newWorld(t, db)
	total := envInt(t, "FAULTS_AGREEMENTS", 200) // make soak: 1,000
	const kills = 20
	began := time.Now()
	var ids []uuid.UUID
	for len(ids) < total { // several providers: agreements on one would queue on its capacity row
		ids = append(ids, w.chosen(min(200, total-len(ids)), w.provider(1000))...)
	}
	w.agreeAll(ids)
	t.Logf("%d agreements made in %s", total, time.Since(began).Round(time.Millisecond))
	var keys []string
	w.must(db.Gorm(context.Background()).Raw(`SELECT idempotency_key FROM notifications WHERE audience_kind = 'finance' AND agreement_id IS NOT NULL`).Scan(&keys).Error)
	if len(keys) != total {
		t.Fatalf("%d finance notifications for %d agreements", len(keys), total)
	}

	rc := newReceiver(t)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 8))
	t.Logf("kill schedule seed is the time; kills: %d", kills)
	heldKills := 0
	for k := 0; k < kills; k++ {
		worker := startChild(t, "worker", "DATABASE_URL="+dsn, childWebhookEnv+"="+rc.srv.URL)
		_, before, _, _ := rc.snapshot()
		if k%2 == 0 || before >= total {
			// At a random moment: while it starts, claims or posts.
			time.Sleep(time.Duration(rng.IntN(250)) * time.Millisecond)
		} else {
			// While it waits for the answer to a webhook call the receiver
			// has applied: the call is cut and will be sent again. Spaced
			// so that the kills spread over the whole run.
			target := min(total, before+1+rng.IntN(max(2, 2*total/(kills+4))))
			hit := make(chan struct{})
			var once sync.Once
			rc.setHook(func(r *http.Request) {
				_, n, _, _ := rc.snapshot()
				if n < target {
					return
				}
				fired := false
				once.Do(func() { fired = true; close(hit) })
				if fired {
					<-r.Context().Done()
				}
			})
			select {
			case <-hit:
				heldKills++
			case <-time.After(60 * time.Second):
				t.Fatalf("the worker never reached %d applied; its log:\n%s", target, worker.Log())
			case <-worker.done:
				t.Fatalf("the worker exited on its own; its log:\n%s", worker.Log())
			}
		}
		worker.Kill()
		rc.setHook(nil)
	}
	_, appliedAtLastKill, _, _ := rc.snapshot()

	// One last worker, left alone, finishes: the dead workers' claims are
	// taken over when their leases run out.
	last := startChild(t, "worker", "DATABASE_URL="+dsn, childWebhookEnv+"="+rc.srv.URL)
	deadline := time.Now().Add(120 * time.Second)
	for w.count(`SELECT count(*) FROM notifications WHERE audience_kind = 'finance' AND status = 'delivered'`) < total {
		if time.Now().After(deadline) {
			_, applied, _, _ := rc.snapshot()
			t.Fatalf("after the kills only %d of %d were delivered (%d applied); the worker's log:\n%s",
				w.count(`SELECT count(*) FROM notifications WHERE audience_kind = 'finance' AND status = 'delivered'`), total, applied, last.Log())
		}
		time.Sleep(50 * time.Millisecond)
	}
	last.cmd.Process.Signal(syscall.SIGTERM)
	if code := last.Wait(30 * time.Second); code != 0 {
		t.Fatalf("the last worker exited %d after SIGTERM; its log:\n%s", code, last.Log())
	}

	requests, applied, dups, bad := rc.snapshot()
	if bad != 0 {
		t.Fatalf("%d webhook calls had a bad signature or body", bad)
	}
	if applied != total {
		t.Fatalf("the receiver applied %d notifications, want %d", applied, total)
	}
	rc.mu.Lock()
	for _, k := range keys {
		if !rc.applied[k] {
			rc.mu.Unlock()
			t.Fatalf("notification %s was lost", k)
		}
	}
	rc.mu.Unlock()
	if dups < heldKills {
		t.Fatalf("%d duplicates seen, but %d webhook calls were cut after being applied: each must be sent again", dups, heldKills)
	}
	if n := w.count(`SELECT count(*) FROM notifications WHERE status = 'delivered' AND inbox_at IS NOT NULL AND lease_token IS NULL`); n < total {
		t.Fatalf("%d notifications fully delivered, want at least %d", n, total)
	}
	t.Logf("%d SIGKILLs (%d mid-webhook-call, %d at random moments) across %d finance notifications: %d applied before the last kill; "+
		"%d webhook calls in all, %d duplicates dropped by the key check, %d applied exactly once, 0 lost",
		kills, heldKills, kills-heldKills, total, appliedAtLastKill, requests, dups, applied)
}
