package plans

import (
	"context"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

// InsertPlan writes a new plan and its needs.
func (s *Store) InsertPlan(ctx context.Context, p *Plan) error {
	row := planRow(*p)
	err := s.db.Gorm(ctx).Omit("id").Create(&row).Error
	p.ID = row.ID
	if err != nil {
		if postgres.IsUniqueViolation(err, "plans_one_draft_per_person") {
			return errs.Conflictf("this person already has a plan awaiting sign-off: change that plan, or sign it off first")
		}
		return dbErr(err)
	}
	return s.insertNeeds(ctx, p)
}

func (s *Store) insertNeeds(ctx context.Context, p *Plan) error {
	for i := range p.Needs {
		p.Needs[i].PlanID, p.Needs[i].Position = p.ID, i
		row := needRow(p.Needs[i])
		if err := s.db.Gorm(ctx).Omit("id").Create(&row).Error; err != nil {
			return dbErr(err)
		}
		p.Needs[i].ID = row.ID
	}
	return nil
}

// replacePlanContent rewrites a draft plan's content and needs. The freeze
// trigger refuses it (Conflict) for a signed-off plan.
func (s *Store) replacePlanContent(ctx context.Context, p *Plan) error {
	row := planRow(*p)
	err := s.db.Gorm(ctx).Model(&planRow{}).Where("id = ?", p.ID).
		Select("kind", "budget_weekly_pence", "contingency_pence", "self_funded", "out_of_area", "host_area", "cared_for_person_id", "updated_at").
		Updates(&row).Error
	if err != nil {
		return dbErr(err)
	}
	if err := s.db.Gorm(ctx).Where("plan_id = ?", p.ID).Delete(&needRow{}).Error; err != nil {
		return dbErr(err)
	}
	return s.insertNeeds(ctx, p)
}

// MarkSignedOff records the sign-off that freezes the plan, or the first of
// its two sign-offs.
func (s *Store) MarkSignedOff(ctx context.Context, p *Plan) error {
	row := planRow(*p)
	return dbErr(s.db.Gorm(ctx).Model(&planRow{}).Where("id = ?", p.ID).
		Select("status", "signed_off_by", "signed_off_at", "first_signed_off_by", "first_signed_off_at", "updated_at").Updates(&row).Error)
}

// awaitingSecondSignOff lists the plans of team waiting for a second
// sign-off, the longest waiting first, without their needs.
func (s *Store) awaitingSecondSignOff(ctx context.Context, team string) ([]AwaitingPlan, error) {
	var rows []struct {
		Plan       planRow `gorm:"embedded"`
		PersonName string
	}
	err := s.db.Gorm(ctx).Table("plans").Select("plans.*, persons.name AS person_name").
		Joins("JOIN persons ON persons.id = plans.person_id").
		Where("plans.team = ? AND plans.status = ?", team, PlanAwaitingSecondSignOff).
		Order("plans.first_signed_off_at, plans.id").Scan(&rows).Error
	ps := make([]AwaitingPlan, len(rows))
	for i, r := range rows {
		ps[i] = AwaitingPlan{Plan: Plan(r.Plan), PersonName: r.PersonName}
	}
	return ps, dbErr(err)
}

// Plan returns a plan with its needs (and the requests made from them),
// locking the plan row when lock is true. It is NotFound when missing.
func (s *Store) Plan(ctx context.Context, id uuid.UUID, lock bool) (Plan, error) {
	p, err := s.PlanHeader(ctx, id, lock)
	if err != nil {
		return p, err
	}
	var needs []needRow
	if err := s.db.Gorm(ctx).Where("plan_id = ?", id).Order("position").Find(&needs).Error; err != nil {
		return p, dbErr(err)
	}
	p.Needs = needsFrom(needs)
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
	var rows []planRow
	err := s.db.Gorm(ctx).Where("person_id = ?", personID).Order("submitted_at DESC, id").Find(&rows).Error
	return plansFrom(rows), dbErr(err)
}
