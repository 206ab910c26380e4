package plans_test

import (
	"testing"

	_ "github.com/carebroker/carebroker/brokerage" // registers the routes, as the binary does
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/plans"
)

// Every way of meeting a need the plan names is registered once, with a
// label, and only council-arranged and individual service fund needs are
// arranged through brokerage.
func TestEveryRouteIsRegisteredOnceWithItsLabel(t *testing.T) {
	want := map[plans.HowMet]struct {
		label    string
		arranged bool
	}{
		plans.CouncilArranged:    {"service arranged by the council", true},
		plans.ISF:                {"individual service fund", true},
		plans.DirectPayment:      {"direct payment", false},
		plans.OwnResources:       {"own resources", false},
		plans.AlternativeService: {"alternative service", false},
	}
	if got := len(plans.Routes()); got != len(want) {
		t.Errorf("%d routes registered, want %d", got, len(want))
	}
	for h, w := range want {
		r := plans.RouteOf(h)
		if r == nil || !h.Valid() {
			t.Errorf("%s is not registered", h)
			continue
		}
		if r.Label() != w.label || h.Label() != w.label || h.Arranged() != w.arranged {
			t.Errorf("%s: label %q arranged %v, want %q %v", h, r.Label(), h.Arranged(), w.label, w.arranged)
		}
	}
	if unknown := plans.HowMet("council"); unknown.Valid() || unknown.Arranged() || unknown.Label() != "council" {
		t.Errorf("an unknown code passes as a route")
	}
	defer func() {
		if recover() == nil {
			t.Error("registering a route's code twice did not panic")
		}
	}()
	plans.Register(plans.RouteOf(plans.DirectPayment))
}

// A plan naming an unknown route is refused naming the need's how_met and
// listing the registered codes in their order.
func TestAnUnknownRouteIsRefusedListingTheRoutes(t *testing.T) {
	today := day.New(2026, 12, 1)
	c := plans.PlanContent{PersonalBudgetWeeklyPence: 10000, Needs: []plans.NewNeed{{Outcome: "Company", HowMet: "council"}}}
	e := errs.As(c.Validate("community_led_support", today))
	if e == nil || e.Field != "needs[0].how_met" ||
		e.Message != "must be one of council_arranged, individual_service_fund, direct_payment, own_resources, alternative_service" {
		t.Fatalf("got %v", e)
	}
}
