package brokerage

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/plans"
	"github.com/carebroker/carebroker/providers"
)

// FuzzDirectPaymentTerms feeds direct payment terms, as a client would send
// them, through the check a plan makes. Whatever arrives: a refusal is
// Invalid and names a field under direct_payment (with one of the five
// rules, or none for a malformed value); terms that pass never break a
// legal restriction (the same conditions as the database's backstop), and
// record all five restrictions.
func FuzzDirectPaymentTerms(f *testing.F) {
	for _, seed := range []string{
		`{"amount_pence": 40000, "frequency": "four_weekly", "purchase": "personal_assistant"}`,
		`{"amount_pence": 40000, "frequency": "weekly", "purchase": "residential_care", "short_stays": {"max_weeks": 4, "weeks_between": 4}}`,
		`{"amount_pence": 1, "frequency": "monthly", "purchase": "nursing_care", "short_stays": {"max_weeks": 5, "weeks_between": 1}}`,
		`{"amount_pence": 100, "frequency": "weekly", "purchase": "equipment", "equipment_exception": " "}`,
		`{"amount_pence": 100, "frequency": "weekly", "purchase": "other", "employs_close_relative_in_household": true, "exceptional_circumstances_decision": "yes"}`,
		`{"amount_pence": 100, "frequency": "weekly", "purchase": "health_care", "from_council": true}`,
	} {
		f.Add([]byte(seed), "")
		f.Add([]byte(seed), "nursing_care")
	}
	rules := map[string]bool{"": true, plans.RuleLongTermResidential: true, plans.RuleHealthCare: true, plans.RuleCouncilService: true, plans.RuleCloseRelative: true, plans.RuleEquipment: true}
	f.Fuzz(func(t *testing.T, body []byte, serviceType string) {
		var terms plans.DirectPaymentTerms
		if json.Unmarshal(body, &terms) != nil {
			return
		}
		st := providers.ServiceType(serviceType)
		err := terms.Validate("direct_payment.", 1_000_000, st)
		if err != nil {
			e := errs.As(err)
			if e == nil || e.Code != errs.Invalid || !strings.HasPrefix(e.Field, "direct_payment.") || !rules[e.Rule] || e.Message == "" {
				t.Fatalf("refusal %#v", err)
			}
			return
		}
		residential := terms.Purchase == plans.BuysResidentialCare || terms.Purchase == plans.BuysNursingCare ||
			st == "residential_care" || st == "nursing_care" || st == "specialist_residential_nursing"
		switch {
		case terms.Purchase == plans.BuysHealthCare:
			t.Fatal("health care passed")
		case terms.FromCouncil:
			t.Fatal("a council's service passed")
		case residential && (terms.ShortStays == nil || terms.ShortStays.MaxWeeks < 1 || terms.ShortStays.MaxWeeks > 4 || terms.ShortStays.WeeksBetween < 4):
			t.Fatalf("long-term residential care passed: %+v", terms.ShortStays)
		case terms.EmploysCloseRelativeInHousehold && strings.TrimSpace(terms.ExceptionalCircumstancesDecision) == "":
			t.Fatal("a close relative in the household passed without a decision")
		case terms.Purchase == plans.BuysEquipment && strings.TrimSpace(terms.EquipmentException) == "":
			t.Fatal("equipment passed without an exception")
		}
		if rec := terms.Record(st); len(rec.Restrictions) != 5 {
			t.Fatalf("%d restrictions recorded", len(rec.Restrictions))
		}
	})
}
