package agreements

import (
	"context"
	"time"

	"github.com/carebroker/carebroker/internal/metrics"
	"github.com/carebroker/carebroker/internal/postgres"
)

// OutboxStats reads how many notifications wait for delivery (pending,
// whether due now or waiting to be retried), how long the oldest of them
// has waited by the store's clock, and how many are dead letters: the
// metrics' outbox depth and age (metrics.WatchOutbox).
func (s *Store) OutboxStats(ctx context.Context) (metrics.OutboxStats, error) {
	var row struct {
		Pending int
		Oldest  *time.Time
		Dead    int
	}
	err := s.db.Gorm(ctx).Raw(`SELECT count(*) FILTER (WHERE status = 'pending') AS pending,
		min(created_at) FILTER (WHERE status = 'pending') AS oldest,
		count(*) FILTER (WHERE status = 'dead') AS dead
		FROM notifications WHERE status IN ('pending', 'dead')`).Scan(&row).Error
	if err != nil {
		return metrics.OutboxStats{}, postgres.Translate(err)
	}
	out := metrics.OutboxStats{Pending: row.Pending, Dead: row.Dead}
	if row.Oldest != nil {
		out.OldestAge = max(s.now().Sub(*row.Oldest), 0)
	}
	return out, nil
}
