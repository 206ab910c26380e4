package brokerage

import (
	"context"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/packages"
	"github.com/carebroker/carebroker/plans"
)

// settleOldNeeds deals with the reviewed plan's needs once the new version
// is arranged: an agreement meeting a changed need is varied (finance told
// once), and a removed need's arrangement stops on effective.
func (s *Service) settleOldNeeds(ctx context.Context, tx *Store, a accounts.Actor, old, p plans.Plan, keep map[uuid.UUID]bool,
	task agreements.ReviewTask, effective day.Date, out *PlanChange) error {
	followed := map[uuid.UUID]plans.Need{}
	for _, n := range p.Needs {
		if n.PreviousNeedID != nil && !keep[n.ID] {
			followed[*n.PreviousNeedID] = n
		}
		if n.PreviousNeedID != nil && keep[n.ID] {
			followed[*n.PreviousNeedID] = plans.Need{} // continued: nothing to do
		}
	}
	source := "plan:" + old.ID.String()
	reviewTask := task.ID
	for _, was := range old.Needs {
		next, isFollowed := followed[was.ID]
		if isFollowed && next.ID == uuid.Nil {
			continue
		}
		x, err := s.arrangementOf(ctx, tx, was, true)
		if err != nil {
			return err
		}
		if !isFollowed {
			out.Removed = append(out.Removed, was.ID)
			reason := "removed from the plan at the review on " + s.today().UK()
			if x.Agreement != nil {
				v, err := s.agreements.Vary(ctx, tx.Tx(), a, agreements.NewVariation{AgreementID: x.Agreement.ID, Kind: agreements.VaryEnd,
					SourceKey: source, Reason: reason, EffectiveOn: effective, ReviewTaskID: &reviewTask})
				if err != nil {
					return err
				}
				out.Variations = append(out.Variations, v)
				ended := *x.Agreement
				ended.EndsOn, ended.EndReason = effective, reason // as End recorded it (releaseAfter starts no earlier than the start)
				if err := packages.Close(ctx, tx.Tx(), a, ended); err != nil {
					return err
				}
				if err := s.releaseAfter(ctx, tx, ended); err != nil {
					return err
				}
				continue
			}
			if err := s.endArrangement(ctx, tx, a, x, effective, reason, nil); err != nil {
				return err
			}
			continue
		}
		if x.Agreement == nil {
			continue // not in place: arrange stopped it; in place by another route: it ends when the new one is
		}
		nv := agreements.NewVariation{AgreementID: x.Agreement.ID, Kind: agreements.VaryChange, SourceKey: source,
			Reason: "the need changed at the review on " + s.today().UK() + ": " + next.Outcome, EffectiveOn: effective,
			HoursAfter: next.HoursPerWeek, PlacesAfter: next.Places, WeeklyBudgetAfter: next.WeeklyBudgetPence, ReviewTaskID: &reviewTask}
		if r, err := tx.requestForNeed(ctx, next.ID, false); err != nil {
			return err
		} else if r != nil {
			nv.NewRequestID, nv.NewRequestReference = &r.ID, r.Reference
		}
		v, err := s.agreements.Vary(ctx, tx.Tx(), a, nv)
		if err != nil {
			return err
		}
		out.Variations = append(out.Variations, v)
	}
	return nil
}

// underPlan puts a field error of the plan's content under "plan.", as the
// review's body names it.
func underPlan(err error) error {
	e := errs.As(err)
	if e == nil || e.Field == "" {
		return err
	}
	out := *e
	out.Field = "plan." + e.Field
	return &out
}
