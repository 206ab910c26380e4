package api

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestUrgentSupportBeforeThePlanIsReplacedByTheLongTermArrangement: a
// practitioner raises urgent support before the full plan (a request with
// a 24-hour deadline); it is arranged; the full plan's need names it; when
// the long-term agreement starts the urgent one ends the day before,
// varied, replaced by it.
func TestUrgentSupportBeforeThePlanIsReplacedByTheLongTermArrangement(t *testing.T) {
	t.Parallel()
	w := newArrWorld(t)
	personID, client := w.person("Ursula Urgent")
	path := "/api/v1/persons/" + personID + "/interim-support"
	urgent := map[string]any{"need": withField(withField(homecare("Help at home after hospital discharge", 7, 17000, w.startIn(1)),
		"urgency", "urgent"), "how_met", "council_arranged")}
	wantProblem(t, w.do("POST", path, w.prac, withField(urgent, "need", withField(urgent["need"].(map[string]any), "urgency", "standard"))),
		http.StatusBadRequest, "need.urgency")
	wantProblem(t, w.do("POST", path, w.prac, withField(urgent, "need", withField(urgent["need"].(map[string]any), "hours_per_week", 0))),
		http.StatusBadRequest, "need.hours_per_week")
	wantProblem(t, w.do("POST", path, w.otherPrac, urgent), http.StatusNotFound, "")
	wantProblem(t, w.do("POST", path, w.broker, urgent), http.StatusForbidden, "")
	// A draft full plan in progress does not stand in the way.
	draft := map[string]any{"person_id": personID, "personal_budget_weekly_pence": 30000,
		"needs": []map[string]any{homecare("Help at home", 10, 26000, w.startIn(20))}}
	wantStatus(t, w.do("POST", "/api/v1/plans", w.prac, draft), http.StatusCreated)
	r := w.do("POST", path, w.prac, urgent)
	wantStatus(t, r, http.StatusCreated)
	raised := decode[struct {
		Plan struct {
			ID      string `json:"id"`
			Interim bool   `json:"interim"`
			Status  string `json:"status"`
			Needs   []struct {
				ID string `json:"id"`
			} `json:"needs"`
		} `json:"plan"`
		Request struct {
			ID      string `json:"id"`
			Urgency string `json:"urgency"`
			Status  string `json:"status"`
		} `json:"request"`
	}](t, r)
	if !raised.Plan.Interim || raised.Plan.Status != "signed_off" || raised.Request.Urgency != "urgent" || raised.Request.Status != "open" {
		t.Fatalf("urgent support: %s", r.Body)
	}
	// Invited providers have 24 hours to answer.
	w.invite(raised.Request.ID)
	r = w.do("GET", "/api/v1/requests/"+raised.Request.ID, w.broker, nil)
	deadline, err := time.Parse(time.RFC3339, r.json(t)["response_deadline"].(string))
	if err != nil || deadline.Sub(w.clock.now()) > 24*time.Hour || deadline.Before(w.clock.now()) {
		t.Fatalf("the urgent deadline: %v %v", deadline, err)
	}
	interim := w.offerAndAgree(raised.Request.ID, client, 7, w.startIn(1))

	// The person has no full plan yet: not all needs met, whatever the interim support.
	r = w.do("GET", "/api/v1/persons/"+personID+"/needs", client, nil)
	wantStatus(t, r, http.StatusOK)
	if p := r.json(t); p["all_needs_met"] != false || !strings.Contains(p["why"].(string), "no care and support plan") {
		t.Fatalf("before the full plan: %s", r.Body)
	}

	// The full plan replaces the urgent support; the draft names the interim need.
	var draftID string
	w.srv.DB.Gorm(context.Background()).Raw(`SELECT id::text FROM plans WHERE person_id = ? AND status = 'draft'`, personID).Scan(&draftID)
	full := withField(draft, "needs", []map[string]any{withField(homecare("Help at home", 10, 26000, w.startIn(20)), "previous_need_id", raised.Plan.Needs[0].ID)})
	delete(full, "person_id")
	wantStatus(t, w.do("PUT", "/api/v1/plans/"+draftID, w.prac, full), http.StatusOK)
	r = w.do("POST", "/api/v1/plans/"+draftID+"/sign-off", w.prac, nil)
	wantStatus(t, r, http.StatusOK)
	longTerm := decode[struct {
		Requests []struct {
			ID string `json:"id"`
		} `json:"requests"`
	}](t, r).Requests[0].ID
	// Until the long-term agreement starts the urgent support goes on.
	if got := w.do("GET", "/api/v1/agreements/"+interim["id"].(string), w.prac, nil).json(t); got["status"] != "active" {
		t.Fatalf("the urgent support ended at sign-off: %v", got)
	}
	second := w.agree(longTerm, client, 10, w.startIn(20))
	got := w.do("GET", "/api/v1/agreements/"+interim["id"].(string), w.prac, nil).json(t)
	if got["status"] != "varied" || got["replaced_by"] != second["id"] || got["ends_on"] != w.startIn(19) {
		t.Fatalf("the urgent support after the long-term agreement: %v", got)
	}
	if v := w.needs(draftID, client); !v.AllNeedsMet || v.Needs[0].Succession != "replaces" {
		t.Fatalf("the full plan: %+v", v)
	}
	// A need of an interim plan is followed on from once.
	again := map[string]any{"person_id": personID, "personal_budget_weekly_pence": 30000, "needs": []map[string]any{
		withField(homecare("Help at home", 10, 26000, w.startIn(20)), "previous_need_id", raised.Plan.Needs[0].ID)}}
	wantProblem(t, w.do("POST", "/api/v1/plans", w.prac, again), http.StatusBadRequest, "needs[0].previous_need_id")
}

// TestAnOverdueAlternativeServiceGetsInterimSupport: an alternative service
// not in place by its date appears on the practitioner's overdue list with
// the option of interim support; the interim request raised for it is
// linked to the need, which stays not yet met until the service is
// confirmed; confirming it ends the interim support.
func TestAnOverdueAlternativeServiceGetsInterimSupport(t *testing.T) {
	t.Parallel()
	w := newArrWorld(t)
	personID, client := w.person("Alma Alternative")
	planID, _ := w.signOff(map[string]any{"person_id": personID, "personal_budget_weekly_pence": 5000, "needs": []map[string]any{
		{"outcome": "Transport to the day centre on Tuesdays", "how_met": "alternative_service", "alternative_service": "transport",
			"alternative_arranged_by": "Ring and Ride, booked by her son", "alternative_due_by": w.startIn(7)},
	}})
	altID := w.needs(planID, w.prac).Needs[0].AlternativeID
	overdue := func() string {
		return string(mustItems(t, w.do("GET", "/api/v1/alternatives?overdue=true", w.prac, nil)))
	}
	if strings.Contains(overdue(), altID) {
		t.Fatal("overdue before its date")
	}
	wantProblem(t, w.do("GET", "/api/v1/alternatives?overdue=soon", w.prac, nil), http.StatusBadRequest, "overdue")
	w.clock.advance(10)
	list := overdue()
	if !strings.Contains(list, altID) || !strings.Contains(list, `"days_overdue":3`) || !strings.Contains(list, `"interim_support_possible":true`) {
		t.Fatalf("the overdue list: %s", list)
	}
	if strings.Contains(string(mustItems(t, w.do("GET", "/api/v1/alternatives?overdue=true", w.otherPrac, nil))), altID) {
		t.Fatal("another team sees this team's alternative services")
	}
	body := map[string]any{"need": map[string]any{"outcome": "Taxi to the day centre until Ring and Ride starts", "weekly_budget_pence": 5000,
		"service_type": "homecare", "hours_per_week": 2, "start_date": w.startIn(2), "urgency": "interim"}}
	r := w.do("POST", "/api/v1/alternatives/"+altID+"/interim-support", w.prac, body)
	wantStatus(t, r, http.StatusCreated)
	interimReq := r.json(t)["request"].(map[string]any)["id"].(string)
	v := w.needs(planID, client)
	if v.Needs[0].State != "not_yet_met" || !strings.Contains(v.Needs[0].Why, "interim support: brokerage request BR-") {
		t.Fatalf("with interim support raised: %+v", v.Needs[0])
	}
	interim := w.agree(interimReq, client, 2, w.startIn(2))
	if v := w.needs(planID, client); v.AllNeedsMet {
		t.Fatal("interim support is not the alternative service in place")
	}
	r = w.do("POST", "/api/v1/alternatives/"+altID+"/confirm", w.prac, map[string]any{"note": "Ring and Ride confirmed by phone"})
	wantStatus(t, r, http.StatusOK)
	if v := w.needs(planID, client); !v.AllNeedsMet {
		t.Fatalf("after confirmation: %+v", v.Needs)
	}
	got := w.do("GET", "/api/v1/agreements/"+interim["id"].(string), w.prac, nil).json(t)
	// It had not started yet: it ends the day before its start, never having run.
	if got["status"] != "ended" || got["ends_on"] != w.startIn(1) || !strings.Contains(got["end_reason"].(string), "confirmed in place") {
		t.Fatalf("the interim support after confirmation: %v", got)
	}
	wantProblem(t, w.do("POST", "/api/v1/alternatives/"+altID+"/interim-support", w.prac, body), http.StatusConflict, "")
	wantProblem(t, w.do("POST", "/api/v1/alternatives/"+altID+"/confirm", w.prac, map[string]any{"note": "again"}), http.StatusConflict, "")
}
