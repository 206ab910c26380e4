package brokerage

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/plans"
)

// ReviewChange is a review that changes the plan: the review's outcome and
// the new version of the plan.
type ReviewChange struct {
	Outcome string `json:"outcome"`
	// EffectiveOn is when removals take effect: today when not given.
	EffectiveOn day.Date     `json:"effective_on"`
	Plan        PlanRevision `json:"plan"`
}

// PlanRevision is the new version of a plan a review makes. What it does
// not mention of the plan's budget and flags stays as it was; the kind and
// the person cared for do not change. Needs lists every need of the new
// version: each names the need of the reviewed plan it follows on from, if
// any (previous_need_id), and one giving only previous_need_id keeps that
// need as it was. A need of the reviewed plan that no need follows on from
// is removed.
type PlanRevision struct {
	PersonalBudgetWeeklyPence *int64          `json:"personal_budget_weekly_pence"`
	ContingencyPence          *int64          `json:"contingency_pence"`
	SelfFunded                *bool           `json:"self_funded"`
	OutOfArea                 *bool           `json:"out_of_area"`
	HostArea                  *string         `json:"host_area"`
	Needs                     []plans.NewNeed `json:"needs"`
}

// content is the revision applied to the reviewed plan old.
func (r PlanRevision) content(old plans.Plan) plans.PlanContent {
	c := old.Content()
	c.Needs = r.Needs
	if r.PersonalBudgetWeeklyPence != nil {
		c.PersonalBudgetWeeklyPence = *r.PersonalBudgetWeeklyPence
	}
	if r.ContingencyPence != nil {
		c.ContingencyPence = *r.ContingencyPence
	}
	if r.SelfFunded != nil {
		c.SelfFunded = *r.SelfFunded
	}
	if r.OutOfArea != nil {
		c.OutOfArea = *r.OutOfArea
		if !c.OutOfArea && r.HostArea == nil {
			c.HostArea = ""
		}
	}
	if r.HostArea != nil {
		c.HostArea = *r.HostArea
	}
	return c
}

// PlanChange is what a review's change made.
type PlanChange struct {
	Review     agreements.ReviewTask  `json:"review"`
	Plan       plans.Plan             `json:"plan"` // the new version, signed off
	Superseded uuid.UUID              `json:"supersedes_plan_id"`
	Continued  []uuid.UUID            `json:"continued_need_ids"` // needs whose arrangement goes on
	Requests   []Request              `json:"requests"`           // brokerage re-opened for changed and new needs
	Variations []agreements.Variation `json:"variations"`         // agreements changed or ended, finance told once each
	Removed    []uuid.UUID            `json:"removed_need_ids"`   // needs of the old version whose arrangements stop
}

// ChangePlanAtReview completes a review that changes the plan, in one
// transaction: it locks the review task and the current version of the
// plan under review, signs off the new version superseding it (a signed-off
// plan is frozen), and then, need by need: an unchanged need keeps its
// arrangement; a changed need gets a new one (brokerage re-opens for it)
// while an agreement meeting the old need is varied, finance being told
// once, and goes on until the new arrangement starts; a removed need's
// arrangement stops (an agreement ends on EffectiveOn, finance told). The
// review is completed with its outcome and the audit events written.
//
// It returns Forbidden for anyone but a practitioner, NotFound for a review
// of another team, Invalid naming the field ("plan.needs[1].hours_per_week",
// "outcome", "effective_on"), and Conflict when the review is no longer open,
// is not of a plan, or the plan was changed by another review meanwhile.
func (s *Service) ChangePlanAtReview(ctx context.Context, a accounts.Actor, reviewID uuid.UUID, in ReviewChange) (PlanChange, error) {
	if err := a.Require(accounts.Practitioner); err != nil {
		return PlanChange{}, err
	}
	today := s.today()
	if in.EffectiveOn.IsZero() {
		in.EffectiveOn = today
	} else if in.EffectiveOn.Before(today) {
		return PlanChange{}, errs.InvalidField("effective_on", "must be today or later")
	}
	var out PlanChange
	err := s.store.inTx(ctx, func(tx *Store) error {
		task, err := s.agreements.TakeReview(ctx, tx.Tx(), a, reviewID)
		if err != nil {
			return err
		}
		old, err := s.reviewedPlan(ctx, tx, a, task)
		if err != nil {
			return err
		}
		c, unchanged, err := s.newVersion(ctx, tx, a, old, in.Plan, today)
		if err != nil {
			return err
		}
		now := s.clock()
		p := plans.Plan{PersonID: old.PersonID, Team: old.Team, Status: plans.PlanDraft, SubmittedBy: a.UserID, SubmittedAt: now, UpdatedAt: now,
			SupersedesPlanID: &old.ID}
		p.SetContent(c)
		if err := tx.plans().InsertPlan(ctx, &p); err != nil {
			return err
		}
		p.Status, p.SignedOffBy, p.SignedOffAt = plans.PlanSignedOff, userRef(a), &now
		if err := tx.plans().MarkSignedOff(ctx, &p); err != nil {
			return err
		}
		keep := map[uuid.UUID]bool{}
		out = PlanChange{Plan: p, Superseded: old.ID, Continued: []uuid.UUID{}, Variations: []agreements.Variation{}, Removed: []uuid.UUID{}}
		for i := range p.Needs {
			if unchanged[i] {
				keep[p.Needs[i].ID] = true
				out.Continued = append(out.Continued, p.Needs[i].ID)
			}
		}
		if out.Requests, err = s.arrange(ctx, tx, a, &p, now, keep); err != nil {
			return err
		}
		if out.Requests == nil {
			out.Requests = []Request{}
		}
		if err := s.settleOldNeeds(ctx, tx, a, old, p, keep, task, in.EffectiveOn, &out); err != nil {
			return err
		}
		if out.Review, err = s.agreements.CompleteReviewTx(ctx, tx.Tx(), a, reviewID, in.Outcome); err != nil {
			return err
		}
		return audit.Record(ctx, tx.Conn(), audit.Entry{Actor: a, Action: "plan.review_change", ObjectType: "plan", ObjectID: p.ID.String(),
			PersonID: p.PersonID, Summary: map[string]any{"supersedes_plan_id": old.ID, "review_task_id": reviewID,
				"after": p.Summary(), "continued": out.Continued, "removed": out.Removed, "effective_on": in.EffectiveOn}})
	})
	return out, err
}

// reviewedPlan finds and locks the current version of the plan a review is
// of: later versions supersede the one the review was raised on.
func (s *Service) reviewedPlan(ctx context.Context, tx *Store, a accounts.Actor, task agreements.ReviewTask) (plans.Plan, error) {
	if task.PlanID == nil {
		return plans.Plan{}, errs.Conflictf("this review is not of a plan (it reviews %s): complete it instead", strings.ReplaceAll(string(task.SubjectType), "_", " "))
	}
	id := *task.PlanID
	for range 1000 {
		next, err := tx.plans().Successor(ctx, id)
		if err != nil {
			return plans.Plan{}, err
		}
		if next == nil {
			break
		}
		id = *next
	}
	p, err := plans.VisiblePlan(ctx, tx.plans(), a, id, true)
	if err != nil {
		return plans.Plan{}, err
	}
	switch next, err := tx.plans().Successor(ctx, id); {
	case err != nil:
		return plans.Plan{}, err
	case next != nil:
		return plans.Plan{}, errs.Conflictf("another review changed this plan a moment ago: look at the new version and review again")
	case p.Status != plans.PlanSignedOff:
		return plans.Plan{}, errs.Conflictf("the plan is a draft: change it directly")
	case p.Interim:
		return plans.Plan{}, errs.Conflictf("interim support is replaced by the full plan, not changed at a review")
	}
	return p, nil
}

// newVersion completes and checks the new version's content: needs giving
// only previous_need_id are copied from the reviewed plan; needs equal to
// the need they follow on from are unchanged (their arrangement goes on,
// and they are not checked again: their start dates are in the past). It
// returns Invalid or NotFound naming the field under "plan.".
func (s *Service) newVersion(ctx context.Context, tx *Store, a accounts.Actor, old plans.Plan, r PlanRevision, today day.Date) (plans.PlanContent, map[int]bool, error) {
	c := r.content(old)
	byID := map[uuid.UUID]plans.Need{}
	for _, n := range old.Needs {
		byID[n.ID] = n
	}
	unchanged := map[int]bool{}
	for i, n := range c.Needs {
		if n.PreviousNeedID == nil {
			continue
		}
		prev, ok := byID[*n.PreviousNeedID]
		if !ok {
			return c, nil, s.notOfReviewedPlan(ctx, tx, *n.PreviousNeedID, i)
		}
		was := prev.Content()
		was.PreviousNeedID = n.PreviousNeedID
		if n.Outcome == "" && n.HowMet == "" {
			c.Needs[i], unchanged[i] = was, true
			continue
		}
		unchanged[i] = reflect.DeepEqual(n.Tidy(), was.Tidy())
	}
	for i, same := range unchanged {
		if !same {
			continue
		}
		// A need whose arrangement is over (a cancelled request, an ended
		// agreement or direct payment) cannot go on as it was: it gets a
		// new one, and is checked as new (a start date today or later).
		x, err := s.arrangementOf(ctx, tx, byID[*c.Needs[i].PreviousNeedID], false)
		if err != nil {
			return c, nil, err
		}
		if x.over() {
			unchanged[i] = false
		}
	}
	if err := plans.CheckLinks(ctx, tx.plans(), a, old.PersonID, &c, &old); err != nil {
		return c, nil, underPlan(err)
	}
	if err := c.ValidateKeeping(old.Team, today, unchanged); err != nil {
		return c, nil, underPlan(err)
	}
	return c, unchanged, nil
}

// notOfReviewedPlan says why need id, named by the review's need i, is not
// one of the reviewed plan's: Conflict when it belongs to an earlier version
// (another review changed the plan since it was read), Invalid otherwise.
func (s *Service) notOfReviewedPlan(ctx context.Context, tx *Store, id uuid.UUID, i int) error {
	field := fmt.Sprintf("plan.needs[%d].previous_need_id", i)
	if n, err := tx.plans().Need(ctx, id); err == nil {
		if next, err := tx.plans().Successor(ctx, n.PlanID); err != nil {
			return err
		} else if next != nil {
			return &errs.Error{Code: errs.Conflict, Field: field,
				Message: "that need is of an earlier version of the plan: another review has changed it since; review the current version"}
		}
	}
	return errs.InvalidField(field, "must be a need of the plan under review")
}
