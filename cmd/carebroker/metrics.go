package main

import (
	"context"
	"log/slog"

	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/internal/config"
	"github.com/carebroker/carebroker/internal/metrics"
	"github.com/carebroker/carebroker/internal/postgres"
)

// serveMetrics serves /metrics on METRICS_ADDR until ctx ends, with the
// outbox and the database pools watched. An address that cannot be opened
// (another instance on the same host holds it) is logged, not fatal: the
// service still serves, and Prometheus's up == 0 says the target is missing.
func serveMetrics(ctx context.Context, cfg config.Config, db *postgres.DB, deals *agreements.Store) {
	metrics.WatchOutbox(deals.OutboxStats)
	if sqlDB, err := db.SQL(); err == nil {
		metrics.WatchPool("primary", sqlDB)
	}
	if _, err := metrics.Listen(ctx, cfg.MetricsAddr); err != nil {
		slog.Error("metrics are not served: METRICS_ADDR cannot be opened", "addr", cfg.MetricsAddr, "error", err.Error())
	}
}
