package plans

import (
	"fmt"
	"strings"

	"github.com/carebroker/carebroker/internal/day"
)

// Route is one way of meeting a need (council-arranged, an individual
// service fund, a direct payment, ...), as the plan sees it: its name, its
// label, whether brokerage arranges it through a request, and what a need
// met this way must say beyond a need's common shape. brokerage's route
// type extends it with what the workflow does (start, state, end), and
// brokerage/routes.go registers every route, once, with Register.
type Route interface {
	// HowMet is the route's code, as plans and the API write it.
	HowMet() HowMet
	// Label names the route in sentences ("direct payment").
	Label() string
	// Arranged reports whether brokerage arranges it: a request to match
	// providers against, with a service type, hours or places, a start
	// date and an urgency.
	Arranged() bool
	// Validate checks (and tidies) what need n of plan p needs when met
	// this way; at is the need's JSON path ("needs[2]."). It returns
	// Invalid naming the field.
	Validate(p *PlanContent, n *NewNeed, at string, today day.Date) error
}

// routes are the registered routes, by code; order is their registration order.
var (
	routes = map[HowMet]Route{}
	order  []HowMet
)

// Register makes r a way of meeting a need. It panics if r's code is taken:
// each route is registered once, in brokerage/routes.go.
func Register(r Route) {
	if _, taken := routes[r.HowMet()]; taken {
		panic(fmt.Sprintf("plans: route %s registered twice", r.HowMet()))
	}
	routes[r.HowMet()] = r
	order = append(order, r.HowMet())
}

// RouteOf returns the route registered for h, or nil.
func RouteOf(h HowMet) Route { return routes[h] }

// Valid reports whether h is a registered way of meeting a need.
func (h HowMet) Valid() bool { return routes[h] != nil }

// Arranged reports whether brokerage arranges needs met this way.
func (h HowMet) Arranged() bool { return routes[h] != nil && routes[h].Arranged() }

// Label names h in sentences; an unknown code is itself.
func (h HowMet) Label() string {
	if r := routes[h]; r != nil {
		return r.Label()
	}
	return string(h)
}

// Routes lists the registered routes in the order they were registered.
func Routes() []Route {
	out := make([]Route, len(order))
	for i, h := range order {
		out[i] = routes[h]
	}
	return out
}

// routeCodes lists the registered codes, for an error message.
func routeCodes() string {
	codes := make([]string, len(order))
	for i, h := range order {
		codes[i] = string(h)
	}
	return strings.Join(codes, ", ")
}
