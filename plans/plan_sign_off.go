package plans

import (
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
)

// SignOff records userID's sign-off of the plan at now. A draft that needs
// two sign-offs (secondNeeded: it is above the council's four-eyes amount)
// only gets its first: it awaits a second, and SignOff reports done false.
// A plan awaiting its second sign-off is signed off by anyone but its first
// signer. It returns Conflict for a plan already signed off and Forbidden
// for the first signer signing again.
func (p *Plan) SignOff(userID uuid.UUID, now time.Time, secondNeeded bool) (done bool, err error) {
	by := userID
	switch p.Status {
	case PlanSignedOff:
		return false, errs.Conflictf("the plan was already signed off on %s", p.SignedOffAt.Format("2 January 2006"))
	case PlanAwaitingSecondSignOff:
		if p.FirstSignedOffBy != nil && *p.FirstSignedOffBy == userID {
			return false, errs.Forbiddenf("you signed off this plan on %s; it needs a second sign-off by another practitioner of the team",
				p.FirstSignedOffAt.Format("2 January 2006"))
		}
	case PlanDraft:
		if secondNeeded {
			p.Status, p.FirstSignedOffBy, p.FirstSignedOffAt, p.UpdatedAt = PlanAwaitingSecondSignOff, &by, &now, now
			return false, nil
		}
	default:
		return false, errs.Conflictf("the plan is %s and cannot be signed off", p.Status)
	}
	p.Status, p.SignedOffBy, p.SignedOffAt, p.UpdatedAt = PlanSignedOff, &by, &now, now
	return true, nil
}

// ReturnToDraft takes a plan awaiting its second sign-off back to draft
// (its content is about to change), withdrawing the first sign-off, and
// reports whether it did. A draft stays as it is; a signed-off plan is
// Conflict: a change to it needs a review and a new plan.
func (p *Plan) ReturnToDraft(now time.Time) (withdrew bool, err error) {
	switch p.Status {
	case PlanDraft:
		return false, nil
	case PlanAwaitingSecondSignOff:
		p.Status, p.FirstSignedOffBy, p.FirstSignedOffAt, p.UpdatedAt = PlanDraft, nil, nil, now
		return true, nil
	}
	return false, errs.Conflictf("the plan was signed off on %s and cannot be changed; a change needs a review and a new plan",
		p.SignedOffAt.Format("2 January 2006"))
}
