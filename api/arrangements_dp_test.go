package api

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// dpNeed is a plan with one direct payment need buying what terms say.
func dpPlan(personID string, terms map[string]any, extra map[string]any) map[string]any {
	need := map[string]any{"outcome": "Choose and pay for her own support", "how_met": "direct_payment", "weekly_budget_pence": 30000,
		"direct_payment": terms}
	for k, v := range extra {
		need[k] = v
	}
	return map[string]any{"person_id": personID, "personal_budget_weekly_pence": 30000, "needs": []map[string]any{need}}
}

func terms(purchase string, more map[string]any) map[string]any {
	t := map[string]any{"amount_pence": 100000, "frequency": "four_weekly", "purchase": purchase}
	for k, v := range more {
		t[k] = v
	}
	return t
}

// TestEachDirectPaymentRestrictionRefusesWithItsRule is issue 9's second
// "done when": each legal restriction on what a direct payment buys
// refuses the need when it is recorded, with a 400 naming the field and
// the rule, and writes nothing; the allowed exceptions are recorded with
// the restriction that applied. A carer's direct payment follows the same
// path.
func TestEachDirectPaymentRestrictionRefusesWithItsRule(t *testing.T) {
	t.Parallel()
	w := newArrWorld(t)
	personID, _ := w.person("Dora Direct")
	const at = "needs[0].direct_payment."
	for _, c := range []struct {
		name, field, rule string
		terms             map[string]any
		extra             map[string]any
	}{
		{"long-term residential care", at + "purchase", "long_term_residential_care", terms("residential_care", nil), nil},
		{"long-term nursing care by service type", at + "purchase", "long_term_residential_care", terms("other", nil),
			map[string]any{"service_type": "nursing_care"}},
		{"stays longer than four weeks", at + "short_stays.max_weeks", "long_term_residential_care",
			terms("residential_care", map[string]any{"short_stays": map[string]any{"max_weeks": 6, "weeks_between": 8}}), nil},
		{"stays closer than four weeks apart", at + "short_stays.weeks_between", "long_term_residential_care",
			terms("nursing_care", map[string]any{"short_stays": map[string]any{"max_weeks": 2, "weeks_between": 3}}), nil},
		{"health care", at + "purchase", "health_care", terms("health_care", nil), nil},
		{"a council's own services", at + "from_council", "council_service", terms("day_activities", map[string]any{"from_council": true}), nil},
		{"a close relative in the household", at + "exceptional_circumstances_decision", "close_relative_in_household",
			terms("personal_assistant", map[string]any{"employs_close_relative_in_household": true}), nil},
		{"equipment", at + "equipment_exception", "equipment", terms("equipment", nil), nil},
	} {
		before := w.count("plans", "person_id = ?", personID)
		r := w.do("POST", "/api/v1/plans", w.prac, dpPlan(personID, c.terms, c.extra))
		wantProblem(t, r, http.StatusBadRequest, c.field)
		if p := decode[Problem](t, r); p.Rule != c.rule || !strings.Contains(p.Detail, "direct payment") {
			t.Errorf("%s: refused under rule %q (%s), want %q", c.name, p.Rule, p.Detail, c.rule)
		}
		if after := w.count("plans", "person_id = ?", personID); after != before {
			t.Errorf("%s: a refused plan was written", c.name)
		}
	}

	// The exceptions the law allows are recorded with the rule that applied.
	allowed := map[string]any{"person_id": personID, "personal_budget_weekly_pence": 90000, "needs": []map[string]any{
		{"outcome": "A week's break in a care home now and then", "how_met": "direct_payment", "weekly_budget_pence": 30000,
			"direct_payment": terms("residential_care", map[string]any{"short_stays": map[string]any{"max_weeks": 2, "weeks_between": 6}})},
		{"outcome": "Her husband's sister, who lives with her, cares for her", "how_met": "direct_payment", "weekly_budget_pence": 30000,
			"direct_payment": terms("personal_assistant", map[string]any{"employs_close_relative_in_household": true,
				"exceptional_circumstances_decision": "Agreed by J Smith, service manager, 1 Dec: no other carer speaks her language"})},
		{"outcome": "A riser-recliner chair", "how_met": "direct_payment", "weekly_budget_pence": 30000,
			"direct_payment": terms("equipment", map[string]any{"equipment_exception": "The community equipment service has none"})},
	}}
	planID, _ := w.signOff(allowed)
	v := w.needs(planID, w.prac)
	for i, rule := range []string{"long_term_residential_care", "close_relative_in_household", "equipment"} {
		var applied bool
		for _, c := range v.Needs[i].DirectPayment.Restrictions {
			applied = applied || (c.Rule == rule && c.Applies && strings.HasPrefix(c.Outcome, "allowed"))
		}
		if !applied || len(v.Needs[i].DirectPayment.Restrictions) != 5 {
			t.Errorf("need %d does not record %s as applying and allowed: %+v", i, rule, v.Needs[i].DirectPayment.Restrictions)
		}
	}
	// The database refuses a forbidden direct payment even if the code let one through.
	draftOf, _ := w.person("Dinah Draft")
	r := w.do("POST", "/api/v1/plans", w.prac, dpPlan(draftOf, terms("other", nil), nil))
	wantStatus(t, r, http.StatusCreated)
	err := w.srv.DB.Gorm(context.Background()).Exec(`INSERT INTO plan_needs (plan_id, position, outcome, how_met, weekly_budget_pence, direct_payment)
		VALUES (?, 9, 'x', 'direct_payment', 100, '{"purchase": "health_care"}')`, r.json(t)["id"]).Error
	if err == nil || !strings.Contains(err.Error(), "plan_needs_direct_payment_restrictions") {
		t.Fatalf("the database accepted a direct payment for health care: %v", err)
	}

	// A carer's direct payment follows the same path: refused under the
	// same rules, and otherwise in the direct payment team's queue.
	carerID, _ := w.person("Colin Carer")
	cared, _ := w.person("Cara Cared-For")
	carerPlan := func(purchase string) map[string]any {
		return map[string]any{"person_id": carerID, "kind": "carers_support", "cared_for_person_id": cared, "personal_budget_weekly_pence": 5000,
			"needs": []map[string]any{{"outcome": "A break from caring: a gym membership", "how_met": "direct_payment", "weekly_budget_pence": 5000,
				"direct_payment": map[string]any{"amount_pence": 20000, "frequency": "four_weekly", "purchase": purchase}}}}
	}
	r = w.do("POST", "/api/v1/plans", w.prac, carerPlan("health_care"))
	wantProblem(t, r, http.StatusBadRequest, at+"purchase")
	if decode[Problem](t, r).Rule != "health_care" {
		t.Fatalf("a carer's direct payment for health care: %s", r.Body)
	}
	carersPlanID, _ := w.signOff(carerPlan("other"))
	dp := w.needs(carersPlanID, w.prac).Needs[0].DirectPaymentID
	r = w.do("GET", "/api/v1/direct-payments/"+dp, w.dpTeam, nil)
	wantStatus(t, r, http.StatusOK)
	if got := r.json(t); got["for_carer"] != true || got["person_id"] != carerID || got["status"] != "awaiting" {
		t.Fatalf("the carer's direct payment in the queue: %s", r.Body)
	}
}

// TestDirectPaymentMonitoringReclaimsAndTriggersAReview: recording a
// year's spend against the plan; money unspent beyond four weeks of
// payments is to be reclaimed, which tells finance and raises a review of
// the plan on the practitioner's list; a period within the contingency
// raises nothing.
func TestDirectPaymentMonitoringReclaimsAndTriggersAReview(t *testing.T) {
	t.Parallel()
	w := newArrWorld(t)
	personID, _ := w.person("Molly Monitored")
	planID, _ := w.signOff(dpPlan(personID, map[string]any{"amount_pence": 30000, "frequency": "weekly", "purchase": "personal_assistant"}, nil))
	dp := w.needs(planID, w.prac).Needs[0].DirectPaymentID
	mon := func(from, to string, paid, spent int) response {
		return w.do("POST", "/api/v1/direct-payments/"+dp+"/monitoring", w.dpTeam,
			map[string]any{"period_from": from, "period_to": to, "paid_pence": paid, "spent_pence": spent, "note": "bank statements seen"})
	}
	// Not set up yet: nothing to monitor.
	wantProblem(t, mon(w.startIn(-10), w.startIn(0), 0, 0), http.StatusConflict, "")
	wantStatus(t, w.do("POST", "/api/v1/direct-payments/"+dp+"/set-up", w.prac, map[string]any{"first_payment_on": w.startIn(0), "payment_reference": "DP-7"}), http.StatusOK)
	w.clock.advance(364)
	from, to := w.startIn(-364), w.startIn(0)
	wantProblem(t, mon(to, from, 0, 0), http.StatusBadRequest, "period_to")
	wantProblem(t, mon(from, w.startIn(1), 0, 0), http.StatusBadRequest, "period_to")
	wantProblem(t, mon(from, to, -1, 0), http.StatusBadRequest, "paid_pence")

	// 52 weeks at £300 paid, £14,000 spent: £1,600 unspent, £400 beyond the
	// £1,200 contingency (four weeks) to reclaim.
	r := mon(from, to, 52*30000, 1400000)
	wantStatus(t, r, http.StatusCreated)
	m := r.json(t)
	if m["expected_pence"] != float64(52*30000) || m["unspent_pence"] != float64(160000) || m["contingency_pence"] != float64(120000) ||
		m["reclaim_pence"] != float64(40000) || m["review_task_id"] == nil {
		t.Fatalf("monitoring: %s", r.Body)
	}
	wantProblem(t, mon(w.startIn(-30), to, 0, 0), http.StatusConflict, "") // overlaps
	if n := w.count("notifications", "kind = 'direct_payment.reclaim' AND audience_kind = 'finance'"); n != 1 {
		t.Fatalf("%d reclaim notifications for finance, want 1", n)
	}
	reviews := decode[struct {
		Items []struct {
			ID   string `json:"id"`
			Kind string `json:"kind"`
		} `json:"items"`
	}](t, w.do("GET", "/api/v1/reviews", w.prac, nil))
	var found bool
	for _, rv := range reviews.Items {
		found = found || (rv.ID == m["review_task_id"] && rv.Kind == "plan_review")
	}
	if !found {
		t.Fatalf("the reclaim's review is not on the practitioner's list: %+v", reviews)
	}
	// Another year within the contingency: nothing to reclaim, no review.
	w.clock.advance(365)
	r = mon(to, w.startIn(0), 52*30000, 52*30000-100000)
	wantStatus(t, r, http.StatusCreated)
	if got := r.json(t); got["reclaim_pence"] != float64(0) || got["review_task_id"] != nil {
		t.Fatalf("a year within the contingency: %s", r.Body)
	}
	if n := w.count("review_tasks", "kind = 'plan_review'"); n != 1 {
		t.Fatalf("%d plan reviews, want 1", n)
	}
}
