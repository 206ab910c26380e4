package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/postgres"
)

// `carebroker serve` serves /metrics on METRICS_ADDR and not on the public
// address; its series name routes by template, never by raw path, and move
// with real requests, a failing finance webhook and the outbox.
func TestServeExposesMetricsApartFromThePublicAddress(t *testing.T) {
	db, dsn := pgtest.NewWithURL(t)
	var hookCalls atomic.Int64
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hookCalls.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer hook.Close()
	public, private := freeAddr(t), freeAddr(t)
	t.Setenv("DATABASE_URL", dsn)
	t.Setenv("DEV", "1")
	t.Setenv("REDIS_PREFIX", "test:metrics-serve:")
	t.Setenv("LISTEN_ADDR", public)
	t.Setenv("METRICS_ADDR", private)
	t.Setenv("FINANCE_WEBHOOK_URL", hook.URL)
	t.Setenv("FINANCE_WEBHOOK_SECRET", "a-webhook-secret-of-thirty-two-characters")

	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, nil, &out, &out) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve stopped with %v", err)
		}
	}()
	waitFor(t, "the service to be ready", func() bool { return status(t, "http://"+public+"/readyz") == http.StatusOK })

	if got := status(t, "http://"+public+"/metrics"); got != http.StatusNotFound {
		t.Fatalf("/metrics on the public address answered %d, want 404", got)
	}
	before := scrape(t, private)
	for _, name := range []string{
		`carebroker_http_requests_total{method="GET",route="/readyz",status="200"}`,
		`carebroker_outbox_pending`, `carebroker_outbox_oldest_age_seconds`, `carebroker_outbox_dead_letters`,
		`carebroker_db_pool_open_connections{db="primary"}`, `carebroker_db_pool_max_open_connections{db="primary"}`,
		`carebroker_webhook_failures_total`, `carebroker_email_failures_total`, `carebroker_match_duration_seconds_count`,
		`carebroker_deadline_sweep_last_run_timestamp_seconds`, `carebroker_replica_in_use`,
	} {
		if _, ok := before[name]; !ok {
			t.Errorf("the scrape has no series %s", name)
		}
	}
	if before[`carebroker_db_pool_max_open_connections{db="primary"}`] != 40 {
		t.Errorf("pool limit %v, want 40", before[`carebroker_db_pool_max_open_connections{db="primary"}`])
	}
	waitFor(t, "the first deadline sweep", func() bool {
		return scrape(t, private)[`carebroker_deadline_sweep_last_run_timestamp_seconds`] > 0
	})

	// Requests naming ids are counted under their route's template.
	id := uuid.New()
	for range 3 {
		status(t, "http://"+public+"/api/v1/requests/"+id.String())
	}
	status(t, "http://"+public+"/no/such/"+id.String())
	// A finance notification the webhook refuses: a failure, and a
	// notification left in the outbox to retry.
	err := db.Transaction(context.Background(), func(tx *postgres.Tx) error {
		return agreements.Notify(context.Background(), tx, agreements.Notification{
			Audience: agreements.ToFinance(), Kind: "agreement.created", Subject: "A new agreement", IdempotencyKey: "metrics-" + id.String(),
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the webhook to be called", func() bool { return hookCalls.Load() > 0 })
	var after map[string]float64
	waitFor(t, "the webhook failure to be counted", func() bool {
		after = scrape(t, private)
		return after[`carebroker_webhook_failures_total`] > before[`carebroker_webhook_failures_total`]
	})

	route := `carebroker_http_requests_total{method="GET",route="/api/v1/requests/:id",status="401"}`
	if got := after[route] - before[route]; got != 3 {
		t.Errorf("%s rose by %v, want 3", route, got)
	}
	hist := `carebroker_http_request_duration_seconds_count{method="GET",route="/api/v1/requests/:id",status="401"}`
	if got := after[hist] - before[hist]; got != 3 {
		t.Errorf("%s rose by %v, want 3", hist, got)
	}
	unmatched := `carebroker_http_requests_total{method="GET",route="unmatched",status="404"}`
	if after[unmatched]-before[unmatched] < 1 {
		t.Errorf("%s did not rise", unmatched)
	}
	for name := range after {
		if strings.Contains(name, id.String()) {
			t.Errorf("a series names a raw path: %s", name)
		}
	}
	if after[`carebroker_outbox_pending`] != 1 || after[`carebroker_outbox_oldest_age_seconds`] <= 0 {
		t.Errorf("outbox pending %v, oldest age %v; want the one notification waiting to be retried",
			after[`carebroker_outbox_pending`], after[`carebroker_outbox_oldest_age_seconds`])
	}
	if after[`carebroker_replica_in_use`] != 0 {
		t.Errorf("replica_in_use %v with no replica configured", after[`carebroker_replica_in_use`])
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func status(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// scrape reads /metrics at addr into series (name with its labels, as
// written) and values.
func scrape(t *testing.T, addr string) map[string]float64 {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics answered %s", resp.Status)
	}
	series := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatal(fmt.Errorf("metrics line %q: %w", line, err))
		}
		series[line[:i]] = v
	}
	return series
}
