package brokerage

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/matching"
)

// matchRunRow is a row of match_runs, the engine's answers kept as JSON.
type matchRunRow struct {
	ID         uuid.UUID  `gorm:"type:uuid;primaryKey;default:gen_random_uuid()"`
	RequestID  uuid.UUID  `gorm:"type:uuid"`
	RunAt      time.Time  `gorm:"column:run_at"`
	RunBy      *uuid.UUID `gorm:"type:uuid"`
	Considered int
	Ranked     []matching.Match     `gorm:"type:jsonb;serializer:json"`
	Excluded   []matching.Exclusion `gorm:"type:jsonb;serializer:json"`
	Providers  map[string]string    `gorm:"type:jsonb;serializer:json"`
}

func (matchRunRow) TableName() string { return "match_runs" }

// insertMatchRun writes a run; the database gives it its id, set on m.
func (s *Store) insertMatchRun(ctx context.Context, m *MatchRun) error {
	row := matchRunRow(*m)
	if err := s.db.Gorm(ctx).Omit("id").Create(&row).Error; err != nil {
		return dbErr(err)
	}
	m.ID = row.ID
	return nil
}

// latestMatchRun returns the newest run of the matcher on a request, or a
// NotFound saying the matcher has not run.
func (s *Store) latestMatchRun(ctx context.Context, requestID uuid.UUID) (MatchRun, error) {
	var row matchRunRow
	err := s.db.Gorm(ctx).Where("request_id = ?", requestID).Order("run_at DESC, id").Take(&row).Error
	return MatchRun(row), postgres.NotFound(err, errNoMatch)
}

// matchRun returns one run.
func (s *Store) matchRun(ctx context.Context, id uuid.UUID) (MatchRun, error) {
	var row matchRunRow
	err := s.db.Gorm(ctx).Where("id = ?", id).Take(&row).Error
	return MatchRun(row), postgres.NotFound(err, errNoMatch)
}
