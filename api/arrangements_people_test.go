package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestCarersServicesAreArrangedForThePersonCaredFor: a carer's support
// plan names the person cared for; the additional home care it arranges is
// a request and an agreement for that person, linked to the carer's plan,
// with the carer as their contact; respite, home care and day services are
// what may be arranged for a carer.
func TestCarersServicesAreArrangedForThePersonCaredFor(t *testing.T) {
	t.Parallel()
	w := newArrWorld(t)
	carerID, carerClient := w.person("Carl Carer")
	caredID, caredClient := w.person("Cath Cared-For")
	_, stranger := w.person("Stan Stranger")
	plan := map[string]any{"person_id": carerID, "kind": "carers_support", "cared_for_person_id": caredID, "personal_budget_weekly_pence": 20000,
		"needs": []map[string]any{homecare("Time off caring: homecare for his mother on Thursday afternoons", 4, 10000, w.startIn(10))}}
	wantProblem(t, w.do("POST", "/api/v1/plans", w.prac, withField[any](plan, "cared_for_person_id", nil)), http.StatusBadRequest, "cared_for_person_id")
	wantProblem(t, w.do("POST", "/api/v1/plans", w.prac, withField(plan, "cared_for_person_id", carerID)), http.StatusBadRequest, "cared_for_person_id")
	residential := withField(plan, "needs", []map[string]any{{"outcome": "x", "how_met": "council_arranged", "weekly_budget_pence": 10000,
		"service_type": "residential_care", "places": 1, "start_date": w.startIn(10), "urgency": "standard"}})
	wantProblem(t, w.do("POST", "/api/v1/plans", w.prac, residential), http.StatusBadRequest, "needs[0].service_type")
	otherTeamsPerson := func() string {
		r := w.do("POST", "/api/v1/persons", w.otherPrac, map[string]any{"name": "Other Team", "date_of_birth": "1950-01-01",
			"address": "1 Road", "postcode": "M41 9LT"})
		wantStatus(t, r, http.StatusCreated)
		return r.json(t)["id"].(string)
	}()
	wantProblem(t, w.do("POST", "/api/v1/plans", w.prac, withField(plan, "cared_for_person_id", otherTeamsPerson)), http.StatusNotFound, "cared_for_person_id")

	planID, requests := w.signOff(plan)
	r := w.do("GET", "/api/v1/requests/"+requests[0], w.broker, nil)
	if got := r.json(t); got["person_id"] != caredID || got["plan_id"] != planID {
		t.Fatalf("the carer's request is not for the person cared for, on the carer's plan: %s", r.Body)
	}
	wantProblem(t, w.do("GET", "/api/v1/requests/"+requests[0], stranger, nil), http.StatusNotFound, "")
	ag := w.agree(requests[0], caredClient, 4, w.startIn(10))
	pack, _ := json.Marshal(ag["information_pack"])
	if ag["person_id"] != caredID || ag["plan_id"] != planID || !strings.Contains(string(pack), "Carl Carer") ||
		!strings.Contains(string(pack), "carer's support plan") {
		t.Fatalf("the agreement: person %v plan %v pack %s", ag["person_id"], ag["plan_id"], pack)
	}
	// The carer sees their plan met, through the agreement for the person cared for.
	if v := w.needs(planID, carerClient); !v.AllNeedsMet || v.Needs[0].AgreementID != ag["id"] {
		t.Fatalf("the carer's plan: %+v", v)
	}
}

// TestSelfFundersUseBrokerageWithoutABudgetCap: a self-funder's plan has no
// personal budget; brokerage finds offers at any price without a budget
// approver; the agreement and finance's notification say the person pays
// and no financial assessment is needed; a direct payment or an individual
// service fund is refused (both are council money).
func TestSelfFundersUseBrokerageWithoutABudgetCap(t *testing.T) {
	t.Parallel()
	w := newArrWorld(t)
	personID, client := w.person("Sally Self-Funder")
	plan := map[string]any{"person_id": personID, "self_funded": true, "personal_budget_weekly_pence": 0,
		"needs": []map[string]any{homecare("Help each morning", 20, 0, w.startIn(10))}}
	dp := withField(plan, "needs", []map[string]any{{"outcome": "x", "how_met": "direct_payment", "weekly_budget_pence": 1000,
		"direct_payment": map[string]any{"amount_pence": 1000, "frequency": "weekly", "purchase": "other"}}})
	wantProblem(t, w.do("POST", "/api/v1/plans", w.prac, dp), http.StatusBadRequest, "needs[0].how_met")
	isf := withField(plan, "needs", []map[string]any{withField(homecare("x", 20, 0, w.startIn(10)), "how_met", "individual_service_fund")})
	wantProblem(t, w.do("POST", "/api/v1/plans", w.prac, isf), http.StatusBadRequest, "needs[0].how_met")
	wantProblem(t, w.do("POST", "/api/v1/plans", w.prac, withField(plan, "self_funded", false)), http.StatusBadRequest, "personal_budget_weekly_pence")

	_, requests := w.signOff(plan)
	r := w.do("GET", "/api/v1/requests/"+requests[0], w.broker, nil)
	if got := r.json(t); got["funding"] != "self_funded" || got["budget_weekly_pence"] != float64(0) {
		t.Fatalf("the self-funder's request: %s", r.Body)
	}
	ag := w.agree(requests[0], client, 20, w.startIn(10)) // £480 a week: no cap, no approver
	if ag["funding"] != "self_funded" || ag["payer"] != "person" {
		t.Fatalf("the agreement: %v", ag)
	}
	var note struct {
		Body string
		Data string
	}
	w.srv.DB.Gorm(context.Background()).Raw(`SELECT body, data::text AS data FROM notifications WHERE agreement_id = ? AND audience_kind = 'finance'`, ag["id"]).Scan(&note)
	if !strings.Contains(note.Body, "the person pays the provider; no financial assessment") ||
		!strings.Contains(note.Data, `"payer": "person"`) || !strings.Contains(note.Data, `"financial_assessment_needed": false`) {
		t.Fatalf("finance's notification: %+v", note)
	}
}

// TestOutOfAreaPlacementsAreFlaggedWithTheirHostArea: the flag and the host
// council go from the plan to the request, the agreement and finance.
func TestOutOfAreaPlacementsAreFlaggedWithTheirHostArea(t *testing.T) {
	t.Parallel()
	w := newArrWorld(t)
	personID, client := w.person("Olive Out-of-Area")
	plan := map[string]any{"person_id": personID, "personal_budget_weekly_pence": 30000, "out_of_area": true, "host_area": "Cheshire East",
		"needs": []map[string]any{homecare("Care near her sister in Macclesfield", 10, 26000, w.startIn(10))}}
	wantProblem(t, w.do("POST", "/api/v1/plans", w.prac, withField(plan, "host_area", "")), http.StatusBadRequest, "host_area")
	planID, requests := w.signOff(plan)
	r := w.do("GET", "/api/v1/requests/"+requests[0], w.broker, nil)
	if got := r.json(t); got["out_of_area"] != true || got["host_area"] != "Cheshire East" {
		t.Fatalf("the request: %s", r.Body)
	}
	ag := w.agree(requests[0], client, 10, w.startIn(10))
	if ag["out_of_area"] != true || ag["host_area"] != "Cheshire East" {
		t.Fatalf("the agreement: %v", ag)
	}
	var body string
	w.srv.DB.Gorm(context.Background()).Raw(`SELECT body FROM notifications WHERE agreement_id = ? AND audience_kind = 'finance'`, ag["id"]).Scan(&body)
	if !strings.Contains(body, "Out-of-area placement: host area Cheshire East") {
		t.Fatalf("finance's notification: %s", body)
	}
	if v := w.needs(planID, w.prac); !strings.Contains(v.Needs[0].Why, "out of area in Cheshire East") {
		t.Fatalf("the plan view: %q", v.Needs[0].Why)
	}
}

// TestProfessionalSupportIsRecordedAgainstThePersonAndReviewed: support a
// practitioner gives personally is visible on the person's record (to the
// person too), kept with proportionate records, and reviewed: the review is
// on the practitioner's list, completing it schedules the next a year on,
// and ending the support cancels its reviews.
func TestProfessionalSupportIsRecordedAgainstThePersonAndReviewed(t *testing.T) {
	t.Parallel()
	w := newArrWorld(t)
	personID, client := w.person("Pat Professional")
	_, otherClient := w.person("Someone Else")
	path := "/api/v1/persons/" + personID + "/professional-support"
	support := map[string]any{"kind": "wellbeing_visits", "description": "Fortnightly visits while her husband is in hospital",
		"agreed_with": "Jo Bloggs, team manager", "starts_on": w.startIn(0), "review_by": w.startIn(90)}
	wantProblem(t, w.do("POST", path, w.prac, withField(support, "kind", "gardening")), http.StatusBadRequest, "kind")
	wantProblem(t, w.do("POST", path, w.prac, withField(support, "agreed_with", "")), http.StatusBadRequest, "agreed_with")
	wantProblem(t, w.do("POST", path, w.prac, withField(support, "review_by", w.startIn(400))), http.StatusBadRequest, "review_by")
	wantProblem(t, w.do("POST", path, w.otherPrac, support), http.StatusNotFound, "")
	r := w.do("POST", path, w.prac, support)
	wantStatus(t, r, http.StatusCreated)
	id := r.json(t)["id"].(string)
	wantStatus(t, w.do("POST", "/api/v1/professional-support/"+id+"/records", w.prac, map[string]any{"on": w.startIn(0), "note": "Visited; she is coping"}), http.StatusCreated)
	wantProblem(t, w.do("POST", "/api/v1/professional-support/"+id+"/records", w.prac, map[string]any{"on": w.startIn(1), "note": "x"}), http.StatusBadRequest, "on")
	// Visible on the person's record, to the person too; not to others.
	r = w.do("GET", path, client, nil)
	if items := string(mustItems(t, r)); !strings.Contains(items, id) || !strings.Contains(items, "she is coping") {
		t.Fatalf("the person's record: %s", r.Body)
	}
	wantProblem(t, w.do("GET", path, otherClient, nil), http.StatusNotFound, "")
	// Reviewed: on the practitioner's list, due on the date given.
	var review reviewItem
	for _, rv := range w.reviews("open") {
		if rv.Kind == "support_review" {
			review = rv
		}
	}
	if review.DueBy != w.startIn(90) {
		t.Fatalf("the support's review: %+v", review)
	}
	// A review of professional support does not change a plan.
	wantProblem(t, w.do("POST", "/api/v1/reviews/"+review.ID+"/plan-change", w.prac, map[string]any{"outcome": "x", "plan": map[string]any{}}), http.StatusConflict, "")
	wantStatus(t, w.do("POST", "/api/v1/reviews/"+review.ID+"/complete", w.prac, map[string]any{"outcome": "Still needed until he is home"}), http.StatusOK)
	var next reviewItem
	for _, rv := range w.reviews("open") {
		if rv.Kind == "support_review" {
			next = rv
		}
	}
	if next.ID == "" || next.DueBy <= review.DueBy {
		t.Fatalf("no next review after completing one: %+v", next)
	}
	r = w.do("POST", "/api/v1/professional-support/"+id+"/end", w.prac, map[string]any{"reason": "Her husband is home"})
	wantStatus(t, r, http.StatusOK)
	for _, rv := range w.reviews("open") {
		if rv.Kind == "support_review" {
			t.Fatalf("a review of ended support is still open: %+v", rv)
		}
	}
	wantProblem(t, w.do("POST", "/api/v1/professional-support/"+id+"/end", w.prac, map[string]any{"reason": "again"}), http.StatusConflict, "")
}
