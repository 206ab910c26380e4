package plans

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

// Need returns one need, or NotFound.
func (s *Store) Need(ctx context.Context, id uuid.UUID) (Need, error) {
	var row needRow
	return Need(row), postgres.NotFound(s.db.Gorm(ctx).Where("id = ?", id).Take(&row).Error, ErrNoNeed)
}

// NeedsByID returns the needs with the given ids, by id.
func (s *Store) NeedsByID(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]Need, error) {
	out := map[uuid.UUID]Need{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []needRow
	if err := s.db.Gorm(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	for _, n := range needsFrom(rows) {
		out[n.ID] = n
	}
	return out, nil
}

// PlanHeader returns a plan without its needs, or NotFound.
func (s *Store) PlanHeader(ctx context.Context, id uuid.UUID, lock bool) (Plan, error) {
	var row planRow
	q := s.db.Gorm(ctx).Where("id = ?", id)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.Take(&row).Error
	return Plan(row), postgres.NotFound(err, ErrNoPlan)
}

// Successor returns the plan that superseded plan id, if any.
func (s *Store) Successor(ctx context.Context, id uuid.UUID) (*uuid.UUID, error) {
	var ids []uuid.UUID
	err := s.db.Gorm(ctx).Model(&planRow{}).Where("supersedes_plan_id = ?", id).Pluck("id", &ids).Error
	if err != nil || len(ids) == 0 {
		return nil, dbErr(err)
	}
	return &ids[0], nil
}

// InterimPlansCovering lists the interim plans raised to bridge an
// alternative-service need.
func (s *Store) InterimPlansCovering(ctx context.Context, needID uuid.UUID) ([]Plan, error) {
	var rows []planRow
	err := s.db.Gorm(ctx).Where("covers_need_id = ?", needID).Order("submitted_at").Find(&rows).Error
	return plansFrom(rows), dbErr(err)
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
	if postgres.IsUniqueViolation(err, "need_successions_pkey") {
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
