package brokerage

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/plans"
)

// route is one way of meeting a need, whole: what the plan asks of it
// (plans.Route: its code, label, whether brokerage arranges it, what a need
// met this way must say) and what the workflow does with it. Each route is
// one file (route_*.go) implementing it, and one line in routes below;
// nothing else decides by route. See doc.go for adding one.
type route interface {
	plans.Route
	// start begins meeting need n of plan p, just signed off at now, in tx.
	// An arranged route opens the need's request and returns it (setting
	// n.RequestID); any other finds its referral (need_referrals, written
	// just before as awaiting) and writes what its team works on.
	start(ctx context.Context, s *Service, tx *Store, a accounts.Actor, p plans.Plan, n *plans.Need, now time.Time) (*Request, error)
	// describe says in v whether the need is met, why, and what meets it,
	// from its arrangement x (x.Request for an arranged route, x.Referral
	// for the others).
	describe(ctx context.Context, s *Service, v *NeedView, x arrangement) error
	// ended is told, in tx, that the referral of need needID has ended for
	// reason, to stop what the route's team does (a direct payment's
	// payments and reviews).
	ended(ctx context.Context, s *Service, tx *Store, a accounts.Actor, needID uuid.UUID, reason string) error
}

// routes are every way of meeting a need, registered once with plans (which
// validates needs by them) in this order, the order error messages list
// them in.
var routes = registerRoutes(
	arrangedRoute{how: plans.CouncilArranged, label: "service arranged by the council", funding: CouncilFunded},
	arrangedRoute{how: plans.ISF, label: "individual service fund", funding: IndividualServiceFund,
		inPack: "Through an individual service fund managed by the provider"},
	directPaymentRoute{},
	ownResourcesRoute{},
	alternativeRoute{},
)

// registerRoutes registers rs with plans and returns them by code.
func registerRoutes(rs ...route) map[plans.HowMet]route {
	out := make(map[plans.HowMet]route, len(rs))
	for _, r := range rs {
		plans.Register(r)
		out[r.HowMet()] = r
	}
	return out
}

// routeOf returns the route of code h. Every need's code is a registered
// one (validated on the way in, and a CHECK constraint on plan_needs).
func routeOf(h plans.HowMet) route { return routes[h] }
