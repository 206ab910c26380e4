package plans

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/carebroker/carebroker/errs"
)

// Need returns one need, or NotFound.
func (s *Store) Need(ctx context.Context, id uuid.UUID) (Need, error) {
	var n Need
	return n, notFound(s.db.Gorm(ctx).Where("id = ?", id).Take(&n).Error, ErrNoNeed)
}

// NeedsByID returns the needs with the given ids, by id.
func (s *Store) NeedsByID(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]Need, error) {
	out := map[uuid.UUID]Need{}
	if len(ids) == 0 {
		return out, nil
	}
	var ns []Need
	if err := s.db.Gorm(ctx).Where("id IN ?", ids).Find(&ns).Error; err != nil {
		return nil, dbErr(err)
	}
	for _, n := range ns {
		out[n.ID] = n
	}
	return out, nil
}

// PlanHeader returns a plan without its needs, or NotFound.
func (s *Store) PlanHeader(ctx context.Context, id uuid.UUID, lock bool) (Plan, error) {
	var p Plan
	q := s.db.Gorm(ctx).Where("id = ?", id)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return p, notFound(q.Take(&p).Error, ErrNoPlan)
}

// Successor returns the plan that superseded plan id, if any.
func (s *Store) Successor(ctx context.Context, id uuid.UUID) (*uuid.UUID, error) {
	var ids []uuid.UUID
	err := s.db.Gorm(ctx).Model(&Plan{}).Where("supersedes_plan_id = ?", id).Pluck("id", &ids).Error
	if err != nil || len(ids) == 0 {
		return nil, dbErr(err)
	}
	return &ids[0], nil
}

// InterimPlansCovering lists the interim plans raised to bridge an
// alternative-service need.
func (s *Store) InterimPlansCovering(ctx context.Context, needID uuid.UUID) ([]Plan, error) {
	var ps []Plan
	return ps, dbErr(s.db.Gorm(ctx).Where("covers_need_id = ?", needID).Order("submitted_at").Find(&ps).Error)
}

// successionRow is a row of need_successions: a NeedSuccession.
type successionRow struct {
	PreviousNeedID uuid.UUID `gorm:"type:uuid;primaryKey"`
	NeedID         uuid.UUID `gorm:"type:uuid"`
	Kind           Succession
	CreatedAt      time.Time
}

func (successionRow) TableName() string { return "need_successions" }

// InsertSuccession records that needID follows on from previous. The
// primary key refuses a need followed on from twice: Conflict.
func (s *Store) InsertSuccession(ctx context.Context, n NeedSuccession) error {
	r := successionRow(n)
	err := s.db.Gorm(ctx).Create(&r).Error
	if isUniqueViolation(err, "need_successions_pkey") {
		return errs.Conflictf("that earlier need has already been followed on from by another plan")
	}
	return dbErr(err)
}

// SuccessionTo returns how needID follows on from an earlier need, if it does.
func (s *Store) SuccessionTo(ctx context.Context, needID uuid.UUID) (*NeedSuccession, error) {
	var rs []successionRow
	if err := s.db.Gorm(ctx).Where("need_id = ?", needID).Find(&rs).Error; err != nil || len(rs) == 0 {
		return nil, dbErr(err)
	}
	n := NeedSuccession(rs[0])
	return &n, nil
}

// SuccessionsFrom returns the successions of the given earlier needs, by
// earlier need.
func (s *Store) SuccessionsFrom(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]NeedSuccession, error) {
	out := map[uuid.UUID]NeedSuccession{}
	if len(ids) == 0 {
		return out, nil
	}
	var rs []successionRow
	if err := s.db.Gorm(ctx).Where("previous_need_id IN ?", ids).Find(&rs).Error; err != nil {
		return nil, dbErr(err)
	}
	for _, r := range rs {
		out[r.PreviousNeedID] = NeedSuccession(r)
	}
	return out, nil
}
