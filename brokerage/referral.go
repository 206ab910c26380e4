package brokerage

import (
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/plans"
)

// RouteStatus is where a need met other than by brokerage is: a direct
// payment not yet set up or an alternative service not yet confirmed in
// place is awaiting; then met; ended when stopped or replaced.
type RouteStatus string

// The route statuses.
const (
	RouteAwaiting RouteStatus = "awaiting"
	RouteMet      RouteStatus = "met"
	RouteEnded    RouteStatus = "ended"
)

// referral is a need's route other than brokerage (direct payment, own
// resources, alternative service) and its state: the row sign-off writes in
// need_referrals, read whole.
type referral struct {
	NeedID    uuid.UUID
	PlanID    uuid.UUID
	PersonID  uuid.UUID
	Route     plans.HowMet
	Status    RouteStatus
	CreatedAt time.Time
	MetAt     *time.Time
	MetBy     *uuid.UUID
	EndedAt   *time.Time
	EndReason string
	UpdatedAt time.Time
}

// meet records the route in place. Only an awaiting route can be; anything
// else is Conflict.
func (r *referral) meet(by *uuid.UUID, now time.Time) error {
	if r.Status != RouteAwaiting {
		return errs.Conflictf("this %s is %s, not awaiting", r.Route.Label(), r.Status)
	}
	r.Status, r.MetAt, r.MetBy, r.UpdatedAt = RouteMet, &now, by, now
	return nil
}

// end stops the route, with a reason. Ending an ended route is Conflict.
func (r *referral) end(now time.Time, reason string) error {
	if r.Status == RouteEnded {
		return errs.Conflictf("this %s already ended on %s", r.Route.Label(), r.EndedAt.Format("2 January 2006"))
	}
	r.Status, r.EndedAt, r.EndReason, r.UpdatedAt = RouteEnded, &now, reason, now
	return nil
}

// routeStatusFilter defaults a route list's status filter to awaiting and
// refuses an unknown one: Invalid naming "status".
func routeStatusFilter(st *RouteStatus) error {
	switch *st {
	case "":
		*st = RouteAwaiting
	case RouteAwaiting, RouteMet, RouteEnded, "all":
	default:
		return errs.InvalidField("status", "must be awaiting, met, ended or all")
	}
	return nil
}
