package plans

import (
	"context"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/carebroker/carebroker/errs"
)

// InsertPlan writes a new plan and its needs.
func (s *Store) InsertPlan(ctx context.Context, p *Plan) error {
	err := s.db.Gorm(ctx).Omit("id").Create(p).Error
	if err != nil {
		if isUniqueViolation(err, "plans_one_draft_per_person") {
			return errs.Conflictf("this person already has a plan awaiting sign-off: change that plan, or sign it off first")
		}
		return dbErr(err)
	}
	return s.insertNeeds(ctx, p)
}

func (s *Store) insertNeeds(ctx context.Context, p *Plan) error {
	for i := range p.Needs {
		p.Needs[i].PlanID, p.Needs[i].Position = p.ID, i
		if err := s.db.Gorm(ctx).Omit("id").Create(&p.Needs[i]).Error; err != nil {
			return dbErr(err)
		}
	}
	return nil
}

// replacePlanContent rewrites a draft plan's content and needs. The freeze
// trigger refuses it (Conflict) for a signed-off plan.
func (s *Store) replacePlanContent(ctx context.Context, p *Plan) error {
	err := s.db.Gorm(ctx).Model(&Plan{}).Where("id = ?", p.ID).
		Select("kind", "budget_weekly_pence", "contingency_pence", "self_funded", "out_of_area", "host_area", "cared_for_person_id", "updated_at").
		Updates(p).Error
	if err != nil {
		return dbErr(err)
	}
	if err := s.db.Gorm(ctx).Where("plan_id = ?", p.ID).Delete(&Need{}).Error; err != nil {
		return dbErr(err)
	}
	return s.insertNeeds(ctx, p)
}

// MarkSignedOff records the sign-off that freezes the plan, or the first of
// its two sign-offs.
func (s *Store) MarkSignedOff(ctx context.Context, p *Plan) error {
	return dbErr(s.db.Gorm(ctx).Model(&Plan{}).Where("id = ?", p.ID).
		Select("status", "signed_off_by", "signed_off_at", "first_signed_off_by", "first_signed_off_at", "updated_at").Updates(p).Error)
}

// awaitingSecondSignOff lists the plans of team waiting for a second
// sign-off, the longest waiting first, without their needs.
func (s *Store) awaitingSecondSignOff(ctx context.Context, team string) ([]AwaitingPlan, error) {
	var ps []AwaitingPlan
	return ps, dbErr(s.db.Gorm(ctx).Table("plans").Select("plans.*, persons.name AS person_name").
		Joins("JOIN persons ON persons.id = plans.person_id").
		Where("plans.team = ? AND plans.status = ?", team, PlanAwaitingSecondSignOff).
		Order("plans.first_signed_off_at, plans.id").Scan(&ps).Error)
}

// Plan returns a plan with its needs (and the requests made from them),
// locking the plan row when lock is true. It is NotFound when missing.
func (s *Store) Plan(ctx context.Context, id uuid.UUID, lock bool) (Plan, error) {
	var p Plan
	q := s.db.Gorm(ctx).Where("id = ?", id)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if err := q.Take(&p).Error; err != nil {
		return p, notFound(err, ErrNoPlan)
	}
	if err := s.db.Gorm(ctx).Where("plan_id = ?", id).Order("position").Find(&p.Needs).Error; err != nil {
		return p, dbErr(err)
	}
	if s.workflow == nil {
		return p, nil
	}
	made, err := s.workflow.RequestsOfPlan(ctx, s.db, id)
	if err != nil {
		return p, err
	}
	for i := range p.Needs {
		if rid, ok := made[p.Needs[i].ID]; ok {
			p.Needs[i].RequestID = &rid
		}
	}
	return p, nil
}

// PlansOf lists a person's plans, newest first, without their needs.
func (s *Store) PlansOf(ctx context.Context, personID uuid.UUID) ([]Plan, error) {
	var ps []Plan
	return ps, dbErr(s.db.Gorm(ctx).Where("person_id = ?", personID).Order("submitted_at DESC, id").Find(&ps).Error)
}
