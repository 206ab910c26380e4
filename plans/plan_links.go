package plans

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
)

// CheckLinks checks, in tx, what a plan for personID names outside itself:
// the person cared for (one the actor may see, not the plan's own person),
// and the earlier needs its needs follow on from. At a review (reviewed set)
// those are needs of the reviewed plan; otherwise needs of the person's own
// interim plans. Each earlier need may be followed on from once. It returns
// Invalid or NotFound naming the field.
func CheckLinks(ctx context.Context, tx *Store, a accounts.Actor, personID uuid.UUID, c *PlanContent, reviewed *Plan) error {
	if c.CaredForPersonID != nil {
		if *c.CaredForPersonID == personID {
			return errs.InvalidField("cared_for_person_id", "is the carer: name the person they care for")
		}
		cared, err := tx.Person(ctx, *c.CaredForPersonID)
		if err != nil || !CanSeePerson(a, cared) {
			return &errs.Error{Code: errs.NotFound, Field: "cared_for_person_id", Message: "no such person in your team"}
		}
	}
	var ids []uuid.UUID
	at := map[uuid.UUID]string{}
	for i, n := range c.Needs {
		if n.PreviousNeedID == nil {
			continue
		}
		field := fmt.Sprintf("needs[%d].previous_need_id", i)
		if _, twice := at[*n.PreviousNeedID]; twice {
			return errs.InvalidField(field, "names a need another need of this plan already follows on from")
		}
		at[*n.PreviousNeedID] = field
		ids = append(ids, *n.PreviousNeedID)
	}
	if len(ids) == 0 {
		return nil
	}
	needs, err := tx.NeedsByID(ctx, ids)
	if err != nil {
		return err
	}
	done, err := tx.SuccessionsFrom(ctx, ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		n, ok := needs[id]
		if !ok {
			return errs.InvalidField(at[id], "no such need")
		}
		if _, ok := done[id]; ok {
			return errs.InvalidField(at[id], "that need has already been followed on from by a later plan")
		}
		if reviewed != nil {
			if n.PlanID != reviewed.ID {
				return errs.InvalidField(at[id], "must be a need of the plan under review")
			}
			continue
		}
		p, err := tx.PlanHeader(ctx, n.PlanID, false)
		if err != nil {
			return err
		}
		if !p.Interim || p.PersonID != personID || p.Status != PlanSignedOff {
			return errs.InvalidField(at[id], "must be a need of this person's interim plan (urgent or interim support this plan replaces); a plan changes at a review")
		}
	}
	return nil
}
