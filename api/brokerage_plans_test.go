package api

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/carebroker/carebroker/accounts"
)

func (h *harness) count(table, where string, args ...any) int {
	h.t.Helper()
	var n int64
	if err := h.srv.DB.Gorm(context.Background()).Table(table).Where(where, args...).Count(&n).Error; err != nil {
		h.t.Fatal(err)
	}
	return int(n)
}

func decode[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("decode %T: %v: %s", v, err, r.Body)
	}
	return v
}

func startIn(days int) string { return time.Now().UTC().AddDate(0, 0, days).Format("2006-01-02") }

func planBody(personID string) map[string]any {
	return map[string]any{
		"person_id": personID, "personal_budget_weekly_pence": 60000, "contingency_pence": 5000,
		"needs": []map[string]any{
			{"outcome": "Help to get up and washed each morning", "how_met": "council_arranged", "weekly_budget_pence": 40000,
				"service_type": "homecare", "hours_per_week": 14, "start_date": startIn(14), "urgency": "standard",
				"preferences": map[string]any{"language": "Urdu", "carer_gender": "female"}},
			{"outcome": "Company and activity on weekdays", "how_met": "council_arranged", "weekly_budget_pence": 15000,
				"service_type": "day_services", "places": 1, "start_date": startIn(14), "urgency": "interim"},
		},
	}
}

func TestPlanSubmissionIsIdempotentAndSignOffFreezesIt(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	_, prac := h.user(accounts.NewUser{Email: "p@test.example", Role: accounts.Practitioner, Team: "community_led_support"})
	_, other := h.user(accounts.NewUser{Email: "q@test.example", Role: accounts.Practitioner, Team: "reablement"})
	_, broker := h.user(accounts.NewUser{Email: "b@test.example", Role: accounts.Broker})

	r := h.do("POST", "/api/v1/persons", prac, map[string]any{"name": "Ada Example", "date_of_birth": "1941-03-14",
		"address": "1 Test Street", "postcode": "m16 0ra", "latitude": 53.46, "longitude": -2.29})
	wantStatus(t, r, http.StatusCreated)
	person := r.json(t)
	if person["postcode"] != "M16 0RA" || person["team"] != "community_led_support" {
		t.Fatalf("person: %v", person)
	}
	pid := person["id"].(string)
	// A broker cannot record persons; a bad date names its field.
	wantProblem(t, h.do("POST", "/api/v1/persons", broker, map[string]any{"name": "X"}), http.StatusForbidden, "")
	wantProblem(t, h.do("POST", "/api/v1/persons", prac, map[string]any{"name": "X", "date_of_birth": "1941-02-30"}), http.StatusBadRequest, "date_of_birth")

	first := h.do("POST", "/api/v1/plans", prac, planBody(pid), "Idempotency-Key", "plan-ada-1")
	wantStatus(t, first, http.StatusCreated)
	again := h.do("POST", "/api/v1/plans", prac, planBody(pid), "Idempotency-Key", "plan-ada-1")
	wantStatus(t, again, http.StatusCreated)
	if string(again.Body) != string(first.Body) {
		t.Fatal("the replay is not the first response")
	}
	if n := h.count("plans", "person_id = ?", pid); n != 1 {
		t.Fatalf("the same plan submitted twice with one key made %d plans", n)
	}
	changed := planBody(pid)
	changed["personal_budget_weekly_pence"] = 70000
	wantProblem(t, h.do("POST", "/api/v1/plans", prac, changed, "Idempotency-Key", "plan-ada-1"), http.StatusUnprocessableEntity, "Idempotency-Key")
	// Without the key, a second draft for the person is a conflict: the natural key.
	wantProblem(t, h.do("POST", "/api/v1/plans", prac, planBody(pid)), http.StatusConflict, "")

	bad := planBody(pid)
	bad["needs"].([]map[string]any)[0]["service_type"] = "specialist_homecare"
	wantProblem(t, h.do("POST", "/api/v1/plans", prac, bad), http.StatusBadRequest, "needs[0].service_type")
	bad = planBody(pid)
	bad["status"] = "signed_off"
	wantProblem(t, h.do("POST", "/api/v1/plans", prac, bad), http.StatusBadRequest, "status")
	wantProblem(t, h.do("POST", "/api/v1/plans", other, planBody(pid)), http.StatusNotFound, "person_id")

	planID := first.json(t)["id"].(string)
	wantProblem(t, h.do("GET", "/api/v1/plans/"+planID, other, nil), http.StatusNotFound, "")
	wantProblem(t, h.do("POST", "/api/v1/plans/"+planID+"/sign-off", broker, nil), http.StatusForbidden, "")
	signed := h.do("POST", "/api/v1/plans/"+planID+"/sign-off", prac, nil)
	wantStatus(t, signed, http.StatusOK)
	out := decode[struct {
		Plan     struct{ Status string }
		Requests []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		}
	}](t, signed)
	if out.Plan.Status != "signed_off" || len(out.Requests) != 2 || out.Requests[0].Status != "open" || out.Requests[0].ID == "" {
		t.Fatalf("sign-off: %s", signed.Body)
	}
	wantProblem(t, h.do("POST", "/api/v1/plans/"+planID+"/sign-off", prac, nil), http.StatusConflict, "")
	body := planBody(pid)
	delete(body, "person_id")
	wantProblem(t, h.do("PUT", "/api/v1/plans/"+planID, prac, body), http.StatusConflict, "")
	if n := h.count("requests", "plan_id = ? AND status = 'open'", planID); n != 2 {
		t.Fatalf("want 2 open requests, got %d", n)
	}
	queue := h.do("GET", "/api/v1/requests?status=open", broker, nil)
	wantStatus(t, queue, http.StatusOK)
	if items := queue.json(t)["items"].([]any); len(items) != 2 || items[0].(map[string]any)["person_name"] != "Ada Example" {
		t.Fatalf("queue: %s", queue.Body)
	}
	wantProblem(t, h.do("GET", "/api/v1/requests?status=lost", broker, nil), http.StatusBadRequest, "status")
}

// TestFourEyesSignOffThroughTheAPI: above the council's amount, the
// practitioner who wrote a plan cannot open its requests alone; a second
// practitioner of the team can; the plan says who signed, and the audit
// trail has both sign-offs.
func TestFourEyesSignOffThroughTheAPI(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	_, author := h.user(accounts.NewUser{Email: "author@test.example", Role: accounts.Practitioner, Team: "community_led_support"})
	colleagueUser, colleague := h.user(accounts.NewUser{Email: "colleague@test.example", Role: accounts.Practitioner, Team: "community_led_support"})
	_, admin := h.user(accounts.NewUser{Email: "admin@test.example", Role: accounts.Admin})

	wantProblem(t, h.do("PUT", "/api/v1/settings", author, map[string]any{"second_sign_off_above_weekly_pence": 1}), http.StatusForbidden, "")
	wantProblem(t, h.do("PUT", "/api/v1/settings", admin, map[string]any{"second_sign_off_above_weekly_pence": -1}), http.StatusBadRequest, "second_sign_off_above_weekly_pence")
	wantStatus(t, h.do("PUT", "/api/v1/settings", admin, map[string]any{"second_sign_off_above_weekly_pence": 50000}), http.StatusOK)
	if r := h.do("GET", "/api/v1/settings", author, nil); r.json(t)["second_sign_off_above_weekly_pence"] != 50000.0 {
		t.Fatalf("settings as the practitioner reads them: %s", r.Body)
	}

	r := h.do("POST", "/api/v1/persons", author, map[string]any{"name": "Ada Example", "date_of_birth": "1941-03-14",
		"address": "1 Test Street", "postcode": "m16 0ra", "latitude": 53.46, "longitude": -2.29})
	wantStatus(t, r, http.StatusCreated)
	pid := r.json(t)["id"].(string)
	r = h.do("POST", "/api/v1/plans", author, planBody(pid)) // £600.00 a week, above £500.00
	wantStatus(t, r, http.StatusCreated)
	planID := r.json(t)["id"].(string)

	type signedOff struct {
		Plan struct {
			Status           string  `json:"status"`
			FirstSignedOffBy *string `json:"first_signed_off_by"`
			SignedOffBy      *string `json:"signed_off_by"`
		} `json:"plan"`
		Requests []map[string]any `json:"requests"`
	}
	r = h.do("POST", "/api/v1/plans/"+planID+"/sign-off", author, nil)
	wantStatus(t, r, http.StatusOK)
	first := decode[signedOff](t, r)
	if first.Plan.Status != "awaiting_second_sign_off" || len(first.Requests) != 0 || first.Plan.FirstSignedOffBy == nil || first.Plan.SignedOffBy != nil {
		t.Fatalf("the author's sign-off: %s", r.Body)
	}
	wantProblem(t, h.do("POST", "/api/v1/plans/"+planID+"/sign-off", author, nil), http.StatusForbidden, "")
	if n := h.count("requests", "plan_id = ?", planID); n != 0 {
		t.Fatalf("the author alone opened %d requests", n)
	}
	got := h.do("GET", "/api/v1/plans/"+planID, colleague, nil).json(t)
	if got["status"] != "awaiting_second_sign_off" || got["first_signed_off_by"] == nil {
		t.Fatalf("the plan as the colleague sees it: %v", got)
	}

	r = h.do("POST", "/api/v1/plans/"+planID+"/sign-off", colleague, nil)
	wantStatus(t, r, http.StatusOK)
	second := decode[signedOff](t, r)
	if second.Plan.Status != "signed_off" || len(second.Requests) != 2 || *second.Plan.SignedOffBy != colleagueUser.ID.String() ||
		*second.Plan.FirstSignedOffBy != *first.Plan.FirstSignedOffBy {
		t.Fatalf("the colleague's sign-off: %s", r.Body)
	}
	view := h.do("GET", "/api/v1/plans/"+planID+"/needs", colleague, nil).json(t)
	if view["status"] != "signed_off" || view["first_signed_off_by"] == nil || view["signed_off_by"] != colleagueUser.ID.String() {
		t.Fatalf("the plan view: %v", view)
	}
	if n := h.count("audit_events", "object_id = ? AND action IN ('plan.first_sign_off', 'plan.sign_off')", planID); n != 2 {
		t.Fatalf("%d sign-off audit events, want 2", n)
	}
}
