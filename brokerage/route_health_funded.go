package brokerage

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/plans"
)

// HealthFunded is a need the NHS meets (continuing healthcare): nothing
// for the council to arrange, met once the health team confirms it.
const HealthFunded plans.HowMet = "health_funded"

// healthFundedRoute is the route of a HealthFunded need.
type healthFundedRoute struct{}

func (healthFundedRoute) HowMet() plans.HowMet { return HealthFunded }
func (healthFundedRoute) Label() string        { return "NHS-funded care" }
func (healthFundedRoute) Arranged() bool       { return false }

// Validate: nothing beyond a need's common shape.
func (healthFundedRoute) Validate(*plans.PlanContent, *plans.NewNeed, string, day.Date) error { return nil }

// start: the referral, written as awaiting, is all there is until confirmed.
func (healthFundedRoute) start(context.Context, *Service, *Store, accounts.Actor, plans.Plan, *plans.Need, time.Time) (*Request, error) {
	return nil, nil
}

// describe: waiting for the health team, confirmed, or ended.
func (healthFundedRoute) describe(_ context.Context, _ *Service, v *NeedView, x arrangement) error {
	v.State = referralState(x.Referral)
	switch x.Referral.Status {
	case RouteAwaiting:
		v.Why = "NHS-funded care, waiting for the health team to confirm it"
	case RouteMet:
		v.Why = "NHS-funded care, confirmed by the health team"
	default:
		v.Why = "NHS-funded care, ended: " + x.Referral.EndReason
	}
	return nil
}

// ended: nothing else to stop.
func (healthFundedRoute) ended(context.Context, *Service, *Store, accounts.Actor, uuid.UUID, string) error {
	return nil
}
