package brokerage

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/plans"
)

// NewInterimSupport is urgent or interim support a practitioner asks
// brokerage for before the full plan is signed off (or while an
// alternative service is late): one council-arranged need, with urgency
// urgent (24-hour deadlines) or interim (48 hours).
type NewInterimSupport struct {
	Need       plans.NewNeed `json:"need"`
	SelfFunded bool          `json:"self_funded"`
	OutOfArea  bool          `json:"out_of_area"`
	HostArea   string        `json:"host_area"`
}

// InterimSupport is what raising interim support made: the interim plan
// (a record of the need, signed off at once) and its brokerage request.
type InterimSupport struct {
	Plan    plans.Plan `json:"plan"`
	Request Request    `json:"request"`
}

// RaiseInterimSupport raises urgent or interim support for a person of the
// practitioner's team, before their full plan: an interim plan with the
// one need, signed off at once, and its brokerage request, in one
// transaction. The full plan later names the interim need in a need's
// previous_need_id; once that need's arrangement is in place the interim
// support ends (see replacementInPlace). It returns Forbidden for other
// roles, NotFound for a person the actor may not see, and Invalid naming
// the field ("need.urgency", say).
func (s *Service) RaiseInterimSupport(ctx context.Context, a accounts.Actor, personID uuid.UUID, in NewInterimSupport) (InterimSupport, error) {
	if err := a.Require(accounts.Practitioner); err != nil {
		return InterimSupport{}, err
	}
	var out InterimSupport
	err := s.store.inTx(ctx, func(tx *Store) error {
		person, err := tx.plans().Person(ctx, personID)
		if err != nil || !plans.CanSeePerson(a, person) {
			return plans.ErrNoPerson
		}
		out, err = s.raiseInterim(ctx, tx, a, person, in, nil)
		return err
	})
	return out, err
}

// raiseInterim writes, in tx, the interim plan for person and its request;
// covers names the alternative-service need whose delay it bridges.
func (s *Service) raiseInterim(ctx context.Context, tx *Store, a accounts.Actor, person plans.Person, in NewInterimSupport, covers *uuid.UUID) (InterimSupport, error) {
	n := in.Need
	switch {
	case n.HowMet == "":
		n.HowMet = plans.CouncilArranged
	case n.HowMet != plans.CouncilArranged:
		return InterimSupport{}, errs.InvalidField("need.how_met", "interim support is arranged by the council through brokerage: council_arranged")
	}
	if n.Urgency != plans.Urgent && n.Urgency != plans.Interim {
		return InterimSupport{}, errs.InvalidField("need.urgency", "must be urgent (providers answer within 24 hours) or interim (48 hours)")
	}
	if n.PreviousNeedID != nil {
		return InterimSupport{}, errs.InvalidField("need.previous_need_id", "interim support follows on from no earlier need")
	}
	c := plans.PlanContent{Kind: plans.CareAndSupport, PersonalBudgetWeeklyPence: n.WeeklyBudgetPence, SelfFunded: in.SelfFunded,
		OutOfArea: in.OutOfArea, HostArea: in.HostArea, Needs: []plans.NewNeed{n}}
	if err := c.Validate(a.Team, s.today()); err != nil {
		return InterimSupport{}, asInterimField(err)
	}
	now := s.clock()
	p := plans.Plan{PersonID: person.ID, Team: a.Team, Status: plans.PlanDraft, SubmittedBy: a.UserID, SubmittedAt: now, UpdatedAt: now,
		Interim: true, CoversNeedID: covers}
	p.SetContent(c)
	if err := tx.plans().InsertPlan(ctx, &p); err != nil {
		return InterimSupport{}, err
	}
	p.Status, p.SignedOffBy, p.SignedOffAt = plans.PlanSignedOff, userRef(a), &now
	if err := tx.plans().MarkSignedOff(ctx, &p); err != nil {
		return InterimSupport{}, err
	}
	if err := audit.Record(ctx, tx.Conn(), audit.Entry{
		Actor: a, Action: "plan.interim", ObjectType: "plan", ObjectID: p.ID.String(), PersonID: p.PersonID,
		Summary: map[string]any{"after": p.Summary(), "covers_need_id": covers},
	}); err != nil {
		return InterimSupport{}, err
	}
	made, err := s.arrange(ctx, tx, a, &p, now, nil)
	if err != nil {
		return InterimSupport{}, err
	}
	return InterimSupport{Plan: p, Request: made[0]}, nil
}

// asInterimField renames a plan's fields as the interim support body
// names them: "needs[0].start_date" is "need.start_date", the budget the
// need's weekly budget.
func asInterimField(err error) error {
	e := errs.As(err)
	if e == nil {
		return err
	}
	out := *e
	switch {
	case strings.HasPrefix(e.Field, "needs[0]."):
		out.Field = "need." + strings.TrimPrefix(e.Field, "needs[0].")
	case e.Field == "personal_budget_weekly_pence" || e.Field == "needs":
		out.Field = "need.weekly_budget_pence"
	}
	return &out
}
