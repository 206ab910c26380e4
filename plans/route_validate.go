package plans

import (
	"strings"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/providers"
)

// carerServices are what the council arranges for the person cared for
// under a carer's support plan: respite, additional homecare, day services.
var carerServices = map[providers.ServiceType]bool{
	providers.Respite: true, providers.SpecialistRespite: true, providers.Homecare: true, providers.SpecialistHomecare: true,
	providers.DayServices: true, providers.SpecialistDayServices: true,
}

// validateCarer checks who a plan is for: a carer's support plan names the
// person cared for; a person's own plan does not.
func (p *PlanContent) validateCarer() error {
	switch {
	case p.Kind == CarersSupport && p.CaredForPersonID == nil:
		return errs.InvalidField("cared_for_person_id", "is required on a carer's support plan: the person cared for, for whom services are arranged")
	case p.Kind != CarersSupport && p.CaredForPersonID != nil:
		return errs.InvalidField("cared_for_person_id", "is only for a carer's support plan (kind carers_support)")
	}
	return nil
}

// validateRoute checks what need i's route needs beyond its shape (asking
// the route itself: a direct payment's terms and legal restrictions, who
// arranges an alternative service and by when, what a self-funder may
// use), that the fields of one route are not given for another, and what
// may be arranged under a carer's plan. at is the need's JSON path
// ("needs[2].").
func (p *PlanContent) validateRoute(i int, at string, today day.Date) error {
	n := &p.Needs[i]
	n.AlternativeArrangedBy = strings.TrimSpace(n.AlternativeArrangedBy)
	if n.PreviousNeedID != nil && p.Kind == CarersSupport {
		return errs.InvalidField(at+"previous_need_id", "a carer's support plan cannot follow on from another plan's need")
	}
	if err := RouteOf(n.HowMet).Validate(p, n, at, today); err != nil {
		return err
	}
	if n.HowMet != DirectPayment && n.DirectPayment != nil {
		return errs.InvalidField(at+"direct_payment", "is only for a need met by a direct payment")
	}
	if n.HowMet != AlternativeService && (n.AlternativeArrangedBy != "" || !n.AlternativeDueBy.IsZero()) {
		field := "alternative_arranged_by"
		if n.AlternativeArrangedBy == "" {
			field = "alternative_due_by"
		}
		return errs.InvalidField(at+field, "is only for a need met by an alternative service")
	}
	if p.Kind == CarersSupport && n.HowMet.Arranged() && !carerServices[n.ServiceType] {
		return errs.InvalidField(at+"service_type", "a carer's services other than a direct payment are arranged for the person cared for: respite, homecare or day services, not %s", n.ServiceType.Label())
	}
	return nil
}

// Content is the need as a practitioner would write it again.
func (n Need) Content() NewNeed {
	return NewNeed{
		Outcome: n.Outcome, HowMet: n.HowMet, WeeklyBudgetPence: n.WeeklyBudgetPence, ServiceType: n.ServiceType,
		HoursPerWeek: n.HoursPerWeek, Places: n.Places, StartDate: n.StartDate, Urgency: n.Urgency,
		AlternativeService: n.AlternativeService, Preferences: n.Preferences, PreviousNeedID: n.PreviousNeedID,
		DirectPayment: n.DirectPayment.terms(), AlternativeArrangedBy: n.AlternativeArrangedBy, AlternativeDueBy: n.AlternativeDueBy,
	}
}
