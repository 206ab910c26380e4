package metrics

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

var (
	outboxPendingDesc = prometheus.NewDesc(namespace+"_outbox_pending",
		"Notifications in the outbox not yet delivered (waiting for a worker or for a retry).", nil, nil)
	outboxOldestDesc = prometheus.NewDesc(namespace+"_outbox_oldest_age_seconds",
		"How long the oldest undelivered notification has waited (0 when the outbox is empty).", nil, nil)
	outboxDeadDesc = prometheus.NewDesc(namespace+"_outbox_dead_letters",
		"Dead-letter notifications waiting for an administrator to retry them.", nil, nil)
	outboxUpDesc = prometheus.NewDesc(namespace+"_outbox_scrape_ok",
		"1 when the outbox could be read at this scrape, 0 when the database did not answer.", nil, nil)
)

// outbox reads the outbox at each scrape, with a short time limit so a
// slow database does not hang the scrape.
type outbox struct{}

func (outbox) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxPendingDesc
	ch <- outboxOldestDesc
	ch <- outboxDeadDesc
	ch <- outboxUpDesc
}

func (outbox) Collect(ch chan<- prometheus.Metric) {
	mu.Lock()
	read := outboxRead
	mu.Unlock()
	if read == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	s, err := read(ctx)
	if err != nil {
		slog.Warn("metrics: reading the outbox failed", "error", err.Error())
		ch <- prometheus.MustNewConstMetric(outboxUpDesc, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(outboxUpDesc, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(outboxPendingDesc, prometheus.GaugeValue, float64(s.Pending))
	ch <- prometheus.MustNewConstMetric(outboxOldestDesc, prometheus.GaugeValue, s.OldestAge.Seconds())
	ch <- prometheus.MustNewConstMetric(outboxDeadDesc, prometheus.GaugeValue, float64(s.Dead))
}

var (
	poolOpenDesc = prometheus.NewDesc(namespace+"_db_pool_open_connections",
		"Connections open in the database pool (in use and idle).", []string{"db"}, nil)
	poolInUseDesc = prometheus.NewDesc(namespace+"_db_pool_in_use_connections",
		"Connections of the pool in use now.", []string{"db"}, nil)
	poolIdleDesc = prometheus.NewDesc(namespace+"_db_pool_idle_connections",
		"Idle connections of the pool.", []string{"db"}, nil)
	poolMaxDesc = prometheus.NewDesc(namespace+"_db_pool_max_open_connections",
		"The pool's limit on open connections.", []string{"db"}, nil)
	poolWaitCountDesc = prometheus.NewDesc(namespace+"_db_pool_wait_count_total",
		"Times a query waited for a free connection.", []string{"db"}, nil)
	poolWaitDesc = prometheus.NewDesc(namespace+"_db_pool_wait_seconds_total",
		"Time spent waiting for a free connection.", []string{"db"}, nil)
)

// pools reports sql.DBStats of every watched pool.
type pools struct{}

func (pools) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolOpenDesc, poolInUseDesc, poolIdleDesc, poolMaxDesc, poolWaitCountDesc, poolWaitDesc} {
		ch <- d
	}
}

func (pools) Collect(ch chan<- prometheus.Metric) {
	mu.Lock()
	defer mu.Unlock()
	for name, stats := range poolStats {
		s := stats()
		ch <- prometheus.MustNewConstMetric(poolOpenDesc, prometheus.GaugeValue, float64(s.OpenConnections), name)
		ch <- prometheus.MustNewConstMetric(poolInUseDesc, prometheus.GaugeValue, float64(s.InUse), name)
		ch <- prometheus.MustNewConstMetric(poolIdleDesc, prometheus.GaugeValue, float64(s.Idle), name)
		ch <- prometheus.MustNewConstMetric(poolMaxDesc, prometheus.GaugeValue, float64(s.MaxOpenConnections), name)
		ch <- prometheus.MustNewConstMetric(poolWaitCountDesc, prometheus.CounterValue, float64(s.WaitCount), name)
		ch <- prometheus.MustNewConstMetric(poolWaitDesc, prometheus.CounterValue, s.WaitDuration.Seconds(), name)
	}
}
