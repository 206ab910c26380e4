package faults

import (
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/pgtest"
)

// The concurrency soak: SOAK_ROUNDS rounds (8 here, 100 under make soak) of
// requests offered by the same few providers of little capacity, each
// round's choices and agreements made all at once in a random order, with
// rival choices and repeated agreements of one request racing each other.
// After every round the invariant checker finds no capacity over-committed,
// no request with two active agreements, and every agreement with exactly
// one finance notification.
func TestConcurrencySoakKeepsTheInvariants(t *testing.T) {
	db := pgtest.New(t)
	w := newWorld(t, db)
	rounds := envInt(t, "SOAK_ROUNDS", 8)
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("SOAK_SEED"); v != "" { // to replay a failed soak
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("SOAK_SEED: want a whole number, not %q", v)
		}
		seed = n
	}
	rng := rand.New(rand.NewPCG(seed, 42))
	t.Logf("soak: %d rounds, seed %d (SOAK_SEED replays the same rounds)", rounds, seed)
	var totals struct{ ops, agreed, chosen, conflicts int }
	for round := 0; round < rounds; round++ {
		// 2-3 providers of 1-4 places each, 6-10 requests offered by all.
		ps := make([]provider, 2+rng.IntN(2))
		places := 0
		for i := range ps {
			units := 1 + rng.IntN(4)
			places += units
			ps[i] = w.provider(units)
		}
		ids := w.requests(6 + rng.IntN(5))
		offers := map[uuid.UUID][]brokerage.Offer{}
		for _, id := range ids {
			offers[id] = w.offered(id, ps...)
		}
		type op struct {
			kind  string // choose or agree
			id    uuid.UUID
			offer uuid.UUID
		}
		var ops []op
		for _, id := range ids {
			// Two rival choices of different offers, and two or three agreements.
			a, b := rng.IntN(len(ps)), rng.IntN(len(ps))
			ops = append(ops, op{"choose", id, offers[id][a].ID}, op{"choose", id, offers[id][b].ID})
			for k := 0; k < 2+rng.IntN(2); k++ {
				ops = append(ops, op{"agree", id, uuid.Nil})
			}
		}
		rng.Shuffle(len(ops), func(i, j int) { ops[i], ops[j] = ops[j], ops[i] })
		var (
			wg         sync.WaitGroup
			mu         sync.Mutex
			unexpected []error
		)
		start := make(chan struct{})
		for _, o := range ops {
			wg.Add(1)
			go func(o op) {
				defer wg.Done()
				<-start
				var err error
				if o.kind == "choose" {
					_, err = w.svc.Choose(ctx, w.brk, o.id, brokerage.ChoiceInput{OfferID: o.offer, Reason: "soak"})
				} else {
					_, err = w.svc.AgreeStartDate(ctx, w.brk, o.id, startDay())
				}
				mu.Lock()
				defer mu.Unlock()
				totals.ops++
				switch {
				case err == nil && o.kind == "agree":
					totals.agreed++
				case err == nil:
					totals.chosen++
				case errs.Is(err, errs.Conflict):
					totals.conflicts++
				default:
					unexpected = append(unexpected, err)
				}
			}(o)
		}
		close(start)
		wg.Wait()
		for _, err := range unexpected {
			t.Errorf("round %d: unexpected error: %v", round, err)
		}
		checkInvariants(t, db)
		if t.Failed() {
			t.FailNow()
		}
	}
	t.Logf("soak: %d rounds, %d concurrent operations: %d choices and %d agreements made, %d refused as conflicts; invariants held after every round",
		rounds, totals.ops, totals.chosen, totals.agreed, totals.conflicts)
}
