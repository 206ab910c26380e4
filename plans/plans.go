package plans

import (
	"context"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
)

// SubmitPlan records a draft plan for a person of the practitioner's team.
// It returns Forbidden for other roles, NotFound naming person_id when the
// person is not one of the team's, Invalid naming the field that is wrong
// (a specialist service from a team that may not request one, say), and
// Conflict when the person already has a draft.
func (s *Service) SubmitPlan(ctx context.Context, a accounts.Actor, n NewPlan) (Plan, error) {
	if err := a.Require(accounts.Practitioner); err != nil {
		return Plan{}, err
	}
	if n.PersonID == uuid.Nil {
		return Plan{}, errs.InvalidField("person_id", "is required")
	}
	if err := n.Validate(a.Team, s.today()); err != nil {
		return Plan{}, err
	}
	now := s.clock()
	p := Plan{PersonID: n.PersonID, Team: a.Team, Status: PlanDraft, SubmittedBy: a.UserID, SubmittedAt: now, UpdatedAt: now}
	p.SetContent(n.PlanContent)
	err := s.store.inTx(ctx, func(tx *Store) error {
		person, err := tx.Person(ctx, n.PersonID)
		if err != nil || !CanSeePerson(a, person) {
			return &errs.Error{Code: errs.NotFound, Field: "person_id", Message: "no such person in your team"}
		}
		if err := CheckLinks(ctx, tx, a, n.PersonID, &n.PlanContent, nil); err != nil {
			return err
		}
		if err := tx.InsertPlan(ctx, &p); err != nil {
			return err
		}
		return audit.Record(ctx, tx.Conn(), audit.Entry{
			Actor: a, Action: "plan.submit", ObjectType: "plan", ObjectID: p.ID.String(), PersonID: p.PersonID,
			Summary: p.Summary(),
		})
	})
	return p, err
}

// UpdatePlan replaces the content of a draft plan. A plan awaiting its
// second sign-off goes back to draft: the change withdraws the first
// sign-off, since the second practitioner must approve what was signed.
// It returns NotFound for a plan the actor may not see, Forbidden for roles
// other than the team's practitioners, Invalid naming the field, and
// Conflict once the plan is signed off (the database refuses the change too).
func (s *Service) UpdatePlan(ctx context.Context, a accounts.Actor, id uuid.UUID, c PlanContent) (Plan, error) {
	return s.changePlan(ctx, a, id, func(tx *Store, p *Plan) error {
		summary := map[string]any{"before": p.Summary()}
		firstBy, firstAt := p.FirstSignedOffBy, p.FirstSignedOffAt
		withdrew, err := p.ReturnToDraft(s.clock())
		if err != nil {
			return err
		}
		if err := c.Validate(a.Team, s.today()); err != nil {
			return err
		}
		if err := CheckLinks(ctx, tx, a, p.PersonID, &c, nil); err != nil {
			return err
		}
		if withdrew {
			summary["first_sign_off_withdrawn"] = map[string]any{"by": firstBy, "at": firstAt}
			if err := tx.MarkSignedOff(ctx, p); err != nil {
				return err
			}
		}
		p.SetContent(c)
		p.UpdatedAt = s.clock()
		if err := tx.replacePlanContent(ctx, p); err != nil {
			return err
		}
		summary["after"] = p.Summary()
		return audit.Record(ctx, tx.Conn(), audit.Entry{
			Actor: a, Action: "plan.update", ObjectType: "plan", ObjectID: p.ID.String(), PersonID: p.PersonID, Summary: summary,
		})
	})
}

// changePlan runs change on plan id, locked in one transaction, for a
// practitioner who may see it: Forbidden for other roles, NotFound for a
// plan the actor may not see, and change's error, which rolls it back.
func (s *Service) changePlan(ctx context.Context, a accounts.Actor, id uuid.UUID, change func(tx *Store, p *Plan) error) (Plan, error) {
	if err := a.Require(accounts.Practitioner); err != nil {
		return Plan{}, err
	}
	var p Plan
	err := s.store.inTx(ctx, func(tx *Store) error {
		var err error
		if p, err = VisiblePlan(ctx, tx, a, id, true); err != nil {
			return err
		}
		return change(tx, &p)
	})
	if err != nil {
		return Plan{}, err
	}
	return p, nil
}

// Plan returns a plan the actor may see (NotFound otherwise) and records
// in the audit trail that the actor looked at it.
func (s *Service) Plan(ctx context.Context, a accounts.Actor, id uuid.UUID) (Plan, error) {
	var p Plan
	err := s.store.inTx(ctx, func(tx *Store) error {
		var err error
		if p, err = VisiblePlan(ctx, tx, a, id, false); err != nil {
			return err
		}
		return audit.Record(ctx, tx.Conn(), audit.Entry{
			Actor: a, Action: "plan.view", ObjectType: "plan", ObjectID: p.ID.String(), PersonID: p.PersonID,
		})
	})
	return p, err
}

// PlansOf lists the plans of a person the actor may see, newest first,
// without their needs (NotFound for a person the actor may not see). The
// read is audited.
func (s *Service) PlansOf(ctx context.Context, a accounts.Actor, personID uuid.UUID) ([]Plan, error) {
	if _, err := s.Person(ctx, a, personID); err != nil {
		return nil, err
	}
	plans, err := s.store.PlansOf(ctx, personID)
	if err != nil {
		return nil, err
	}
	return plans, audit.Record(ctx, s.store.Conn(), audit.Entry{
		Actor: a, Action: "plan.list", ObjectType: "person", ObjectID: personID.String(), PersonID: personID,
	})
}

// VisiblePlan loads a plan (locked if lock) whose person the actor may see.
func VisiblePlan(ctx context.Context, tx *Store, a accounts.Actor, id uuid.UUID, lock bool) (Plan, error) {
	p, err := tx.Plan(ctx, id, lock)
	if err != nil {
		return Plan{}, err
	}
	person, err := tx.Person(ctx, p.PersonID)
	if err != nil {
		return Plan{}, err
	}
	if !CanSeePerson(a, person) {
		return Plan{}, ErrNoPlan
	}
	return p, nil
}

func (p *Plan) SetContent(c PlanContent) {
	p.Kind, p.BudgetWeeklyPence, p.ContingencyPence = c.Kind, c.PersonalBudgetWeeklyPence, c.ContingencyPence
	p.SelfFunded, p.OutOfArea, p.HostArea = c.SelfFunded, c.OutOfArea, c.HostArea
	p.CaredForPersonID = c.CaredForPersonID
	p.Needs = make([]Need, len(c.Needs))
	for i, n := range c.Needs {
		p.Needs[i] = Need{
			Outcome: n.Outcome, HowMet: n.HowMet, WeeklyBudgetPence: n.WeeklyBudgetPence, ServiceType: n.ServiceType,
			Specialist: n.ServiceType.Specialist(), HoursPerWeek: n.HoursPerWeek, Places: n.Places, StartDate: n.StartDate,
			Urgency: n.Urgency, AlternativeService: n.AlternativeService, Preferences: n.Preferences,
			PreviousNeedID: n.PreviousNeedID, DirectPayment: n.DirectPayment.Record(n.ServiceType),
			AlternativeArrangedBy: n.AlternativeArrangedBy, AlternativeDueBy: n.AlternativeDueBy,
		}
	}
}

// Content is the plan as the practitioner wrote it, to check again at sign-off.
func (p *Plan) Content() PlanContent {
	c := PlanContent{
		Kind: p.Kind, PersonalBudgetWeeklyPence: p.BudgetWeeklyPence, ContingencyPence: p.ContingencyPence,
		SelfFunded: p.SelfFunded, OutOfArea: p.OutOfArea, HostArea: p.HostArea, CaredForPersonID: p.CaredForPersonID,
		Needs: make([]NewNeed, len(p.Needs)),
	}
	for i, n := range p.Needs {
		c.Needs[i] = n.Content()
	}
	return c
}

// Summary is what the audit trail keeps of a plan: no free text about the person.
func (p *Plan) Summary() map[string]any {
	needs := make([]map[string]any, len(p.Needs))
	for i, n := range p.Needs {
		needs[i] = map[string]any{"how_met": n.HowMet, "service_type": n.ServiceType, "weekly_budget_pence": n.WeeklyBudgetPence,
			"hours_per_week": n.HoursPerWeek, "places": n.Places, "start_date": n.StartDate, "urgency": n.Urgency}
	}
	return map[string]any{"status": p.Status, "kind": p.Kind, "personal_budget_weekly_pence": p.BudgetWeeklyPence,
		"contingency_pence": p.ContingencyPence, "self_funded": p.SelfFunded, "out_of_area": p.OutOfArea, "needs": needs}
}
