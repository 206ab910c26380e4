package brokerage

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/carebroker/carebroker/errs"
)

var errNoNeed = errs.NotFoundf("no such need")

// referral returns a need's route row, locked FOR UPDATE when lock is
// true, or NotFound.
func (s *Store) referral(ctx context.Context, needID uuid.UUID, lock bool) (referral, error) {
	var r referral
	q := s.db.Gorm(ctx).Where("need_id = ?", needID)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return r, notFound(q.Take(&r).Error, errNoNeed)
}

// saveReferral writes the columns a route's state changes.
func (s *Store) saveReferral(ctx context.Context, r *referral) error {
	return dbErr(s.db.Gorm(ctx).Model(&referral{}).Where("need_id = ?", r.NeedID).
		Select("status", "met_at", "met_by", "ended_at", "end_reason", "updated_at").Updates(r).Error)
}

// need returns one need, or NotFound.
func (s *Store) need(ctx context.Context, id uuid.UUID) (Need, error) {
	var n Need
	return n, notFound(s.db.Gorm(ctx).Where("id = ?", id).Take(&n).Error, errNoNeed)
}

// needsByID returns the needs with the given ids, by id.
func (s *Store) needsByID(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]Need, error) {
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

// planHeader returns a plan without its needs, or NotFound.
func (s *Store) planHeader(ctx context.Context, id uuid.UUID, lock bool) (Plan, error) {
	var p Plan
	q := s.db.Gorm(ctx).Where("id = ?", id)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return p, notFound(q.Take(&p).Error, errNoPlan)
}

// successor returns the plan that superseded plan id, if any.
func (s *Store) successor(ctx context.Context, id uuid.UUID) (*uuid.UUID, error) {
	var ids []uuid.UUID
	err := s.db.Gorm(ctx).Model(&Plan{}).Where("supersedes_plan_id = ?", id).Pluck("id", &ids).Error
	if err != nil || len(ids) == 0 {
		return nil, dbErr(err)
	}
	return &ids[0], nil
}

// interimPlansCovering lists the interim plans raised to bridge an
// alternative-service need.
func (s *Store) interimPlansCovering(ctx context.Context, needID uuid.UUID) ([]Plan, error) {
	var ps []Plan
	return ps, dbErr(s.db.Gorm(ctx).Where("covers_need_id = ?", needID).Order("submitted_at").Find(&ps).Error)
}

// Succession says how a need of a signed-off plan follows on from a need
// of an earlier plan.
type Succession string

// The successions.
const (
	Continues Succession = "continues" // the earlier arrangement goes on meeting it
	Replaces  Succession = "replaces"  // a new arrangement; the earlier one ends once it is in place
)

type successionRow struct {
	PreviousNeedID uuid.UUID `gorm:"type:uuid;primaryKey"`
	NeedID         uuid.UUID `gorm:"type:uuid"`
	Kind           Succession
	CreatedAt      time.Time
}

func (successionRow) TableName() string { return "need_successions" }

// insertSuccession records that needID follows on from previous. The
// primary key refuses a need followed on from twice: Conflict.
func (s *Store) insertSuccession(ctx context.Context, r successionRow) error {
	err := s.db.Gorm(ctx).Create(&r).Error
	if isUniqueViolation(err, "need_successions_pkey") {
		return errs.Conflictf("that earlier need has already been followed on from by another plan")
	}
	return dbErr(err)
}

// successionTo returns how needID follows on from an earlier need, if it does.
func (s *Store) successionTo(ctx context.Context, needID uuid.UUID) (*successionRow, error) {
	var rs []successionRow
	if err := s.db.Gorm(ctx).Where("need_id = ?", needID).Find(&rs).Error; err != nil || len(rs) == 0 {
		return nil, dbErr(err)
	}
	return &rs[0], nil
}

// successionsFrom returns the successions of the given earlier needs, by
// earlier need.
func (s *Store) successionsFrom(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]successionRow, error) {
	out := map[uuid.UUID]successionRow{}
	if len(ids) == 0 {
		return out, nil
	}
	var rs []successionRow
	if err := s.db.Gorm(ctx).Where("previous_need_id IN ?", ids).Find(&rs).Error; err != nil {
		return nil, dbErr(err)
	}
	for _, r := range rs {
		out[r.PreviousNeedID] = r
	}
	return out, nil
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
