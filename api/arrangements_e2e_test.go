package api

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestAPlanWithEveryRouteReachesAllNeedsMet is issue 9's first "done when":
// a plan with one need of each route (council-arranged, an individual
// service fund, a direct payment, own resources, an alternative service)
// walked through the API to "all needs met", the plan view showing each
// need's route and state on the way, and each step audited.
func TestAPlanWithEveryRouteReachesAllNeedsMet(t *testing.T) {
	t.Parallel()
	w := newArrWorld(t)
	personID, client := w.person("Nora Every-Route")
	start := w.startIn(14)
	plan := map[string]any{"person_id": personID, "personal_budget_weekly_pence": 75000, "needs": []map[string]any{
		homecare("Help to get up, washed and dressed each morning", 14, 35000, start),
		{"outcome": "Help with meals in the evening, from an agency she chooses", "how_met": "individual_service_fund",
			"weekly_budget_pence": 26000, "service_type": "homecare", "hours_per_week": 10, "start_date": start, "urgency": "standard"},
		{"outcome": "A personal assistant for trips to the shops", "how_met": "direct_payment", "weekly_budget_pence": 10000,
			"direct_payment": map[string]any{"amount_pence": 40000, "frequency": "four_weekly", "purchase": "personal_assistant"}},
		{"outcome": "Her daughter does the weekly shop", "how_met": "own_resources"},
		{"outcome": "A ground-floor flat she can manage", "how_met": "alternative_service", "alternative_service": "housing",
			"alternative_arranged_by": "Claire Hughes (daughter), with the housing officer", "alternative_due_by": w.startIn(30)},
	}}
	planID, requests := w.signOff(plan)
	if len(requests) != 2 {
		t.Fatalf("sign-off made %d requests, want 2 (council-arranged and ISF)", len(requests))
	}

	// Signed off: own resources met, the rest not yet; each says why.
	v := w.needs(planID, client)
	want := []string{"council_arranged=not_yet_met", "individual_service_fund=not_yet_met", "direct_payment=not_yet_met",
		"own_resources=met", "alternative_service=not_yet_met"}
	if !slices.Equal(v.states(), want) || v.AllNeedsMet {
		t.Fatalf("after sign-off: %v (all met %v), want %v", v.states(), v.AllNeedsMet, want)
	}
	for _, n := range v.Needs {
		if n.Why == "" {
			t.Fatalf("a need without its why: %+v", n)
		}
	}
	if !strings.Contains(v.Needs[2].Why, "waiting for the direct payment team") || !strings.Contains(v.Needs[4].Why, "Claire Hughes") {
		t.Fatalf("the why of the direct payment and the housing: %q, %q", v.Needs[2].Why, v.Needs[4].Why)
	}
	// Another team's practitioner and another person's client cannot look.
	_, otherClient := w.person("Someone Else")
	wantProblem(t, w.do("GET", "/api/v1/plans/"+planID+"/needs", w.otherPrac, nil), http.StatusNotFound, "")
	wantProblem(t, w.do("GET", "/api/v1/plans/"+planID+"/needs", otherClient, nil), http.StatusNotFound, "")

	// 1. Brokerage arranges the council-arranged need and the ISF.
	w.agree(requests[0], client, 14, start)
	isf := w.agree(requests[1], client, 10, start)
	if isf["funding"] != "individual_service_fund" || isf["provider_manages_fund"] != true || isf["payer"] != "council" {
		t.Fatalf("the ISF agreement does not say the provider manages the fund: %v", isf)
	}
	pack, _ := json.Marshal(isf["information_pack"])
	if !strings.Contains(string(pack), "individual service fund managed by the provider") {
		t.Fatalf("the ISF information pack: %s", pack)
	}
	var data string
	if err := w.srv.DB.Gorm(context.Background()).Raw(`SELECT data::text FROM notifications WHERE agreement_id = ? AND audience_kind = 'finance'`, isf["id"]).Scan(&data).Error; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(data, `"provider_manages_fund": true`) || !strings.Contains(data, `"funding": "individual_service_fund"`) {
		t.Fatalf("finance's ISF notification: %s", data)
	}

	// 2. The direct payment team sees it in its queue and sets it up.
	dpID := w.needs(planID, w.prac).Needs[2].DirectPaymentID
	r := w.do("GET", "/api/v1/direct-payments", w.dpTeam, nil)
	if !strings.Contains(string(mustItems(t, r)), dpID) || !strings.Contains(string(r.Body), `"amount_pence":40000`) ||
		!strings.Contains(string(r.Body), `"frequency":"four_weekly"`) {
		t.Fatalf("the direct payment team's queue: %s", r.Body)
	}
	if !strings.Contains(string(mustItems(t, w.do("GET", "/api/v1/direct-payments", w.admn, nil))), dpID) {
		t.Fatal("the admin does not see the direct payment queue")
	}
	if strings.Contains(string(mustItems(t, w.do("GET", "/api/v1/direct-payments", w.otherPrac, nil))), dpID) {
		t.Fatal("another team's practitioner sees this team's direct payments")
	}
	wantProblem(t, w.do("POST", "/api/v1/direct-payments/"+dpID+"/set-up", w.admn, map[string]any{"first_payment_on": start, "payment_reference": "DP-1"}), http.StatusForbidden, "")
	wantProblem(t, w.do("POST", "/api/v1/direct-payments/"+dpID+"/set-up", w.otherPrac, map[string]any{"first_payment_on": start, "payment_reference": "DP-1"}), http.StatusNotFound, "")
	wantProblem(t, w.do("POST", "/api/v1/direct-payments/"+dpID+"/set-up", w.dpTeam, map[string]any{"payment_reference": "DP-1"}), http.StatusBadRequest, "first_payment_on")
	r = w.do("POST", "/api/v1/direct-payments/"+dpID+"/set-up", w.dpTeam, map[string]any{"first_payment_on": start, "payment_reference": "DP-0042"})
	wantStatus(t, r, http.StatusOK)
	if r.json(t)["status"] != "met" {
		t.Fatalf("set up: %s", r.Body)
	}
	wantProblem(t, w.do("POST", "/api/v1/direct-payments/"+dpID+"/set-up", w.dpTeam, map[string]any{"first_payment_on": start, "payment_reference": "DP-0042"}), http.StatusConflict, "")
	if n := w.count("notifications", "kind = 'direct_payment.set_up' AND audience_kind = 'finance' AND object_id = ?", dpID); n != 1 {
		t.Fatalf("%d finance notifications of the direct payment, want 1", n)
	}

	// 3. The practitioner confirms the alternative service in place.
	altID := w.needs(planID, w.prac).Needs[4].AlternativeID
	wantProblem(t, w.do("POST", "/api/v1/alternatives/"+altID+"/confirm", w.prac, map[string]any{"note": " "}), http.StatusBadRequest, "note")
	wantProblem(t, w.do("POST", "/api/v1/alternatives/"+altID+"/confirm", w.otherPrac, map[string]any{"note": "Seen the tenancy"}), http.StatusNotFound, "")
	if v := w.needs(planID, w.prac); v.AllNeedsMet || v.Needs[4].State != "not_yet_met" {
		t.Fatalf("all needs met before the housing is in place: %v", v.states())
	}
	r = w.do("POST", "/api/v1/alternatives/"+altID+"/confirm", w.prac, map[string]any{"note": "Tenancy signed; seen the keys"})
	wantStatus(t, r, http.StatusOK)

	// All needs met, for the plan and the person.
	v = w.needs(planID, client)
	if !v.AllNeedsMet || slices.Contains(v.states(), "not_yet_met") {
		t.Fatalf("not all needs met: %v", v.Needs)
	}
	if !strings.Contains(v.Needs[0].Why, "service agreement SA-") || !strings.Contains(v.Needs[2].Why, "set up") {
		t.Fatalf("the why of met needs: %q, %q", v.Needs[0].Why, v.Needs[2].Why)
	}
	r = w.do("GET", "/api/v1/persons/"+personID+"/needs", w.prac, nil)
	wantStatus(t, r, http.StatusOK)
	if p := r.json(t); p["all_needs_met"] != true {
		t.Fatalf("the person: %s", r.Body)
	}
	// Every step left its audit event.
	for _, action := range []string{"need.refer", "direct_payment.set_up", "alternative.confirm", "agreement.create", "plan.view"} {
		if n := w.count("audit_events", "action = ? AND person_id = ?", action, personID); n == 0 {
			t.Errorf("no %s audit event", action)
		}
	}
}
