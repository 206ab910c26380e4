package plans

import (
	"fmt"
	"strings"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/money"
	"github.com/carebroker/carebroker/providers"
)

// MaxWeeklyPence bounds any weekly amount, to catch a budget typed in
// pence twice over (£20,000 a week is beyond any care package).
const MaxWeeklyPence = 2_000_000

// Validate tidies the plan and checks it as written by a practitioner of
// team on day today. It returns Invalid naming the first field that is
// wrong, as a JSON path such as "needs[1].service_type". A specialist
// service is refused unless team is one of accounts.SpecialistTeams. A
// direct payment that a legal restriction forbids is Invalid naming the
// field and the rule (see direct_payment.go).
func (p *PlanContent) Validate(team string, today day.Date) error {
	return p.ValidateKeeping(team, today, nil)
}

// ValidateKeeping is Validate, except that the needs whose index is in unchanged
// (needs a review carries over as they were, already checked when first
// recorded) are only counted towards the budget.
func (p *PlanContent) ValidateKeeping(team string, today day.Date, unchanged map[int]bool) error {
	if p.Kind == "" {
		p.Kind = CareAndSupport
	}
	p.HostArea = strings.TrimSpace(p.HostArea)
	switch {
	case p.Kind != CareAndSupport && p.Kind != CarersSupport:
		return errs.InvalidField("kind", "must be care_and_support or carers_support")
	case p.PersonalBudgetWeeklyPence < 0 || (p.PersonalBudgetWeeklyPence == 0 && !p.SelfFunded):
		return errs.InvalidField("personal_budget_weekly_pence", "must be more than 0 (pence a week); only a self-funder's plan may have none")
	case p.PersonalBudgetWeeklyPence > MaxWeeklyPence:
		return errs.InvalidField("personal_budget_weekly_pence", "must be at most %d (%s a week); amounts are in pence", MaxWeeklyPence, money.Format(MaxWeeklyPence))
	case p.ContingencyPence < 0:
		return errs.InvalidField("contingency_pence", "must not be negative")
	case p.ContingencyPence > p.PersonalBudgetWeeklyPence:
		return errs.InvalidField("contingency_pence", "must not be more than the personal budget")
	case p.OutOfArea && p.HostArea == "":
		return errs.InvalidField("host_area", "is required when the care is out of area: name the host council")
	case !p.OutOfArea && p.HostArea != "":
		return errs.InvalidField("host_area", "is only for out-of-area care; set out_of_area to true or leave it empty")
	case len(p.HostArea) > 200:
		return errs.InvalidField("host_area", "must be at most 200 characters")
	case len(p.Needs) == 0:
		return errs.InvalidField("needs", "a plan needs at least one eligible need")
	case len(p.Needs) > 30:
		return errs.InvalidField("needs", "a plan can have at most 30 needs")
	}
	if err := p.validateCarer(); err != nil {
		return err
	}
	var total int64
	for i := range p.Needs {
		total += p.Needs[i].WeeklyBudgetPence
		if unchanged[i] {
			continue
		}
		at := fmt.Sprintf("needs[%d].", i)
		if err := p.Needs[i].validate(at, team, today, p.SelfFunded); err != nil {
			return err
		}
		if err := p.validateRoute(i, at, today); err != nil {
			return err
		}
	}
	if total > p.PersonalBudgetWeeklyPence && !p.SelfFunded {
		return errs.InvalidField("needs", "the needs' weekly budgets add up to %s, more than the personal budget of %s",
			money.Format(total), money.Format(p.PersonalBudgetWeeklyPence))
	}
	return nil
}

func (n *NewNeed) validate(at, team string, today day.Date, selfFunded bool) error {
	n.Outcome = strings.TrimSpace(n.Outcome)
	n.AlternativeService = strings.TrimSpace(n.AlternativeService)
	if err := n.Preferences.validate(at + "preferences."); err != nil {
		return err
	}
	switch {
	case n.Outcome == "" || len(n.Outcome) > 2000:
		return errs.InvalidField(at+"outcome", "must say the outcome, in at most 2000 characters")
	case !n.HowMet.Valid():
		return errs.InvalidField(at+"how_met", "must be one of %s", routeCodes())
	case n.WeeklyBudgetPence < 0 || n.WeeklyBudgetPence > MaxWeeklyPence:
		return errs.InvalidField(at+"weekly_budget_pence", "must be between 0 and %d pence", MaxWeeklyPence)
	}
	if n.HowMet != AlternativeService && n.AlternativeService != "" {
		return errs.InvalidField(at+"alternative_service", "is only for needs met by an alternative service")
	}
	if !n.HowMet.Arranged() {
		for _, f := range []struct {
			name string
			set  bool
		}{
			{"hours_per_week", n.HoursPerWeek != 0}, {"places", n.Places != 0},
			{"start_date", !n.StartDate.IsZero()}, {"urgency", n.Urgency != ""},
		} {
			if f.set {
				return errs.InvalidField(at+f.name, "is only for needs the council arranges (council_arranged or individual_service_fund)")
			}
		}
		if n.ServiceType != "" && !n.ServiceType.Valid() {
			return errs.InvalidField(at+"service_type", "must be one of %s", providers.ServiceTypeCodes())
		}
		return nil
	}
	switch {
	case !n.ServiceType.Valid():
		return errs.InvalidField(at+"service_type", "must be one of %s", providers.ServiceTypeCodes())
	case n.ServiceType.Specialist() && !accounts.SpecialistTeams[team]:
		return errs.InvalidField(at+"service_type", "%s is a specialist service: only the life_planning and mental_health teams can request it, and this plan is from %s; consider a generic service first", n.ServiceType.Label(), team)
	case n.ServiceType.HourBased() && (n.HoursPerWeek < 1 || n.HoursPerWeek > 168):
		return errs.InvalidField(at+"hours_per_week", "%s is measured in hours: give 1 to 168 hours a week", n.ServiceType.Label())
	case n.ServiceType.HourBased() && n.Places != 0:
		return errs.InvalidField(at+"places", "%s is measured in hours a week, not places", n.ServiceType.Label())
	case !n.ServiceType.HourBased() && (n.Places < 1 || n.Places > 7):
		return errs.InvalidField(at+"places", "%s is measured in places: give 1 to 7", n.ServiceType.Label())
	case !n.ServiceType.HourBased() && n.HoursPerWeek != 0:
		return errs.InvalidField(at+"hours_per_week", "%s is measured in places, not hours", n.ServiceType.Label())
	case n.StartDate.IsZero():
		return errs.InvalidField(at+"start_date", "is required: the date the person wants the service to start, like 2026-12-01")
	case n.StartDate.Before(today):
		return errs.InvalidField(at+"start_date", "must be today or later")
	case !n.Urgency.Valid():
		return errs.InvalidField(at+"urgency", "must be urgent, interim or standard")
	case n.WeeklyBudgetPence <= 0 && !selfFunded:
		return errs.InvalidField(at+"weekly_budget_pence", "is required for an arranged need: the part of the personal budget, in pence a week, for it")
	}
	return nil
}

func (p *Preferences) validate(at string) error {
	p.Language = strings.TrimSpace(p.Language)
	p.CulturalNeeds = strings.TrimSpace(p.CulturalNeeds)
	p.ImportantToThem = strings.TrimSpace(p.ImportantToThem)
	switch {
	case p.CarerGender != "" && p.CarerGender != "female" && p.CarerGender != "male":
		return errs.InvalidField(at+"carer_gender", "must be female or male, or left empty for no preference")
	case len(p.Language) > 100:
		return errs.InvalidField(at+"language", "must be at most 100 characters")
	case len(p.CulturalNeeds) > 2000:
		return errs.InvalidField(at+"cultural_needs", "must be at most 2000 characters")
	case len(p.ImportantToThem) > 2000:
		return errs.InvalidField(at+"important_to_them", "must be at most 2000 characters")
	}
	return nil
}
