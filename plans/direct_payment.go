package plans

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/money"
	"github.com/carebroker/carebroker/providers"
)

// PaymentFrequency is how often a direct payment is paid.
type PaymentFrequency string

// The frequencies.
const (
	PaidWeekly     PaymentFrequency = "weekly"
	PaidFourWeekly PaymentFrequency = "four_weekly"
	PaidMonthly    PaymentFrequency = "monthly"
)

// WeeklyEquivalent is what amount paid at frequency f comes to a week,
// rounded to the nearest penny: a four-weekly amount over 4, a monthly one
// times 12 over 52. Unknown frequencies give 0.
func (f PaymentFrequency) WeeklyEquivalent(amount int64) int64 {
	switch f {
	case PaidWeekly:
		return amount
	case PaidFourWeekly:
		return (amount + 2) / 4
	case PaidMonthly:
		return (amount*12 + 26) / 52
	}
	return 0
}

// Label is the frequency as people read it: "every four weeks".
func (f PaymentFrequency) Label() string {
	switch f {
	case PaidWeekly:
		return "every week"
	case PaidFourWeekly:
		return "every four weeks"
	case PaidMonthly:
		return "every month"
	}
	return string(f)
}

// Purchase is what a direct payment buys.
type Purchase string

// The purchases. Long-term residential and nursing care, health care, and
// equipment are restricted by law (see the rules below).
const (
	BuysPersonalAssistant Purchase = "personal_assistant" // employing a personal assistant
	BuysCareAgency        Purchase = "care_agency"        // care from a registered agency
	BuysDayActivities     Purchase = "day_activities"     // activities, clubs, day opportunities
	BuysResidentialCare   Purchase = "residential_care"   // only short stays
	BuysNursingCare       Purchase = "nursing_care"       // only short stays
	BuysHealthCare        Purchase = "health_care"        // never
	BuysEquipment         Purchase = "equipment"          // only with a recorded exception
	BuysOther             Purchase = "other"
)

var purchases = []Purchase{BuysPersonalAssistant, BuysCareAgency, BuysDayActivities, BuysResidentialCare,
	BuysNursingCare, BuysHealthCare, BuysEquipment, BuysOther}

// The legal restrictions on what a direct payment may buy (Care and Support
// (Direct Payments) Regulations 2014; seed 003, section 7.4). A refusal
// names one of these as the problem's rule.
const (
	RuleLongTermResidential = "long_term_residential_care"
	RuleHealthCare          = "health_care"
	RuleCouncilService      = "council_service"
	RuleCloseRelative       = "close_relative_in_household"
	RuleEquipment           = "equipment"
)

// Short stays in a care home are the only residential or nursing care a
// direct payment may buy: each at most four weeks, at least four weeks apart.
const (
	maxShortStayWeeks    = 4
	minWeeksBetweenStays = 4
)

// ShortStays describes short stays in a care home bought with a direct payment.
type ShortStays struct {
	MaxWeeks     int `json:"max_weeks"`     // the longest single stay, in weeks
	WeeksBetween int `json:"weeks_between"` // the shortest gap between stays, in weeks
}

// DirectPaymentTerms is what a practitioner records for a need met by a
// direct payment.
type DirectPaymentTerms struct {
	AmountPence int64            `json:"amount_pence"` // each payment
	Frequency   PaymentFrequency `json:"frequency"`
	Purchase    Purchase         `json:"purchase"`
	// ShortStays is required when the payment buys residential or nursing care.
	ShortStays *ShortStays `json:"short_stays,omitempty"`
	// FromCouncil: the service would be bought from this or another council.
	FromCouncil bool `json:"from_council"`
	// EmploysCloseRelativeInHousehold: the payment employs a spouse, partner
	// or close relative living in the same household.
	EmploysCloseRelativeInHousehold bool `json:"employs_close_relative_in_household"`
	// ExceptionalCircumstancesDecision records who decided, when and why,
	// that employing that relative is allowed.
	ExceptionalCircumstancesDecision string `json:"exceptional_circumstances_decision"`
	// EquipmentException records the decision that equipment may be bought.
	EquipmentException string `json:"equipment_exception"`
}

// RestrictionCheck is one legal restriction as checked for a direct payment:
// whether it applies and, if so, what allowed the payment.
type RestrictionCheck struct {
	Rule    string `json:"rule"`
	Applies bool   `json:"applies"`
	Outcome string `json:"outcome"`
}

// DirectPaymentRecord is a need's direct payment as kept with the plan: the
// terms and every restriction as checked when the need was recorded.
type DirectPaymentRecord struct {
	DirectPaymentTerms
	WeeklyEquivalentPence int64              `json:"weekly_equivalent_pence"`
	Restrictions          []RestrictionCheck `json:"restrictions"`
}

// Value stores the record as JSON (NULL for none).
func (r *DirectPaymentRecord) Value() (driver.Value, error) {
	if r == nil {
		return nil, nil
	}
	b, err := json.Marshal(r)
	return string(b), err
}

// Scan reads the record from its JSON column.
func (r *DirectPaymentRecord) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*r = DirectPaymentRecord{}
		return nil
	case []byte:
		return json.Unmarshal(v, r)
	case string:
		return json.Unmarshal([]byte(v), r)
	}
	return fmt.Errorf("direct_payment: cannot read %T", src)
}

// Record returns the terms as kept with the plan, with the restrictions as
// they apply to them (nil terms give nil). Call it on checked terms.
func (t *DirectPaymentTerms) Record(st providers.ServiceType) *DirectPaymentRecord {
	if t == nil {
		return nil
	}
	checks, _ := t.check("", st)
	return &DirectPaymentRecord{DirectPaymentTerms: *t, WeeklyEquivalentPence: t.Frequency.WeeklyEquivalent(t.AmountPence), Restrictions: checks}
}

// terms returns the record's terms, as a practitioner would write them again.
func (r *DirectPaymentRecord) terms() *DirectPaymentTerms {
	if r == nil {
		return nil
	}
	t := r.DirectPaymentTerms
	if t.ShortStays != nil {
		s := *t.ShortStays
		t.ShortStays = &s
	}
	return &t
}

// Validate checks the terms of a direct payment meeting a need with the
// given weekly budget and service type, at JSON path at (ending in
// "direct_payment."). It returns Invalid naming the field, and for a legal
// restriction the rule too (errs.RefusedField).
func (t *DirectPaymentTerms) Validate(at string, weeklyBudget int64, st providers.ServiceType) error {
	t.ExceptionalCircumstancesDecision = strings.TrimSpace(t.ExceptionalCircumstancesDecision)
	t.EquipmentException = strings.TrimSpace(t.EquipmentException)
	weekly := t.Frequency.WeeklyEquivalent(t.AmountPence)
	switch {
	case t.AmountPence <= 0 || t.AmountPence > 5*MaxWeeklyPence:
		return errs.InvalidField(at+"amount_pence", "must be the amount of each payment, in pence, more than 0")
	case weekly == 0:
		return errs.InvalidField(at+"frequency", "must be weekly, four_weekly or monthly")
	case !validPurchase(t.Purchase):
		return errs.InvalidField(at+"purchase", "must be one of %s", purchaseList())
	case weekly > weeklyBudget:
		return errs.InvalidField(at+"amount_pence", "%s %s is %s a week, more than the need's weekly budget of %s",
			money.Format(t.AmountPence), t.Frequency.Label(), money.Format(weekly), money.Format(weeklyBudget))
	case len(t.ExceptionalCircumstancesDecision) > 2000:
		return errs.InvalidField(at+"exceptional_circumstances_decision", "must be at most 2000 characters")
	case len(t.EquipmentException) > 2000:
		return errs.InvalidField(at+"equipment_exception", "must be at most 2000 characters")
	case t.ShortStays != nil && !t.buysResidential(st):
		return errs.InvalidField(at+"short_stays", "is only for a direct payment that buys short stays in a care home")
	}
	_, err := t.check(at, st)
	return err
}

// buysResidential reports whether the payment buys care in a care home,
// by what it says it buys or by the need's service type.
func (t *DirectPaymentTerms) buysResidential(st providers.ServiceType) bool {
	switch st {
	case providers.ResidentialCare, providers.NursingCare, providers.SpecialistResidentialNursing:
		return true
	}
	return t.Purchase == BuysResidentialCare || t.Purchase == BuysNursingCare
}

// check applies the legal restrictions in order and returns each as it
// applies, or the first refusal: Invalid naming the field and the rule.
func (t *DirectPaymentTerms) check(at string, st providers.ServiceType) ([]RestrictionCheck, error) {
	var checks []RestrictionCheck
	add := func(rule string, applies bool, outcome string) {
		checks = append(checks, RestrictionCheck{Rule: rule, Applies: applies, Outcome: outcome})
	}
	if t.buysResidential(st) {
		s := t.ShortStays
		switch {
		case s == nil:
			return nil, errs.RefusedField(at+"purchase", RuleLongTermResidential,
				"a direct payment cannot buy long-term residential or nursing care; it can buy short stays of up to %d weeks, at least %d weeks apart: give short_stays",
				maxShortStayWeeks, minWeeksBetweenStays)
		case s.MaxWeeks < 1 || s.MaxWeeks > maxShortStayWeeks:
			return nil, errs.RefusedField(at+"short_stays.max_weeks", RuleLongTermResidential,
				"a stay of %d weeks is long-term residential care, which a direct payment cannot buy: each stay must be 1 to %d weeks",
				s.MaxWeeks, maxShortStayWeeks)
		case s.WeeksBetween < minWeeksBetweenStays:
			return nil, errs.RefusedField(at+"short_stays.weeks_between", RuleLongTermResidential,
				"stays %d weeks apart amount to long-term residential care: a direct payment buys short stays at least %d weeks apart",
				s.WeeksBetween, minWeeksBetweenStays)
		}
		add(RuleLongTermResidential, true, fmt.Sprintf("allowed: short stays of up to %d weeks, at least %d weeks apart", s.MaxWeeks, s.WeeksBetween))
	} else {
		add(RuleLongTermResidential, false, "does not apply: no care home stays")
	}
	if t.Purchase == BuysHealthCare {
		return nil, errs.RefusedField(at+"purchase", RuleHealthCare,
			"a direct payment cannot pay for health care: that is for the NHS to arrange (record it as an alternative service, health)")
	}
	add(RuleHealthCare, false, "does not apply: not health care")
	if t.FromCouncil {
		return nil, errs.RefusedField(at+"from_council", RuleCouncilService,
			"a direct payment cannot buy services from this or another council: the council can arrange them instead (council_arranged)")
	}
	add(RuleCouncilService, false, "does not apply: not bought from a council")
	if t.EmploysCloseRelativeInHousehold {
		if t.ExceptionalCircumstancesDecision == "" {
			return nil, errs.RefusedField(at+"exceptional_circumstances_decision", RuleCloseRelative,
				"a direct payment cannot employ a spouse, partner or close relative living in the same household unless exceptional circumstances are decided: record the decision (who, when, why)")
		}
		add(RuleCloseRelative, true, "allowed by the recorded exceptional-circumstances decision")
	} else {
		add(RuleCloseRelative, false, "does not apply: no close relative in the household employed")
	}
	if t.Purchase == BuysEquipment {
		if t.EquipmentException == "" {
			return nil, errs.RefusedField(at+"equipment_exception", RuleEquipment,
				"a direct payment cannot buy equipment, which the community equipment service provides, unless an exception is recorded: record it")
		}
		add(RuleEquipment, true, "allowed by the recorded exception")
	} else {
		add(RuleEquipment, false, "does not apply: not equipment")
	}
	return checks, nil
}

func validPurchase(p Purchase) bool {
	for _, x := range purchases {
		if p == x {
			return true
		}
	}
	return false
}

func purchaseList() string {
	names := make([]string, len(purchases))
	for i, p := range purchases {
		names[i] = string(p)
	}
	return strings.Join(names, ", ")
}
