package brokerage

import (
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/plans"
)

func TestPlanValidationNamesTheField(t *testing.T) {
	t.Parallel()
	today := day.New(2026, 12, 1)
	for _, c := range []struct {
		field  string
		change func(p *plans.PlanContent)
	}{
		{"kind", func(p *plans.PlanContent) { p.Kind = "holiday" }},
		{"personal_budget_weekly_pence", func(p *plans.PlanContent) { p.PersonalBudgetWeeklyPence = 0 }},
		{"personal_budget_weekly_pence", func(p *plans.PlanContent) { p.PersonalBudgetWeeklyPence = 60000 * 100 }},
		{"contingency_pence", func(p *plans.PlanContent) { p.ContingencyPence = -1 }},
		{"host_area", func(p *plans.PlanContent) { p.OutOfArea = true }},
		{"host_area", func(p *plans.PlanContent) { p.HostArea = "Cheshire East" }},
		{"needs", func(p *plans.PlanContent) { p.Needs = nil }},
		{"needs", func(p *plans.PlanContent) { p.Needs[0].WeeklyBudgetPence = 50000 }},
		{"needs[0].outcome", func(p *plans.PlanContent) { p.Needs[0].Outcome = "  " }},
		{"needs[1].how_met", func(p *plans.PlanContent) { p.Needs[1].HowMet = "council" }},
		{"needs[0].service_type", func(p *plans.PlanContent) { p.Needs[0].ServiceType = "gardening" }},
		{"needs[0].service_type", func(p *plans.PlanContent) { p.Needs[0].ServiceType = "supported_living" }},
		{"needs[0].hours_per_week", func(p *plans.PlanContent) { p.Needs[0].HoursPerWeek = 169 }},
		{"needs[0].places", func(p *plans.PlanContent) { p.Needs[0].Places = 1 }},
		{"needs[1].places", func(p *plans.PlanContent) { p.Needs[1].Places = 0 }},
		{"needs[1].hours_per_week", func(p *plans.PlanContent) { p.Needs[1].HoursPerWeek = 5 }},
		{"needs[0].start_date", func(p *plans.PlanContent) { p.Needs[0].StartDate = day.Date{} }},
		{"needs[0].start_date", func(p *plans.PlanContent) { p.Needs[0].StartDate = today.AddDays(-1) }},
		{"needs[1].urgency", func(p *plans.PlanContent) { p.Needs[1].Urgency = "asap" }},
		{"needs[1].weekly_budget_pence", func(p *plans.PlanContent) { p.Needs[1].WeeklyBudgetPence = 0 }},
		{"needs[0].preferences.carer_gender", func(p *plans.PlanContent) { p.Needs[0].Preferences.CarerGender = "any" }},
		{"needs[2].hours_per_week", func(p *plans.PlanContent) { p.Needs[2].HoursPerWeek = 3 }},
		{"needs[2].alternative_service", func(p *plans.PlanContent) { p.Needs[2].AlternativeService = "housing" }},
		{"needs[2].alternative_service", func(p *plans.PlanContent) { p.Needs[2].HowMet = plans.AlternativeService }},
	} {
		p := twoNeeds(uuid.New(), today).PlanContent
		c.change(&p)
		err := p.Validate("community_led_support", today)
		if e := errs.As(err); e == nil || e.Code != errs.Invalid || e.Field != c.field {
			t.Errorf("want Invalid naming %s, got %v", c.field, err)
		}
	}
	ok := twoNeeds(uuid.New(), today).PlanContent
	if err := ok.Validate("community_led_support", today); err != nil || ok.Kind != plans.CareAndSupport {
		t.Fatalf("a good plan: %v", err)
	}
}

func TestNewPersonValidation(t *testing.T) {
	t.Parallel()
	today := day.New(2026, 12, 1)
	lat, lon, far := 53.48, -2.24, 10.0
	for _, c := range []struct {
		field  string
		change func(n *plans.NewPerson)
	}{
		{"name", func(n *plans.NewPerson) { n.Name = "" }},
		{"date_of_birth", func(n *plans.NewPerson) { n.DateOfBirth = day.Date{} }},
		{"date_of_birth", func(n *plans.NewPerson) { n.DateOfBirth = today }},
		{"date_of_birth", func(n *plans.NewPerson) { n.DateOfBirth = day.New(1890, 1, 1) }},
		{"address", func(n *plans.NewPerson) { n.Address = " " }},
		{"postcode", func(n *plans.NewPerson) { n.Postcode = "12345" }},
		{"longitude", func(n *plans.NewPerson) { n.Longitude = nil }},
		{"longitude", func(n *plans.NewPerson) { n.Longitude = &far }},
	} {
		n := plans.NewPerson{Name: "Ada", DateOfBirth: day.New(1940, 1, 1), Address: "1 Street", Postcode: "m11ae", Latitude: &lat, Longitude: &lon}
		c.change(&n)
		if e := errs.As(n.Validate(today)); e == nil || e.Field != c.field {
			t.Errorf("want Invalid naming %s, got %v", c.field, e)
		}
	}
	n := plans.NewPerson{Name: " Ada ", DateOfBirth: day.New(1940, 1, 1), Address: "1 Street", Postcode: "m11ae"}
	if err := n.Validate(today); err != nil || n.Postcode != "M1 1AE" || n.Name != "Ada" || plans.PostcodeDistrict(n.Postcode) != "M1" {
		t.Fatalf("tidy: %+v %v", n, err)
	}
}
