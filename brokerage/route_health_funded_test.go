package brokerage

import (
	"testing"

	"github.com/carebroker/carebroker/plans"
)

// A need met by NHS-funded care is accepted, signed off into the health
// team's hands and shown as not yet met until confirmed.
func TestANeedMetByNHSFundedCareWaitsForTheHealthTeam(t *testing.T) {
	f := newFixture(t)
	p := f.practitioner("community_led_support")
	person := f.person(p, "Hana Health")
	plan, err := f.svc.Plans().SubmitPlan(ctx, p, plans.NewPlan{PersonID: person.ID, PlanContent: plans.PlanContent{
		PersonalBudgetWeeklyPence: 10000,
		Needs:                     []plans.NewNeed{{Outcome: "Nursing at home funded by the NHS", HowMet: HealthFunded}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.SignOffPlan(ctx, p, plan.ID); err != nil {
		t.Fatal(err)
	}
	v, err := f.svc.PlanNeeds(ctx, p, plan.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := v.Needs[0]; n.State != NotYetMet || n.RouteLabel != "NHS-funded care" || n.Why != "NHS-funded care, waiting for the health team to confirm it" {
		t.Fatalf("need view: %+v", n)
	}
}
