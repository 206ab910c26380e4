package brokerage

import (
	"context"

	"github.com/google/uuid"
)

func (s *Store) insertMatchRun(ctx context.Context, m *MatchRun) error {
	return dbErr(s.db.Gorm(ctx).Omit("id").Create(m).Error)
}

// latestMatchRun returns the newest run of the matcher on a request, or a
// NotFound saying the matcher has not run.
func (s *Store) latestMatchRun(ctx context.Context, requestID uuid.UUID) (MatchRun, error) {
	var m MatchRun
	err := s.db.Gorm(ctx).Where("request_id = ?", requestID).Order("run_at DESC, id").Take(&m).Error
	return m, notFound(err, errNoMatch)
}

// matchRun returns one run.
func (s *Store) matchRun(ctx context.Context, id uuid.UUID) (MatchRun, error) {
	var m MatchRun
	err := s.db.Gorm(ctx).Where("id = ?", id).Take(&m).Error
	return m, notFound(err, errNoMatch)
}
