package brokerage

import (
	"context"

	"gorm.io/gorm/clause"
)

// settings reads the council's settings (the row the migration made),
// locked if lock.
func (s *Store) settings(ctx context.Context, lock bool) (Settings, error) {
	var out Settings
	q := s.db.Gorm(ctx).Where("id")
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return out, dbErr(q.Take(&out).Error)
}

func (s *Store) saveSettings(ctx context.Context, set Settings) error {
	return dbErr(s.db.Gorm(ctx).Model(&Settings{}).Where("id").
		Select("second_sign_off_above_weekly_pence", "updated_by", "updated_at").Updates(&set).Error)
}
