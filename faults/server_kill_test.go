package faults

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/internal/pgtest"
)

// The server SIGKILLed while agreements are being made: every request's
// agreement exists with its finance notification, or neither does; the
// restarted server then agrees the rest, and a retry of an agreement whose
// answer was lost is told it exists (409), never makes a second.
func TestServerKilledMidAgreementLeavesAgreementsWholeOrAbsent(t *testing.T) {
	t.Parallel()
	db, dsn := pgtest.NewWithURL(t)
	w := newWorld(t, db)
	p := w.provider(1000)
	const total = 120
	ids := w.chosen(total, p)
	token := tokenFor(t, w.brk)
	redisURL := testRedisURL()

	srv, base := startServer(t, dsn, redisURL)
	body := map[string]string{"start_date": startDay().String()}
	var answered atomic.Int64
	killAt := int64(total / 4)
	killed := make(chan struct{})
	var killOnce sync.Once
	results := make([]call, total)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func(i int, id uuid.UUID) {
			defer wg.Done()
			results[i] = do("POST", base+"/api/v1/requests/"+id.String()+"/agreement", token, body)
			if results[i].err == nil && answered.Add(1) == killAt {
				killOnce.Do(func() { srv.Kill(); close(killed) })
			}
		}(i, id)
	}
	wg.Wait()
	select {
	case <-killed:
	default:
		t.Fatalf("only %d answers came; the server was never killed", answered.Load())
	}
	created, cut := 0, 0
	for _, r := range results {
		switch {
		case r.err != nil:
			cut++
		case r.status == 201:
			created++
		default:
			t.Fatalf("an agreement before the kill answered %d: %s", r.status, r.body)
		}
	}
	if cut == 0 {
		t.Fatalf("no request was in flight at the kill (%d created)", created)
	}
	// The moment after the crash: nothing half-written.
	checkInvariants(t, db)
	inDB := w.count(`SELECT count(*) FROM agreements`)
	if inDB < created {
		t.Fatalf("%d agreements answered 201 but only %d are in the database", created, inDB)
	}
	committedUnanswered := inDB - created

	// A new server finishes the job: each cut request is sent again.
	_, base = startServer(t, dsn, redisURL)
	again := map[int]int{}
	for i, r := range results {
		if r.err == nil {
			continue
		}
		r2 := do("POST", base+"/api/v1/requests/"+ids[i].String()+"/agreement", token, body)
		if r2.err != nil {
			t.Fatal(r2.err)
		}
		again[r2.status]++
		if r2.status != 201 && r2.status != 409 {
			t.Fatalf("the retried agreement answered %d: %s", r2.status, r2.body)
		}
	}
	if again[409] != committedUnanswered {
		t.Fatalf("%d retries were told the agreement exists, want the %d committed whose answer was lost", again[409], committedUnanswered)
	}
	checkInvariants(t, db)
	if n := w.count(`SELECT count(*) FROM agreements WHERE status = 'active'`); n != total {
		t.Fatalf("%d agreements after the retries, want %d", n, total)
	}
	if n := w.count(`SELECT count(*) FROM notifications WHERE audience_kind = 'finance' AND agreement_id IS NOT NULL`); n != total {
		t.Fatalf("%d finance notifications after the retries, want %d", n, total)
	}
	t.Logf("%s", fmt.Sprintf("killed after %d answers: %d cut mid-request, of which %d had committed (retry: 409) and %d had not (retry: 201)",
		killAt, cut, committedUnanswered, again[201]))
}
