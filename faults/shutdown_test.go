package faults

import (
	"context"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/internal/pgtest"
)

// SIGTERM under load: every request the server had received is finished
// with its 2xx answer, new connections are refused, and the process exits 0.
func TestGracefulShutdownFinishesInFlightRequestsAndExitsZero(t *testing.T) {
	db, dsn := pgtest.NewWithURL(t)
	w := newWorld(t, db)
	p := w.provider(1000)
	const total = 80
	ids := w.chosen(total, p)
	token := tokenFor(t, w.brk)
	srv, base := startServer(t, dsn, testRedisURL())
	addr := strings.TrimPrefix(base, "http://")

	// Every request goes on a connection of its own that the server has
	// already accepted (warmed with /healthz), so "received" is certain.
	transports := make([]*http.Transport, total)
	for i := range transports {
		transports[i] = &http.Transport{MaxIdleConnsPerHost: 1}
		c := &http.Client{Transport: transports[i]}
		resp, err := c.Get(base + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	body := map[string]string{"start_date": startDay().String()}
	var written sync.WaitGroup
	written.Add(total)
	var answered atomic.Int64
	results := make([]call, total)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func(i int, id uuid.UUID) {
			defer wg.Done()
			var once sync.Once
			trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { once.Do(written.Done) }}
			c := &http.Client{Transport: transports[i]}
			req := newJSONRequest(httptrace.WithClientTrace(context.Background(), trace), "POST",
				base+"/api/v1/requests/"+id.String()+"/agreement", token, body)
			results[i] = send(c, req)
			once.Do(written.Done)
			answered.Add(1)
		}(i, id)
	}
	written.Wait()
	time.Sleep(300 * time.Millisecond) // the server's connection goroutines read what was written
	atTerm := answered.Load()
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// New connections are refused while the old requests finish.
	var refusedWhileBusy int64 = -1
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			refusedWhileBusy = total - answered.Load()
			break
		}
		conn.Close()
		time.Sleep(5 * time.Millisecond)
	}
	wg.Wait()
	code := srv.Wait(30 * time.Second)
	if refusedWhileBusy < 0 {
		t.Fatal("new connections were still accepted long after SIGTERM")
	}
	if atTerm == total {
		t.Fatal("every request was answered before SIGTERM; nothing was in flight to finish")
	}
	for i, r := range results {
		if r.err != nil || r.status != http.StatusCreated {
			t.Fatalf("request %d in flight at SIGTERM: %d %v %s", i, r.status, r.err, r.body)
		}
	}
	if code != 0 {
		t.Fatalf("the server exited %d after SIGTERM, want 0; its log:\n%s", code, srv.Log())
	}
	if n := w.count(`SELECT count(*) FROM agreements`); n != total {
		t.Fatalf("%d agreements, want %d", n, total)
	}
	checkInvariants(t, db)
	t.Logf("SIGTERM with %d of %d agreements in flight; new connections refused while %d were still running; all %d answered 201; exit 0",
		total-atTerm, total, refusedWhileBusy, total)
}
