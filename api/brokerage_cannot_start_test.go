package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/plans"
	"github.com/carebroker/carebroker/providers"
)

// homecareRequest signs off a 14-hour home care request for a new person,
// matches it and invites the services; it returns the request id and a
// client user's token for the person.
func (h *harness) homecareRequest(t *testing.T, n int, broker accounts.Actor, services ...uuid.UUID) (uuid.UUID, string) {
	t.Helper()
	ctx, b := context.Background(), h.srv.Brokerage
	pracUser, _ := h.user(accounts.NewUser{Email: fmt.Sprintf("prac%d@cannot-start.test", n), Role: accounts.Practitioner})
	lat, lon := 53.4465, -2.3428
	person, err := b.Plans().CreatePerson(ctx, pracUser.Actor(), plans.NewPerson{Name: fmt.Sprintf("Person %d Example", n), DateOfBirth: day.New(1939, 1, 1),
		Address: "1 Church Road, Urmston", Postcode: "M41 9LT", Latitude: &lat, Longitude: &lon})
	if err != nil {
		t.Fatal(err)
	}
	pid := person.ID
	_, clientTok := h.user(accounts.NewUser{Email: fmt.Sprintf("person%d@cannot-start.test", n), Role: accounts.Client, PersonID: &pid})
	start := day.Of(time.Now()).AddDays(10)
	plan, err := b.Plans().SubmitPlan(ctx, pracUser.Actor(), plans.NewPlan{PersonID: person.ID, PlanContent: plans.PlanContent{
		PersonalBudgetWeeklyPence: 35000, Needs: []plans.NewNeed{{Outcome: "Mornings", HowMet: plans.CouncilArranged,
			WeeklyBudgetPence: 35000, ServiceType: "homecare", HoursPerWeek: 14, StartDate: start, Urgency: plans.Standard}}}})
	if err != nil {
		t.Fatal(err)
	}
	_, reqs, err := b.SignOffPlan(ctx, pracUser.Actor(), plan.ID)
	if err != nil {
		t.Fatal(err)
	}
	id := reqs[0].ID
	if _, err := b.RunMatch(ctx, broker, id); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Invite(ctx, broker, id, services); err != nil {
		t.Fatal(err)
	}
	return id, clientTok
}

// offerOver makes provider p's offer on request id over HTTP and returns the offer id.
func (h *harness) offerOver(t *testing.T, p directoryProvider, id uuid.UUID) string {
	t.Helper()
	invs := h.do("GET", "/api/v1/invitations", p.Token, nil)
	wantStatus(t, invs, http.StatusOK)
	start := day.Of(time.Now()).AddDays(10)
	for _, it := range invs.json(t)["items"].([]any) {
		inv := it.(map[string]any)
		if inv["request_id"] != id.String() {
			continue
		}
		r := h.do("POST", "/api/v1/invitations/"+inv["id"].(string)+"/offer", p.Token, map[string]any{
			"weekly_price_pence": 33600, "hourly_rate_pence": 2400, "hours_per_week": 14, "earliest_start": start.String(), "valid_until": start.AddDays(7).String()})
		wantStatus(t, r, http.StatusCreated)
		return r.json(t)["id"].(string)
	}
	t.Fatalf("no invitation on %s", id)
	return ""
}

// Two people choose the same home care service, which has room for one of
// them. The second agreement is refused for want of capacity; the request
// stays chosen, and matching it is refused in words that read well. The
// person says the chosen provider cannot start: the other offer can be
// chosen again, and choosing and agreeing it works. A request with no
// other offer goes back to matching, and the matcher runs.
func TestAfterAnAgreementRefusedForCapacityThePersonChoosesAgain(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	full := h.homecareProvider(t, 2400, 53.4480, -2.3500)
	other := h.homecareProvider(t, 2400, 53.4490, -2.3510)
	if _, err := h.srv.Providers.SetCapacity(ctx, accounts.SystemActor, full.ServiceID,
		providers.CapacityChange{From: day.New(2024, 1, 1), Units: 14}); err != nil {
		t.Fatal(err)
	}
	brokerUser, brokerTok := h.user(accounts.NewUser{Email: "b@cannot-start.test", Role: accounts.Broker})
	broker := brokerUser.Actor()
	start := day.Of(time.Now()).AddDays(10).String()

	first, firstTok := h.homecareRequest(t, 1, broker, full.ServiceID)
	second, secondTok := h.homecareRequest(t, 2, broker, full.ServiceID, other.ServiceID)
	lonely, _ := h.homecareRequest(t, 3, broker, full.ServiceID)
	otherOffer := h.offerOver(t, other, second)
	for _, c := range []struct {
		id  uuid.UUID
		tok string
	}{{first, firstTok}, {second, secondTok}, {lonely, brokerTok}} {
		offer := h.offerOver(t, full, c.id)
		wantStatus(t, h.do("POST", "/api/v1/requests/"+c.id.String()+"/choice", c.tok, map[string]any{"offer_id": offer}), http.StatusCreated)
	}

	wantStatus(t, h.do("POST", "/api/v1/requests/"+first.String()+"/agreement", firstTok, map[string]any{"start_date": start}), http.StatusCreated)
	refused := h.do("POST", "/api/v1/requests/"+second.String()+"/agreement", secondTok, map[string]any{"start_date": start})
	wantStatus(t, refused, http.StatusConflict)
	if !strings.Contains(string(refused.Body), "only 0 hours free") {
		t.Fatalf("the refusal: %s", refused.Body)
	}
	match := h.do("POST", "/api/v1/requests/"+second.String()+"/match", brokerTok, nil)
	wantStatus(t, match, http.StatusConflict)
	if detail := match.json(t)["detail"].(string); strings.Contains(detail, "Offer chosen") || !strings.Contains(detail, "has an offer chosen, so the matcher cannot be run") {
		t.Fatalf("matching a chosen request says %q", detail)
	}

	wantProblem(t, h.do("POST", "/api/v1/requests/"+second.String()+"/cannot-start", secondTok, map[string]any{"reason": ""}), http.StatusBadRequest, "reason")
	r := h.do("POST", "/api/v1/requests/"+second.String()+"/cannot-start", secondTok, map[string]any{"reason": "their hours went to someone else"})
	wantStatus(t, r, http.StatusOK)
	if st := r.json(t)["status"]; st != "offers_received" {
		t.Fatalf("after cannot start the request is %v, want offers_received", st)
	}
	wantStatus(t, h.do("POST", "/api/v1/requests/"+second.String()+"/choice", secondTok, map[string]any{"offer_id": otherOffer}), http.StatusCreated)
	ag := h.do("POST", "/api/v1/requests/"+second.String()+"/agreement", secondTok, map[string]any{"start_date": start})
	wantStatus(t, ag, http.StatusCreated)
	if ag.json(t)["service_id"] != other.ServiceID.String() {
		t.Fatalf("agreed with %v, want the other service", ag.json(t)["service_id"])
	}

	// No other offer: back to matching, and the matcher runs.
	wantStatus(t, h.do("POST", "/api/v1/requests/"+lonely.String()+"/agreement", brokerTok, map[string]any{"start_date": start}), http.StatusConflict)
	r = h.do("POST", "/api/v1/requests/"+lonely.String()+"/cannot-start", brokerTok, map[string]any{"reason": "the provider is full"})
	wantStatus(t, r, http.StatusOK)
	if st := r.json(t)["status"]; st != "matching" {
		t.Fatalf("with no offer standing the request is %v, want matching", st)
	}
	wantStatus(t, h.do("POST", "/api/v1/requests/"+lonely.String()+"/match", brokerTok, nil), http.StatusCreated)
	if n := h.count("notifications", "kind = 'offer.cannot_start' AND audience_id = ?", full.OrgID.String()); n != 2 {
		t.Fatalf("the full provider was told %d times, want 2", n)
	}
}
