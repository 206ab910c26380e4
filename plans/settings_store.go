package plans

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"
)

// settingsRow is the one row of council_settings.
type settingsRow struct {
	SecondSignOffAboveWeeklyPence int64      `gorm:"column:second_sign_off_above_weekly_pence"`
	UpdatedBy                     *uuid.UUID `gorm:"type:uuid"`
	UpdatedAt                     time.Time
}

func (settingsRow) TableName() string { return "council_settings" }

// Settings reads the council's settings (the row the migration made),
// locked if lock.
func (s *Store) Settings(ctx context.Context, lock bool) (Settings, error) {
	var row settingsRow
	q := s.db.Gorm(ctx).Where("id")
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.Take(&row).Error
	return Settings(row), dbErr(err)
}

func (s *Store) saveSettings(ctx context.Context, set Settings) error {
	row := settingsRow(set)
	return dbErr(s.db.Gorm(ctx).Model(&settingsRow{}).Where("id").
		Select("second_sign_off_above_weekly_pence", "updated_by", "updated_at").Updates(&row).Error)
}
