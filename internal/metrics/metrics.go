// Package metrics holds the service's Prometheus collectors and serves them
// at /metrics on an address of its own (METRICS_ADDR), never on the public
// router. Other packages record through the plain functions here
// (ObserveRequest, WebhookFailed, EmailFailed, ObserveMatch, ...): no
// exported API outside this package names a Prometheus type.
//
// The collectors live in one registry for the process, so every server,
// worker and store in it counts into the same series.
package metrics

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

const namespace = "carebroker"

var (
	registry = prometheus.NewRegistry()

	httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "http_requests_total",
		Help: "HTTP requests answered, by route template (never the raw path), method and status.",
	}, []string{"route", "method", "status"})
	httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Name: "http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by route template, method and status.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "method", "status"})

	webhookFailures = prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: namespace, Name: "webhook_failures_total",
		Help: "Finance webhook deliveries that failed (any answer but 2xx, or no answer); each is retried.",
	})
	emailFailures = prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: namespace, Name: "email_failures_total",
		Help: "Emails that could not be handed to the mail server.",
	})
	deadLetters = prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: namespace, Name: "notification_dead_letters_total",
		Help: "Notifications that became dead letters after their last attempt.",
	})

	matchDuration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: namespace, Name: "match_duration_seconds",
		Help:    "Time the matching engine took to rank one request's candidates (index built or reused).",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	})
	indexBuildDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Name: "match_index_build_duration_seconds",
		Help:    "Time to read a service type's candidates and build the matching index, when the directory changed.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"service_type"})

	sweepLastRun = prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: namespace, Name: "deadline_sweep_last_run_timestamp_seconds",
		Help: "When the deadline sweep last finished without error (Unix seconds).",
	})
	sweepFailures = prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: namespace, Name: "deadline_sweep_failures_total",
		Help: "Deadline sweeps that failed.",
	})

	replicaInUse = prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: namespace, Name: "replica_in_use",
		Help: "1 while lag-tolerant reads go to the read replica; 0 while they fall back to the primary (or no replica is configured).",
	})
	replicaLag = prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: namespace, Name: "replica_lag_seconds",
		Help: "The read replica's replay lag behind the primary at the last check.",
	})
	replicaFallbacks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "replica_fallbacks_total",
		Help: "Lag-tolerant queries sent to the primary because the replica was down or too far behind.",
	}, []string{"reason"})
)

// ours are the service's own collectors (beside Go's and the process's).
var ours = []prometheus.Collector{
	httpRequests, httpDuration, webhookFailures, emailFailures, deadLetters, matchDuration, indexBuildDuration,
	sweepLastRun, sweepFailures, replicaInUse, replicaLag, replicaFallbacks,
	outbox{}, pools{},
}

func init() {
	registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	registry.MustRegister(ours...)
}

// Handler serves every collector in the Prometheus text format.
func Handler() http.Handler {
	return promhttp.HandlerFor(registry, promhttp.HandlerOpts{Registry: registry})
}

// ObserveRequest counts one HTTP request. route is the route template
// (gin's FullPath, like /api/v1/requests/:id); "" (no route matched) is
// counted as "unmatched", so a scan of random paths cannot grow the series.
func ObserveRequest(route, method string, status int, took time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	s := strconv.Itoa(status)
	httpRequests.WithLabelValues(route, method, s).Inc()
	httpDuration.WithLabelValues(route, method, s).Observe(took.Seconds())
}

// WebhookFailed counts a failed finance webhook delivery.
func WebhookFailed() { webhookFailures.Inc() }

// EmailFailed counts an email that could not be sent.
func EmailFailed() { emailFailures.Inc() }

// DeadLettered counts a notification that became a dead letter.
func DeadLettered() { deadLetters.Inc() }

// ObserveMatch records how long one match took.
func ObserveMatch(took time.Duration) { matchDuration.Observe(took.Seconds()) }

// ObserveIndexBuild records how long building one service type's matching
// index took.
func ObserveIndexBuild(serviceType string, took time.Duration) {
	indexBuildDuration.WithLabelValues(serviceType).Observe(took.Seconds())
}

// SweepRan records a deadline sweep that finished at at, or failed.
func SweepRan(at time.Time, err error) {
	if err != nil {
		sweepFailures.Inc()
		return
	}
	sweepLastRun.Set(float64(at.UnixNano()) / 1e9)
}

// ReplicaState records whether lag-tolerant reads go to the replica, and
// its lag at the last check.
func ReplicaState(inUse bool, lag time.Duration) {
	if inUse {
		replicaInUse.Set(1)
	} else {
		replicaInUse.Set(0)
	}
	replicaLag.Set(lag.Seconds())
}

// ReplicaFallback counts a lag-tolerant read sent to the primary; reason
// is "down" or "lagging".
func ReplicaFallback(reason string) { replicaFallbacks.WithLabelValues(reason).Inc() }

// OutboxStats is what the notification outbox holds at one moment.
type OutboxStats struct {
	Pending   int           // notifications not yet delivered (waiting or retrying)
	OldestAge time.Duration // how long the oldest of them has waited (0 when none)
	Dead      int           // dead letters waiting for an administrator
}

var (
	mu         sync.Mutex
	outboxRead func(ctx context.Context) (OutboxStats, error)
	poolStats  = map[string]func() sql.DBStats{}
)

// WatchOutbox names the function read at each scrape for the outbox's
// depth and oldest age (agreements.Store.OutboxStats). The newest call wins.
func WatchOutbox(read func(ctx context.Context) (OutboxStats, error)) {
	mu.Lock()
	defer mu.Unlock()
	outboxRead = read
}

// WatchPool reports a database pool's use at each scrape, labelled db=name
// ("primary", "replica"). The newest call for a name wins.
func WatchPool(name string, db *sql.DB) {
	mu.Lock()
	defer mu.Unlock()
	poolStats[name] = db.Stats
}
