package brokerage

import (
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/plans"
	"github.com/carebroker/carebroker/providers"
)

func TestWeeklyEquivalentOfEachFrequency(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		f      plans.PaymentFrequency
		amount int64
		want   int64
	}{
		{plans.PaidWeekly, 30000, 30000},
		{plans.PaidFourWeekly, 120000, 30000},
		{plans.PaidFourWeekly, 120002, 30001}, // rounded to the nearest penny
		{plans.PaidMonthly, 130000, 30000},    // 130000 * 12 / 52
		{plans.PaidMonthly, 100000, 23077},    // 23076.92...
		{"fortnightly", 60000, 0},
	} {
		if got := c.f.WeeklyEquivalent(c.amount); got != c.want {
			t.Errorf("%d %s is %d a week, want %d", c.amount, c.f, got, c.want)
		}
	}
}

// TestEachRestrictionIsNamed checks the legal restrictions one by one,
// without a database: each refusal names its field and rule, each allowed
// exception is recorded as applying, and a payment no restriction touches
// records all five as checked and not applying.
func TestEachRestrictionIsNamed(t *testing.T) {
	t.Parallel()
	const at = "needs[0].direct_payment."
	base := func(p plans.Purchase) plans.DirectPaymentTerms {
		return plans.DirectPaymentTerms{AmountPence: 40000, Frequency: plans.PaidFourWeekly, Purchase: p}
	}
	stays := func(weeks, apart int) *plans.ShortStays {
		return &plans.ShortStays{MaxWeeks: weeks, WeeksBetween: apart}
	}
	for _, c := range []struct {
		name        string
		terms       plans.DirectPaymentTerms
		st          providers.ServiceType
		field, rule string // refused; empty when allowed
		applies     string // the rule recorded as applying, when allowed
	}{
		{"a care home for good", base(plans.BuysResidentialCare), "", at + "purchase", plans.RuleLongTermResidential, ""},
		{"nursing care by its service type", base(plans.BuysOther), "nursing_care", at + "purchase", plans.RuleLongTermResidential, ""},
		{"five-week stays", func() plans.DirectPaymentTerms {
			d := base(plans.BuysNursingCare)
			d.ShortStays = stays(5, 8)
			return d
		}(), "",
			at + "short_stays.max_weeks", plans.RuleLongTermResidential, ""},
		{"stays three weeks apart", func() plans.DirectPaymentTerms {
			d := base(plans.BuysResidentialCare)
			d.ShortStays = stays(4, 3)
			return d
		}(), "",
			at + "short_stays.weeks_between", plans.RuleLongTermResidential, ""},
		{"four-week stays four weeks apart", func() plans.DirectPaymentTerms {
			d := base(plans.BuysResidentialCare)
			d.ShortStays = stays(4, 4)
			return d
		}(), "",
			"", "", plans.RuleLongTermResidential},
		{"health care", base(plans.BuysHealthCare), "", at + "purchase", plans.RuleHealthCare, ""},
		{"a council's day centre", func() plans.DirectPaymentTerms { d := base(plans.BuysDayActivities); d.FromCouncil = true; return d }(), "",
			at + "from_council", plans.RuleCouncilService, ""},
		{"a wife in the household", func() plans.DirectPaymentTerms {
			d := base(plans.BuysPersonalAssistant)
			d.EmploysCloseRelativeInHousehold = true
			return d
		}(), "",
			at + "exceptional_circumstances_decision", plans.RuleCloseRelative, ""},
		{"a wife, with a decision", func() plans.DirectPaymentTerms {
			d := base(plans.BuysPersonalAssistant)
			d.EmploysCloseRelativeInHousehold, d.ExceptionalCircumstancesDecision = true, "Manager agreed: no one else speaks Welsh"
			return d
		}(), "", "", "", plans.RuleCloseRelative},
		{"a hoist", base(plans.BuysEquipment), "", at + "equipment_exception", plans.RuleEquipment, ""},
		{"a hoist, with an exception", func() plans.DirectPaymentTerms {
			d := base(plans.BuysEquipment)
			d.EquipmentException = "Not stocked"
			return d
		}(), "",
			"", "", plans.RuleEquipment},
		{"a personal assistant", base(plans.BuysPersonalAssistant), "", "", "", ""},
	} {
		terms := c.terms
		err := terms.Validate(at, 20000, c.st)
		if c.field != "" {
			if e := errs.As(err); e == nil || e.Code != errs.Invalid || e.Field != c.field || e.Rule != c.rule {
				t.Errorf("%s: got %#v, want Invalid %s under %s", c.name, e, c.field, c.rule)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: refused: %v", c.name, err)
			continue
		}
		rec := terms.Record(c.st)
		if len(rec.Restrictions) != 5 {
			t.Errorf("%s: %d restrictions recorded, want all 5", c.name, len(rec.Restrictions))
		}
		for _, r := range rec.Restrictions {
			if r.Applies != (r.Rule == c.applies) || r.Outcome == "" {
				t.Errorf("%s: %+v", c.name, r)
			}
		}
	}
}

func TestDirectPaymentTermsShape(t *testing.T) {
	t.Parallel()
	today := day.New(2026, 12, 1)
	for _, c := range []struct {
		field  string
		change func(n *plans.NewNeed)
	}{
		{"needs[2].direct_payment", func(n *plans.NewNeed) { n.DirectPayment = nil }},
		{"needs[2].direct_payment.amount_pence", func(n *plans.NewNeed) { n.DirectPayment.AmountPence = 0 }},
		{"needs[2].direct_payment.amount_pence", func(n *plans.NewNeed) { n.DirectPayment.AmountPence = 20004 * 4 }}, // over the weekly budget
		{"needs[2].direct_payment.frequency", func(n *plans.NewNeed) { n.DirectPayment.Frequency = "daily" }},
		{"needs[2].direct_payment.purchase", func(n *plans.NewNeed) { n.DirectPayment.Purchase = "holiday" }},
		{"needs[2].direct_payment.short_stays", func(n *plans.NewNeed) { n.DirectPayment.ShortStays = &plans.ShortStays{MaxWeeks: 1, WeeksBetween: 5} }},
		{"needs[2].weekly_budget_pence", func(n *plans.NewNeed) { n.WeeklyBudgetPence = 0 }},
		{"needs[0].direct_payment", func(n *plans.NewNeed) {}}, // set on the home care need below
	} {
		p := twoNeeds(uuid.New(), today).PlanContent
		if c.field == "needs[0].direct_payment" {
			p.Needs[0].DirectPayment = p.Needs[2].DirectPayment
		}
		c.change(&p.Needs[2])
		if e := errs.As(p.Validate("community_led_support", today)); e == nil || e.Field != c.field {
			t.Errorf("want Invalid naming %s, got %v", c.field, e)
		}
	}
	self := twoNeeds(uuid.New(), today).PlanContent
	self.SelfFunded = true
	if e := errs.As(self.Validate("community_led_support", today)); e == nil || e.Field != "needs[2].how_met" {
		t.Errorf("a self-funder's direct payment: %v", e)
	}
}
