package api

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/plans"
)

// TestFiftyConcurrentAgreementsAreOneAnd49Conflicts: 50 "agree start date"
// calls on one request at once, over HTTP: exactly one agreement (201); the
// other 49 get 409.
func TestFiftyConcurrentAgreementsAreOneAnd49Conflicts(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	b := h.srv.Brokerage
	p := h.homecareProvider(t, 2400, 53.4480, -2.3500)
	pracUser, _ := h.user(accounts.NewUser{Email: "p@test.example", Role: accounts.Practitioner, Team: "community_led_support"})
	brokerUser, brokerTok := h.user(accounts.NewUser{Email: "b@test.example", Role: accounts.Broker})
	prac, broker := pracUser.Actor(), brokerUser.Actor()
	lat, lon := 53.4465, -2.3428
	person, err := b.Plans().CreatePerson(ctx, prac, plans.NewPerson{Name: "Olive Example", DateOfBirth: day.New(1939, 1, 1),
		Address: "1 Church Road, Urmston", Postcode: "M41 9LT", Latitude: &lat, Longitude: &lon})
	if err != nil {
		t.Fatal(err)
	}
	pid := person.ID
	_, clientTok := h.user(accounts.NewUser{Email: "o@test.example", Role: accounts.Client, PersonID: &pid})
	start := day.Today(time.Now).AddDays(10)
	plan, err := b.Plans().SubmitPlan(ctx, prac, plans.NewPlan{PersonID: person.ID, PlanContent: plans.PlanContent{
		PersonalBudgetWeeklyPence: 35000, Needs: []plans.NewNeed{{Outcome: "Mornings", HowMet: plans.CouncilArranged,
			WeeklyBudgetPence: 35000, ServiceType: "homecare", HoursPerWeek: 14, StartDate: start, Urgency: plans.Standard}}}})
	if err != nil {
		t.Fatal(err)
	}
	_, reqs, err := b.SignOffPlan(ctx, prac, plan.ID)
	if err != nil {
		t.Fatal(err)
	}
	id := reqs[0].ID
	if _, err := b.RunMatch(ctx, broker, id); err != nil {
		t.Fatal(err)
	}
	invs, err := b.Invite(ctx, broker, id, []uuid.UUID{p.ServiceID})
	if err != nil {
		t.Fatal(err)
	}
	r := h.do("POST", "/api/v1/invitations/"+invs[0].ID.String()+"/offer", p.Token, map[string]any{
		"weekly_price_pence": 33600, "hourly_rate_pence": 2400, "hours_per_week": 14, "earliest_start": start.String(), "valid_until": start.AddDays(7).String()})
	wantStatus(t, r, http.StatusCreated)
	wantStatus(t, h.do("POST", "/api/v1/requests/"+id.String()+"/choice", clientTok, map[string]any{"offer_id": r.json(t)["id"]}), http.StatusCreated)

	var wg sync.WaitGroup
	statuses := make(chan int, 50)
	go1 := make(chan struct{})
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			tok := clientTok
			if i%2 == 1 {
				tok = brokerTok
			}
			<-go1
			statuses <- h.do("POST", "/api/v1/requests/"+id.String()+"/agreement", tok, map[string]any{"start_date": start.String()}).Status
		}(i)
	}
	close(go1)
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	if count[http.StatusCreated] != 1 || count[http.StatusConflict] != 49 {
		t.Fatalf("statuses %v, want one 201 and 49 409", count)
	}
	if n := h.count("agreements", "request_id = ?", id); n != 1 {
		t.Fatalf("%d agreements, want 1", n)
	}
}
