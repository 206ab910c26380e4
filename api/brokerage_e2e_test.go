package api

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/demo"
	"github.com/carebroker/carebroker/internal/day"
)

// TestBrokerageEndToEnd is issue 5's "done when": with the demo data, a
// practitioner signs off a plan with two needs, brokers match and invite,
// two providers offer (one over budget), the person picks the other, a
// start date is agreed, the agreement PDF downloads, finance sees exactly
// one notification and acknowledges it, and the review tasks exist with the
// right dates. Each step's wrong actor gets 403 or 404, its bad input a
// clear 4xx naming the field, and each out-of-order step 409.
func TestBrokerageEndToEnd(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	if _, err := demo.Seed(ctx, h.srv.DB); err != nil {
		t.Fatal(err)
	}
	prac := h.signIn("practitioner@demo.carebroker.example")
	otherTeam := h.signIn("mh.practitioner@demo.carebroker.example")
	broker := h.signIn("broker@demo.carebroker.example")
	approver := h.signIn("approver@demo.carebroker.example")
	finance := h.signIn("finance@demo.carebroker.example")
	otherClient := h.signIn("client1@demo.carebroker.example")
	// Two home care agencies near Urmston: one within the budget, one dearer.
	near := h.homecareProvider(t, 2400, 53.4480, -2.3500)
	dear := h.homecareProvider(t, 2600, 53.4500, -2.3600)
	today := day.Today(time.Now)
	start := today.AddDays(14)

	// 1. A practitioner records the person and signs off a plan with two needs.
	person := map[string]any{"name": "Nora Example", "date_of_birth": "1944-07-02", "address": "8 Church Road, Urmston",
		"postcode": "M41 9LT", "latitude": 53.4465, "longitude": -2.3428, "representative_name": "Ian Example (son)"}
	wantProblem(t, h.do("POST", "/api/v1/persons", broker, person), http.StatusForbidden, "")
	wantProblem(t, h.do("POST", "/api/v1/persons", prac, withField(person, "postcode", "not a postcode")), http.StatusBadRequest, "postcode")
	r := h.do("POST", "/api/v1/persons", prac, person)
	wantStatus(t, r, http.StatusCreated)
	personID := r.json(t)["id"].(string)
	pid := mustUUID(t, personID)
	_, client := h.user(accounts.NewUser{Email: "nora@example.test", Role: accounts.Client, PersonID: &pid})

	plan := map[string]any{"person_id": personID, "personal_budget_weekly_pence": 50000, "contingency_pence": 2500,
		"needs": []map[string]any{
			{"outcome": "Help to get up, washed and dressed each morning", "how_met": "council_arranged", "weekly_budget_pence": 35000,
				"service_type": "homecare", "hours_per_week": 14, "start_date": start.String(), "urgency": "standard",
				"preferences": map[string]any{"language": "English", "carer_gender": "female", "important_to_them": "Breakfast before 9"}},
			{"outcome": "Company and activity twice a week", "how_met": "council_arranged", "weekly_budget_pence": 12000,
				"service_type": "day_services", "places": 1, "start_date": start.String(), "urgency": "interim"},
		}}
	wantProblem(t, h.do("POST", "/api/v1/plans", client, plan), http.StatusForbidden, "")
	badPlan := withField(plan, "needs", []map[string]any{plan["needs"].([]map[string]any)[0], withField(plan["needs"].([]map[string]any)[1], "urgency", "whenever")})
	wantProblem(t, h.do("POST", "/api/v1/plans", prac, badPlan), http.StatusBadRequest, "needs[1].urgency")
	r = h.do("POST", "/api/v1/plans", prac, plan, "Idempotency-Key", "nora-plan-1")
	wantStatus(t, r, http.StatusCreated)
	planID := r.json(t)["id"].(string)
	wantStatus(t, h.do("POST", "/api/v1/plans", prac, plan, "Idempotency-Key", "nora-plan-1"), http.StatusCreated)
	if n := h.count("plans", "person_id = ?", personID); n != 1 {
		t.Fatalf("%d plans after a replay, want 1", n)
	}
	wantProblem(t, h.do("POST", "/api/v1/plans/"+planID+"/sign-off", otherTeam, nil), http.StatusNotFound, "")
	r = h.do("POST", "/api/v1/plans/"+planID+"/sign-off", prac, nil)
	wantStatus(t, r, http.StatusOK)
	signed := decode[struct {
		Requests []struct {
			ID          string `json:"id"`
			ServiceType string `json:"service_type"`
		} `json:"requests"`
	}](t, r)
	if len(signed.Requests) != 2 || signed.Requests[0].ServiceType != "homecare" {
		t.Fatalf("sign-off made %s", r.Body)
	}
	req := "/api/v1/requests/" + signed.Requests[0].ID
	wantProblem(t, h.do("POST", "/api/v1/plans/"+planID+"/sign-off", prac, nil), http.StatusConflict, "")

	// 2. A broker runs the matcher and invites both agencies.
	wantProblem(t, h.do("POST", req+"/match", prac, nil), http.StatusForbidden, "")
	wantProblem(t, h.do("POST", "/api/v1/requests/not-an-id/match", broker, nil), http.StatusNotFound, "")
	wantProblem(t, h.do("POST", req+"/invitations", broker, map[string]any{"service_ids": []string{near.ServiceID.String()}}), http.StatusConflict, "")
	r = h.do("POST", req+"/match", broker, nil)
	wantStatus(t, r, http.StatusCreated)
	match := decode[struct {
		Ranked []struct {
			ServiceID  string  `json:"service_id"`
			DistanceKm float64 `json:"distance_km"`
			OverBudget bool    `json:"over_budget"`
			Notes      []struct{ Text string }
		} `json:"ranked"`
	}](t, r)
	ranked := map[string]bool{}
	for _, m := range match.Ranked {
		ranked[m.ServiceID] = m.OverBudget
		if m.DistanceKm <= 0 {
			t.Fatalf("a match without its distance: %s", r.Body)
		}
	}
	if over, ok := ranked[near.ServiceID.String()]; !ok || over {
		t.Fatalf("the nearby agency is not ranked within budget: %s", r.Body)
	}
	if over, ok := ranked[dear.ServiceID.String()]; !ok || !over {
		t.Fatalf("the dearer agency is not ranked over budget: %s", r.Body)
	}
	wantProblem(t, h.do("POST", req+"/invitations", near.Token, map[string]any{"service_ids": []string{near.ServiceID.String()}}), http.StatusForbidden, "")
	wantProblem(t, h.do("POST", req+"/invitations", broker, map[string]any{"service_ids": []string{}}), http.StatusBadRequest, "service_ids")
	wantProblem(t, h.do("POST", req+"/invitations", broker, map[string]any{"service_ids": []string{"00000000-0000-4000-8000-000000000000"}}), http.StatusBadRequest, "service_ids[0]")
	r = h.do("POST", req+"/invitations", broker, map[string]any{"service_ids": []string{near.ServiceID.String(), dear.ServiceID.String()}})
	wantStatus(t, r, http.StatusCreated)

	// 3. Each agency sees only its own invitation, without the person's identity, and offers.
	nearInv := onlyInvitation(t, h, near.Token)
	dearInv := onlyInvitation(t, h, dear.Token)
	if bytes.Contains(h.do("GET", "/api/v1/invitations/"+nearInv, near.Token, nil).Body, []byte("Nora")) {
		t.Fatal("the provider sees the person's name")
	}
	wantProblem(t, h.do("GET", "/api/v1/invitations/"+dearInv, near.Token, nil), http.StatusNotFound, "")
	offer := func(rate int64) map[string]any {
		return map[string]any{"weekly_price_pence": rate * 14, "hourly_rate_pence": rate, "hours_per_week": 14,
			"earliest_start": start.String(), "valid_until": start.AddDays(14).String(), "notes": "Female carers, 8am calls"}
	}
	wantProblem(t, h.do("POST", "/api/v1/invitations/"+nearInv+"/offer", dear.Token, offer(2400)), http.StatusNotFound, "")
	wantProblem(t, h.do("POST", "/api/v1/invitations/"+nearInv+"/offer", broker, offer(2400)), http.StatusForbidden, "")
	wantProblem(t, h.do("POST", "/api/v1/invitations/"+nearInv+"/offer", near.Token, withField(offer(2400), "weekly_price_pence", 30000)), http.StatusBadRequest, "weekly_price_pence")
	wantProblem(t, h.do("POST", "/api/v1/invitations/"+nearInv+"/offer", near.Token, withField(offer(2400), "earliest_start", "soon")), http.StatusBadRequest, "earliest_start")
	r = h.do("POST", "/api/v1/invitations/"+nearInv+"/offer", near.Token, offer(2400))
	wantStatus(t, r, http.StatusCreated)
	goodOffer := r.json(t)["id"].(string)
	r = h.do("POST", "/api/v1/invitations/"+dearInv+"/offer", dear.Token, offer(2600))
	wantStatus(t, r, http.StatusCreated)
	overOffer := r.json(t)
	if overOffer["over_budget"] != true || overOffer["approval"] != "pending" {
		t.Fatalf("the dearer offer: %v", overOffer)
	}
	overID := overOffer["id"].(string)

	// 4. The person compares the offers; brokers cannot approve the dearer one.
	r = h.do("GET", req+"/offers", client, nil)
	wantStatus(t, r, http.StatusOK)
	cmp := decode[struct {
		Offers []struct {
			ID        string `json:"id"`
			Choosable bool   `json:"choosable"`
			Match     *struct{ Rank int }
		} `json:"offers"`
	}](t, r)
	if len(cmp.Offers) != 2 || cmp.Offers[0].ID != goodOffer || !cmp.Offers[0].Choosable || cmp.Offers[0].Match == nil || cmp.Offers[1].Choosable {
		t.Fatalf("side by side: %s", r.Body)
	}
	wantProblem(t, h.do("GET", req+"/offers", otherClient, nil), http.StatusNotFound, "")
	wantProblem(t, h.do("POST", "/api/v1/offers/"+overID+"/approve", broker, map[string]any{}), http.StatusForbidden, "")
	wantProblem(t, h.do("POST", req+"/choice", client, map[string]any{"offer_id": overID}), http.StatusConflict, "")
	wantStatus(t, h.do("GET", "/api/v1/approvals", approver, nil), http.StatusOK)
	// The dearer agency withdraws; its offer can no longer be chosen.
	wantStatus(t, h.do("POST", "/api/v1/offers/"+overID+"/withdraw", dear.Token, map[string]any{"reason": "carers no longer free"}), http.StatusOK)
	wantProblem(t, h.do("POST", req+"/choice", client, map[string]any{"offer_id": overID}), http.StatusConflict, "")

	// 5. The person picks the other offer.
	wantProblem(t, h.do("POST", req+"/choice", near.Token, map[string]any{"offer_id": goodOffer}), http.StatusForbidden, "")
	wantProblem(t, h.do("POST", req+"/choice", otherClient, map[string]any{"offer_id": goodOffer}), http.StatusNotFound, "")
	wantProblem(t, h.do("POST", req+"/choice", client, map[string]any{}), http.StatusBadRequest, "offer_id")
	wantProblem(t, h.do("POST", req+"/choice", client, map[string]any{"offer_id": goodOffer, "status": "chosen"}), http.StatusBadRequest, "status")
	r = h.do("POST", req+"/choice", client, map[string]any{"offer_id": goodOffer})
	wantStatus(t, r, http.StatusCreated)
	if r.json(t)["chosen_as"] != "person" {
		t.Fatalf("choice: %s", r.Body)
	}

	// 6. A start date is agreed, once.
	wantProblem(t, h.do("POST", req+"/agreement", near.Token, map[string]any{"start_date": start.String()}), http.StatusForbidden, "")
	wantProblem(t, h.do("POST", req+"/agreement", otherClient, map[string]any{"start_date": start.String()}), http.StatusNotFound, "")
	wantProblem(t, h.do("POST", req+"/agreement", client, map[string]any{"start_date": start.AddDays(-1).String()}), http.StatusBadRequest, "start_date")
	r = h.do("POST", req+"/agreement", client, map[string]any{"start_date": start.String()})
	wantStatus(t, r, http.StatusCreated)
	agreement := r.json(t)
	agreementID := agreement["id"].(string)
	if agreement["start_date"] != start.String() || agreement["weekly_cost_pence"] != float64(33600) {
		t.Fatalf("agreement: %s", r.Body)
	}
	wantProblem(t, h.do("POST", req+"/agreement", client, map[string]any{"start_date": start.String()}), http.StatusConflict, "")
	// An offer on the closed request: the withdrawn agency tries again.
	wantProblem(t, h.do("POST", "/api/v1/invitations/"+dearInv+"/offer", dear.Token, offer(2500)), http.StatusConflict, "")
	// The provider sees the agreed date on its invitation.
	if v := h.do("GET", "/api/v1/invitations/"+nearInv, near.Token, nil).json(t); v["outcome"] != "agreed" || v["agreed_start_date"] != start.String() {
		t.Fatalf("the provider's invitation: %v", v)
	}

	// 7. The agreement PDF downloads for the person; not for someone else's client.
	pdf := h.do("GET", "/api/v1/agreements/"+agreementID+"/document.pdf", client, nil)
	wantStatus(t, pdf, http.StatusOK)
	if pdf.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf.Body, []byte("%PDF")) {
		t.Fatalf("not a PDF: %q %q", pdf.Header.Get("Content-Type"), pdf.Body[:min(len(pdf.Body), 8)])
	}
	wantProblem(t, h.do("GET", "/api/v1/agreements/"+agreementID+"/document.pdf", otherClient, nil), http.StatusNotFound, "")

	// 8. Finance is notified exactly once, after the worker delivers, and acknowledges.
	w, err := agreements.NewWorker(h.srv.DB, h.srv.Redis, agreements.WorkerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for { // the demo's own notifications are in the outbox too: deliver everything due
		rep, err := w.DeliverDue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Claimed == 0 {
			break
		}
	}
	wantProblem(t, h.do("GET", "/api/v1/finance/notifications", broker, nil), http.StatusForbidden, "")
	r = h.do("GET", "/api/v1/finance/notifications?status=all", finance, nil)
	wantStatus(t, r, http.StatusOK)
	inbox := decode[struct {
		Items []struct {
			ID          string `json:"id"`
			AgreementID string `json:"agreement_id"`
		} `json:"items"`
	}](t, r)
	var ours []string
	for _, n := range inbox.Items {
		if n.AgreementID == agreementID {
			ours = append(ours, n.ID)
		}
	}
	if len(ours) != 1 {
		t.Fatalf("finance sees %d notifications of the agreement, want exactly 1: %s", len(ours), r.Body)
	}
	if rep, err := w.DeliverDue(ctx); err != nil || rep.Claimed != 0 { // nothing is delivered twice
		t.Fatalf("a further pass claimed %+v (%v)", rep, err)
	}
	if n := h.count("notifications", "agreement_id = ? AND audience_kind = 'finance'", agreementID); n != 1 {
		t.Fatalf("%d finance notifications in the outbox", n)
	}
	r = h.do("POST", "/api/v1/finance/notifications/"+ours[0]+"/acknowledge", finance, nil)
	wantStatus(t, r, http.StatusOK)
	if r.json(t)["acknowledged_at"] == nil {
		t.Fatalf("not acknowledged: %s", r.Body)
	}

	// 9. The review tasks exist with the right dates.
	r = h.do("GET", "/api/v1/reviews", prac, nil)
	wantStatus(t, r, http.StatusOK)
	reviews := decode[struct {
		Items []struct {
			AgreementID string `json:"agreement_id"`
			Kind        string `json:"kind"`
			DueFrom     string `json:"due_from"`
			DueBy       string `json:"due_by"`
		} `json:"items"`
	}](t, r)
	want := map[string][2]string{
		"welfare_check": {start.AddDays(3).String(), start.AddDays(3).String()},
		"first_review":  {start.AddDays(42).String(), start.AddDays(56).String()},
		"annual_review": {agreements.AnniversaryOf(start, 1).String(), agreements.AnniversaryOf(start, 1).String()},
	}
	found := 0
	for _, rv := range reviews.Items {
		if rv.AgreementID != agreementID {
			continue
		}
		found++
		if w, ok := want[rv.Kind]; !ok || (rv.Kind != "annual_review" && (rv.DueFrom != w[0] || rv.DueBy != w[1])) || (rv.Kind == "annual_review" && rv.DueBy != w[1]) {
			t.Errorf("review %s due %s to %s, want %v", rv.Kind, rv.DueFrom, rv.DueBy, w)
		}
	}
	if found != 3 {
		t.Fatalf("%d review tasks for the agreement, want 3: %s", found, r.Body)
	}
	// The whole path is on record.
	r = h.do("GET", req+"/transitions", prac, nil)
	wantStatus(t, r, http.StatusOK)
	if n := len(r.json(t)["items"].([]any)); n != 6 {
		t.Fatalf("%d transitions, want 6 (open to agreed): %s", n, r.Body)
	}
}

func onlyInvitation(t *testing.T, h *harness, token string) string {
	t.Helper()
	r := h.do("GET", "/api/v1/invitations", token, nil)
	wantStatus(t, r, http.StatusOK)
	items := r.json(t)["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("want one invitation, got %s", r.Body)
	}
	return items[0].(map[string]any)["id"].(string)
}

func withField[V any](m map[string]any, k string, v V) map[string]any {
	out := map[string]any{}
	for key, val := range m {
		out[key] = val
	}
	out[k] = v
	return out
}
