package faults

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/api"
	"github.com/carebroker/carebroker/app"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/ratelimit"
	"github.com/carebroker/carebroker/internal/redisx"
	"github.com/carebroker/carebroker/providers"
)

// stream reads a server-sent events stream and sends each event's id.
func stream(t testing.TB, url, token string) (<-chan string, <-chan struct{}) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("events stream: %d", resp.StatusCode)
	}
	t.Cleanup(func() { resp.Body.Close() })
	ids, ended := make(chan string, 1000), make(chan struct{})
	go func() {
		defer close(ended)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if id, ok := strings.CutPrefix(sc.Text(), "id: "); ok {
				ids <- id
			}
		}
	}()
	return ids, ended
}

// Redis killed under a running service (a redis-server of the test's own):
// every agreement is still made and its notification kept and put in the
// inbox; the open live stream stays open and carries events again once
// Redis is back; and rate limits fall back to in-process ones, as the
// README says, refusing the same user past the same burst with 429.
func TestRedisStoppedLosesNoWriteAndLiveUpdatesResume(t *testing.T) {
	db, dsn := pgtest.NewWithURL(t)
	r := startRedis(t)
	rdb, err := redisx.Open(r.URL(), "faults:")
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	w := newWorld(t, db)
	p := w.provider(100)
	ids := w.chosen(40, p)
	finance := w.actor(accounts.Finance, "", nil)
	const burst = 30
	limits := api.Unlimited
	limits.PerUser = ratelimit.Limit{Rate: 1, Period: time.Hour, Burst: burst}
	e, err := app.New(api.Deps{Config: childConfig(dsn, r.URL(), "127.0.0.1:0"), DB: db, Redis: rdb, Accounts: w.users,
		Providers: providers.NewStore(db), Agreements: agreements.NewStore(db), Brokerage: w.svc, Limits: &limits})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close) // after the stream's body is closed: Close waits for active connections
	worker, err := agreements.NewWorker(db, rdb, workerConfig(""))
	if err != nil {
		t.Fatal(err)
	}
	wctx, stopWorker := context.WithCancel(context.Background())
	workerDone := make(chan struct{})
	go func() { defer close(workerDone); worker.Run(wctx) }()
	t.Cleanup(func() { stopWorker(); <-workerDone })

	next := 0
	agree := func() (agreementNote string) {
		t.Helper()
		// Each agreement as a broker of its own: the per-user limit is the finance user's to meet.
		tok := tokenFor(t, w.actor(accounts.Broker, "", nil))
		c := do("POST", srv.URL+"/api/v1/requests/"+ids[next].String()+"/agreement", tok, map[string]string{"start_date": startDay().String()})
		if c.err != nil || c.status != http.StatusCreated {
			t.Fatalf("agreement %d: %d %v %s", next, c.status, c.err, c.body)
		}
		var id string
		w.must(db.Gorm(context.Background()).Raw(`SELECT n.id::text FROM notifications n JOIN agreements a ON a.id = n.agreement_id
			WHERE a.request_id = ? AND n.audience_kind = 'finance'`, ids[next]).Scan(&id).Error)
		next++
		return id
	}
	waitFor := func(events <-chan string, id string, within time.Duration) bool {
		deadline := time.After(within)
		for {
			select {
			case got := <-events:
				if got == id {
					return true
				}
			case <-deadline:
				return false
			}
		}
	}

	financeToken := tokenFor(t, finance)
	events, ended := stream(t, srv.URL+"/api/v1/events", financeToken)
	if id := agree(); !waitFor(events, id, 20*time.Second) {
		t.Fatal("with Redis up the live event never came")
	}

	r.Stop()
	down := time.Now()
	var whileDown []string
	for i := 0; i < 5; i++ {
		whileDown = append(whileDown, agree())
	}
	// Each is delivered to the inbox although it cannot be published.
	deadline := time.Now().Add(30 * time.Second)
	for w.count(`SELECT count(*) FROM notifications WHERE id::text IN ? AND status = 'delivered' AND inbox_at IS NOT NULL`, whileDown) < len(whileDown) {
		if time.Now().After(deadline) {
			t.Fatal("the notifications made while Redis was down were not delivered to the inbox")
		}
		time.Sleep(50 * time.Millisecond)
	}
	inbox := do("GET", srv.URL+"/api/v1/finance/notifications", financeToken, nil)
	for _, id := range whileDown {
		if inbox.status != http.StatusOK || !strings.Contains(string(inbox.body), id) {
			t.Fatalf("finance's inbox with Redis down (%d) lacks %s", inbox.status, id)
		}
	}
	// Rate limits fall back to in-process ones: the same burst, then 429.
	allowed := 0
	var refused call
	for i := 0; i < burst+5; i++ {
		c := do("GET", srv.URL+"/api/v1/finance/notifications", financeToken, nil)
		if c.status == http.StatusTooManyRequests {
			refused = c
			break
		}
		if c.status != http.StatusOK {
			t.Fatalf("with Redis down a read answered %d: %s", c.status, c.body)
		}
		allowed++
	}
	// The stream, the inbox read and the burst loop all count: at most the burst passes.
	if refused.status != http.StatusTooManyRequests || refused.header.Get("Retry-After") == "" {
		t.Fatalf("with Redis down %d reads passed and none was refused with 429 and Retry-After", allowed)
	}
	if allowed != burst-1 { // the inbox read above took one from the in-process bucket
		t.Fatalf("with Redis down %d reads passed before the 429, want %d of the burst of %d", allowed, burst-1, burst)
	}
	select {
	case <-ended:
		t.Fatal("the live stream ended when Redis went away; it should stay open, paused")
	default:
	}

	r.Start()
	downFor := time.Since(down)
	// Live updates resume on the same stream: the worker asks Redis again
	// 5 s after a failure, and the stream's subscription reconnects.
	resumed := false
	var tries int
	for deadline := time.Now().Add(40 * time.Second); time.Now().Before(deadline) && !resumed; tries++ {
		resumed = waitFor(events, agree(), time.Second)
	}
	if !resumed {
		t.Fatalf("after Redis returned, %d agreements made and none came on the live stream", tries)
	}
	if n := w.count(`SELECT count(*) FROM agreements`); n != next {
		t.Fatalf("%d agreements for %d made", n, next)
	}
	checkInvariants(t, db)
	t.Logf("Redis down %s: %d agreements made and delivered to the inbox meanwhile; rate limit in-process (%d passed, then 429); "+
		"live events resumed on the open stream after %d agreement(s)", downFor.Round(time.Millisecond), len(whileDown), allowed, tries)
}
