package brokerage

import (
	"context"
	"time"

	"github.com/carebroker/carebroker/plans"
	"github.com/google/uuid"
	"gorm.io/gorm/clause"
)

// referral returns a need's route row, locked FOR UPDATE when lock is
// true, or NotFound.
func (s *Store) referral(ctx context.Context, needID uuid.UUID, lock bool) (referral, error) {
	var r referral
	q := s.db.Gorm(ctx).Where("need_id = ?", needID)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return r, notFound(q.Take(&r).Error, plans.ErrNoNeed)
}

// saveReferral writes the columns a route's state changes.
func (s *Store) saveReferral(ctx context.Context, r *referral) error {
	return dbErr(s.db.Gorm(ctx).Model(&referral{}).Where("need_id = ?", r.NeedID).
		Select("status", "met_at", "met_by", "ended_at", "end_reason", "updated_at").Updates(r).Error)
}

// requestForNeed returns the request made from a need, if any.
func (s *Store) requestForNeed(ctx context.Context, needID uuid.UUID, lock bool) (*Request, error) {
	var rows []requestRow
	q := s.db.Gorm(ctx).Where("need_id = ?", needID)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if err := q.Find(&rows).Error; err != nil || len(rows) == 0 {
		return nil, dbErr(err)
	}
	r := Request(rows[0])
	return &r, nil
}

// needReferral is a need routed away from brokerage at sign-off.
type needReferral struct {
	NeedID    uuid.UUID `gorm:"type:uuid;primaryKey"`
	PlanID    uuid.UUID `gorm:"type:uuid"`
	PersonID  uuid.UUID `gorm:"type:uuid"`
	Route     plans.HowMet
	Status    string
	CreatedAt time.Time
}

func (needReferral) TableName() string { return "need_referrals" }

func (s *Store) insertReferral(ctx context.Context, r needReferral) error {
	return dbErr(s.db.Gorm(ctx).Create(&r).Error)
}
