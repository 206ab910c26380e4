package brokerage

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/plans"
)

// ownResourcesRoute is a need the person meets from their own resources:
// nothing to arrange, met as soon as the plan records it at sign-off.
type ownResourcesRoute struct{}

func (ownResourcesRoute) HowMet() plans.HowMet { return plans.OwnResources }
func (ownResourcesRoute) Label() string        { return "own resources" }
func (ownResourcesRoute) Arranged() bool       { return false }

// Validate: nothing beyond a need's common shape.
func (ownResourcesRoute) Validate(*plans.PlanContent, *plans.NewNeed, string, day.Date) error {
	return nil
}

// start records the need met by the plan itself.
func (ownResourcesRoute) start(ctx context.Context, s *Service, tx *Store, a accounts.Actor, p plans.Plan, n *plans.Need, now time.Time) (*Request, error) {
	r, err := tx.referral(ctx, n.ID, true)
	if err != nil {
		return nil, err
	}
	if err := r.meet(userRef(a), now); err != nil {
		return nil, err
	}
	return nil, tx.saveReferral(ctx, &r)
}

// describe: met, unless ended.
func (ownResourcesRoute) describe(_ context.Context, _ *Service, v *NeedView, x arrangement) error {
	v.State = referralState(x.Referral)
	v.Why = "the person's own resources, as the plan records"
	if x.Referral.Status == RouteEnded {
		v.Why = "own resources, ended: " + x.Referral.EndReason
	}
	return nil
}

// ended: nothing else to stop.
func (ownResourcesRoute) ended(context.Context, *Service, *Store, accounts.Actor, uuid.UUID, string) error {
	return nil
}
