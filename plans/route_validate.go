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

// validateRoute checks what need i's route needs beyond its shape: a direct
// payment's terms and legal restrictions, who arranges an alternative
// service and by when, what may be arranged under a carer's plan, and what
// a self-funder may use. at is the need's JSON path ("needs[2].").
func (p *PlanContent) validateRoute(i int, at string, today day.Date) error {
	n := &p.Needs[i]
	n.AlternativeArrangedBy = strings.TrimSpace(n.AlternativeArrangedBy)
	if n.PreviousNeedID != nil && p.Kind == CarersSupport {
		return errs.InvalidField(at+"previous_need_id", "a carer's support plan cannot follow on from another plan's need")
	}
	switch n.HowMet {
	case DirectPayment:
		switch {
		case p.SelfFunded:
			return errs.InvalidField(at+"how_met", "a self-funder pays for their own care; a direct payment is paid from a council personal budget")
		case n.DirectPayment == nil:
			return errs.InvalidField(at+"direct_payment", "is required for a direct payment: amount_pence, frequency and purchase, so the legal restrictions can be checked")
		case n.WeeklyBudgetPence <= 0:
			return errs.InvalidField(at+"weekly_budget_pence", "is required for a direct payment: the part of the personal budget, in pence a week, it comes from")
		}
		if err := n.DirectPayment.validate(at+"direct_payment.", n.WeeklyBudgetPence, n.ServiceType); err != nil {
			return err
		}
	case ISF:
		if p.SelfFunded {
			return errs.InvalidField(at+"how_met", "an individual service fund holds a council personal budget; a self-funder's need is council_arranged (the person pays)")
		}
	}
	if n.HowMet != DirectPayment && n.DirectPayment != nil {
		return errs.InvalidField(at+"direct_payment", "is only for a need met by a direct payment")
	}
	if n.HowMet == AlternativeService {
		switch {
		case n.AlternativeArrangedBy == "" || len(n.AlternativeArrangedBy) > 200:
			return errs.InvalidField(at+"alternative_arranged_by", "must say who arranges the service (the person, a family member, an advocate, the practitioner), in at most 200 characters")
		case n.AlternativeDueBy.IsZero():
			return errs.InvalidField(at+"alternative_due_by", "is required: the date by which the service should be in place, like 2026-12-01")
		case n.AlternativeDueBy.Before(today):
			return errs.InvalidField(at+"alternative_due_by", "must be today or later")
		}
	} else if n.AlternativeArrangedBy != "" || !n.AlternativeDueBy.IsZero() {
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
