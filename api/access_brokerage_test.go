package api_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/api"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/plans"
	"github.com/carebroker/carebroker/providers"
)

// Persons A and B are real persons (users.person_id refers to them): A in
// team A, B in team B, both in Urmston.
var _ = func() bool {
	accessWorldSetups = append(accessWorldSetups, func(t *testing.T, w *accessWorld) {
		wireBrokerage(&w.Deps)
		// Match against organisation A only (its id is filled in by the providers area's setup).
		w.Deps.Brokerage = brokerage.New(w.DB, brokerage.Config{Directory: accessDirectory{w.Deps.Providers, &w.OrgA}, Agreements: w.Deps.Agreements})
		for _, p := range []struct {
			id   *uuid.UUID
			team string
		}{{&w.PersonA, w.TeamA}, {&w.PersonB, w.TeamB}} {
			lat, lon := 53.4465, -2.3428
			person, err := w.Deps.Brokerage.Plans().CreatePerson(context.Background(), accounts.Actor{Role: accounts.Practitioner, Team: p.team},
				plans.NewPerson{Name: "Access Person " + p.team, DateOfBirth: day.New(1940, 1, 1), Address: "1 Church Road, Urmston",
					Postcode: "M41 9LT", Latitude: &lat, Longitude: &lon})
			if err != nil {
				t.Fatalf("access world: person: %v", err)
			}
			*p.id = person.ID
		}
	})
	return true
}()

func wireBrokerage(d *api.Deps) {
	if d.Providers == nil {
		d.Providers = providers.NewStore(d.DB)
	}
	if d.Agreements == nil {
		d.Agreements = agreements.NewStore(d.DB)
	}
	if d.Brokerage == nil {
		d.Brokerage = brokerage.New(d.DB, brokerage.Config{Directory: d.Providers, Agreements: d.Agreements})
	}
}

// accessDirectory is the directory as the brokerage area of the table sees
// it: organisation A's services only, without the council's suspensions.
// The providers area's fixtures embargo organisation A and add services to
// it, in the same world as these; the access table is about who may call
// what, so the brokerage area matches quickly, as if A were in good standing.
type accessDirectory struct {
	*providers.Store
	org *uuid.UUID
}

func (d accessDirectory) Candidates(ctx context.Context, types []providers.ServiceType) ([]providers.Candidate, error) {
	all, err := d.Store.Candidates(ctx, types)
	var cs []providers.Candidate
	for _, c := range all {
		if c.OrganisationID == *d.org {
			c.Compliance.Suspensions = nil
			cs = append(cs, c)
		}
	}
	return cs, err
}

// CandidatesByID is what invitations ask again before they are sent: A's
// services, as Candidates sees them.
func (d accessDirectory) CandidatesByID(ctx context.Context, ids []uuid.UUID) ([]providers.Candidate, error) {
	all, err := d.Store.CandidatesByID(ctx, ids)
	for i := range all {
		all[i].Compliance.Suspensions = nil
	}
	return all, err
}

// accessPlans serialises plans for person A: a person has one draft at a
// time, and entries run in parallel.
var accessPlans sync.Mutex

// accessServices holds, per world, organisation A's compliant home care service.
var accessServices sync.Map // *accessWorld -> uuid.UUID

func (w *accessWorld) actor(caller string) accounts.Actor { return w.Users[caller].User.Actor() }

// homecareOfA returns organisation A's home care service near person A,
// with room for every agreement the table makes.
func homecareOfA(t *testing.T, w *accessWorld) uuid.UUID {
	t.Helper()
	if id, ok := accessServices.Load(w); ok {
		return id.(uuid.UUID)
	}
	ctx, sys, p := context.Background(), accounts.SystemActor, w.Deps.Providers
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	lat, lon := 53.4480, -2.3500
	loc, svcs, err := p.CreateLocation(ctx, sys, providers.NewLocation{OrganisationID: w.OrgA, Name: "Access home care " + uuid.NewString()[:8],
		Postcode: "M41 5BU", Latitude: &lat, Longitude: &lon, CQCLocationID: fmt.Sprintf("1-%09d", 600000000+accessCQCSeq.Add(1)),
		ServiceTypes: []providers.ServiceType{providers.Homecare}})
	must(err)
	_, err = p.SetLocationRating(ctx, sys, loc.ID, providers.LocationRating{RegistrationStatus: providers.Registered, Rating: providers.Good, RatingDate: day.New(2025, 1, 1)})
	must(err)
	svc := svcs[0].ID
	_, err = p.SetCapacity(ctx, sys, svc, providers.CapacityChange{From: day.New(2024, 1, 1), Units: 10000})
	must(err)
	_, err = p.AddRate(ctx, sys, svc, providers.NewRate{Pence: 2400, ValidFrom: day.New(2024, 1, 1)})
	must(err)
	fw, err := p.CreateFramework(ctx, sys, providers.NewFramework{Name: "Access brokerage framework " + uuid.NewString(), Kind: "framework",
		StartsOn: day.New(2024, 1, 1), Lots: []providers.NewLot{{Name: "Home care", ServiceTypes: []providers.ServiceType{providers.Homecare}}}})
	must(err)
	_, err = p.AddMembership(ctx, sys, w.OrgA, providers.NewMembership{LotID: fw.Lots[0].ID, StartsOn: day.New(2024, 1, 1)})
	must(err)
	_, err = p.SetContractStatus(ctx, sys, w.OrgA, providers.ContractChange{Status: providers.ContractActive, Reason: "signed"})
	must(err)
	doc, err := p.AddDocument(ctx, sys, w.OrgA, providers.NewDocument{Kind: "insurance", Name: "Liability", ValidFrom: day.New(2024, 1, 1), ExpiresOn: day.New(2030, 1, 1)})
	must(err)
	_, err = p.ReviewDocument(ctx, sys, doc.ID, providers.DocumentReview{Decision: "accepted"})
	must(err)
	actual, _ := accessServices.LoadOrStore(w, svc)
	return actual.(uuid.UUID)
}

func accessStart() day.Date { return day.Today(time.Now).AddDays(10) }

// homecareNeeds is a plan content of n home care needs of 14 hours, £350 a week each.
func homecareNeeds(n int) plans.PlanContent {
	c := plans.PlanContent{PersonalBudgetWeeklyPence: int64(n) * 35000}
	for i := 0; i < n; i++ {
		c.Needs = append(c.Needs, plans.NewNeed{Outcome: fmt.Sprintf("Care visits, part %d", i+1), HowMet: plans.CouncilArranged,
			WeeklyBudgetPence: 35000, ServiceType: "homecare", HoursPerWeek: 14, StartDate: accessStart(), Urgency: plans.Standard})
	}
	return c
}

// requestsOfA signs off a plan of n needs for person A and returns its requests.
func requestsOfA(t *testing.T, w *accessWorld, n int) []brokerage.Request {
	t.Helper()
	ctx, b, prac := context.Background(), w.Deps.Brokerage, w.actor("practitioner")
	accessPlans.Lock()
	defer accessPlans.Unlock()
	plan, err := b.Plans().SubmitPlan(ctx, prac, plans.NewPlan{PersonID: w.PersonA, PlanContent: homecareNeeds(n)})
	if err != nil {
		t.Fatal(err)
	}
	_, reqs, err := b.SignOffPlan(ctx, prac, plan.ID)
	if err != nil {
		t.Fatal(err)
	}
	return reqs
}

func offerBody(rate int64) brokerage.NewOffer {
	return brokerage.NewOffer{WeeklyPricePence: rate * 14, HourlyRatePence: rate, HoursPerWeek: 14,
		EarliestStart: accessStart(), ValidUntil: accessStart().AddDays(14)}
}

func accessOffer(rate int64) func(map[string]string) any {
	return func(map[string]string) any {
		o := offerBody(rate)
		return map[string]any{"weekly_price_pence": o.WeeklyPricePence, "hourly_rate_pence": o.HourlyRatePence, "hours_per_week": 14,
			"earliest_start": o.EarliestStart.String(), "valid_until": o.ValidUntil.String()}
	}
}

var (
	brokerageStaff    = roles(accounts.Broker, accounts.BudgetApprover, accounts.Practitioner, accounts.Client)
	brokerageReasonTo = jsonBody(map[string]any{"reason": "the person asked"})
	byPerson          = ownedByPerson
)

// Persons and plans.
var _ = registerAccess(accessArea{
	Name: "brokerage plans",
	Wire: wireBrokerage,
	Fixture: func(t *testing.T, w *accessWorld) map[string]string {
		ctx, b, prac := context.Background(), w.Deps.Brokerage, w.actor("practitioner")
		lat, lon := 53.4465, -2.3428
		free, err := b.Plans().CreatePerson(ctx, prac, plans.NewPerson{Name: "Access Free " + uuid.NewString()[:8], DateOfBirth: day.New(1945, 1, 1),
			Address: "2 Church Road, Urmston", Postcode: "M41 9LT", Latitude: &lat, Longitude: &lon})
		if err != nil {
			t.Fatal(err)
		}
		drafted, err := b.Plans().CreatePerson(ctx, prac, plans.NewPerson{Name: "Access Draft " + uuid.NewString()[:8], DateOfBirth: day.New(1945, 1, 1),
			Address: "3 Church Road, Urmston", Postcode: "M41 9LT", Latitude: &lat, Longitude: &lon})
		if err != nil {
			t.Fatal(err)
		}
		draft, err := b.Plans().SubmitPlan(ctx, prac, plans.NewPlan{PersonID: drafted.ID, PlanContent: homecareNeeds(1)})
		if err != nil {
			t.Fatal(err)
		}
		reqs := requestsOfA(t, w, 1)
		return map[string]string{"person": w.PersonA.String(), "free_person": free.ID.String(), "draft_plan": draft.ID.String(),
			"plan": reqs[0].PlanID.String()}
	},
	Entries: []accessEntry{
		{Method: "POST", Path: "/api/v1/persons", Roles: roles(accounts.Practitioner), Want: 201,
			Body: jsonBody(map[string]any{"name": "New Person", "date_of_birth": "1950-05-05", "address": "4 Church Road, Urmston", "postcode": "M41 9LT"})},
		{Method: "GET", Path: "/api/v1/persons", Roles: roles(accounts.Practitioner, accounts.Broker, accounts.Client), Want: 200, Owned: byPerson, List: true},
		{Method: "GET", Path: "/api/v1/persons/:id", Roles: roles(accounts.Practitioner, accounts.Broker, accounts.Client), Params: id("person"), Want: 200, Owned: byPerson},
		{Method: "GET", Path: "/api/v1/persons/:id/plans", Roles: roles(accounts.Practitioner, accounts.Broker, accounts.Client), Params: id("person"), Want: 200, Owned: byPerson},
		{Method: "POST", Path: "/api/v1/plans", Roles: roles(accounts.Practitioner), Want: 201, Owned: byPerson,
			Body: func(ids map[string]string) any {
				c := homecareNeeds(1)
				return map[string]any{"person_id": ids["free_person"], "personal_budget_weekly_pence": c.PersonalBudgetWeeklyPence, "needs": c.Needs}
			}},
		{Method: "GET", Path: "/api/v1/plans/:id", Roles: roles(accounts.Practitioner, accounts.Broker, accounts.Client), Params: id("plan"), Want: 200, Owned: byPerson},
		{Method: "PUT", Path: "/api/v1/plans/:id", Roles: roles(accounts.Practitioner), Params: id("draft_plan"), Want: 200, Owned: byPerson,
			Body: func(map[string]string) any { return homecareNeeds(1) }},
		{Method: "POST", Path: "/api/v1/plans/:id/sign-off", Roles: roles(accounts.Practitioner), Params: id("draft_plan"), Want: 200, Owned: byPerson},
		{Method: "GET", Path: "/api/v1/settings", Roles: roles(accounts.Admin, accounts.Practitioner), Want: 200},
		{Method: "PUT", Path: "/api/v1/settings", Roles: roles(accounts.Admin), Want: 200,
			Body: func(map[string]string) any { return map[string]any{"second_sign_off_above_weekly_pence": 150000} }},
	},
})

// invitedRequestOfA signs off a request for person A, matches it and
// invites organisation A's service.
func invitedRequestOfA(t *testing.T, w *accessWorld) (brokerage.Request, brokerage.Invitation) {
	t.Helper()
	ctx, b, broker := context.Background(), w.Deps.Brokerage, w.actor("broker")
	svc := homecareOfA(t, w)
	r := requestsOfA(t, w, 1)[0]
	if _, err := b.RunMatch(ctx, broker, r.ID); err != nil {
		t.Fatal(err)
	}
	invs, err := b.Invite(ctx, broker, r.ID, []uuid.UUID{svc})
	if err != nil {
		t.Fatal(err)
	}
	return r, invs[0]
}

// offeredRequestOfA is invitedRequestOfA with organisation A's offer at rate pence an hour.
func offeredRequestOfA(t *testing.T, w *accessWorld, rate int64) (brokerage.Request, brokerage.Offer) {
	t.Helper()
	r, inv := invitedRequestOfA(t, w)
	o, err := w.Deps.Brokerage.MakeOffer(context.Background(), w.actor("provider"), inv.ID, offerBody(rate))
	if err != nil {
		t.Fatal(err)
	}
	return r, o
}

// The request queue and the request's own changes.
var _ = registerAccess(accessArea{
	Name: "brokerage requests",
	Wire: wireBrokerage,
	Fixture: func(t *testing.T, w *accessWorld) map[string]string {
		reqs := requestsOfA(t, w, 2)
		if _, err := w.Deps.Brokerage.HoldRequest(context.Background(), w.actor("broker"), reqs[1].ID, "in hospital"); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"request": reqs[0].ID.String(), "held_request": reqs[1].ID.String()}
	},
	Entries: []accessEntry{
		{Method: "GET", Path: "/api/v1/requests", Roles: brokerageStaff, Want: 200, Owned: byPerson, List: true},
		{Method: "GET", Path: "/api/v1/requests/:id", Roles: brokerageStaff, Params: id("request"), Want: 200, Owned: byPerson},
		{Method: "GET", Path: "/api/v1/requests/:id/transitions", Roles: brokerageStaff, Params: id("request"), Want: 200, Owned: byPerson},
		{Method: "POST", Path: "/api/v1/requests/:id/hold", Roles: roles(accounts.Broker, accounts.Practitioner), Params: id("request"), Want: 200, Owned: byPerson, Body: brokerageReasonTo},
		{Method: "POST", Path: "/api/v1/requests/:id/resume", Roles: roles(accounts.Broker, accounts.Practitioner), Params: id("held_request"), Want: 200, Owned: byPerson, Body: brokerageReasonTo},
		{Method: "POST", Path: "/api/v1/requests/:id/cancel", Roles: roles(accounts.Broker, accounts.Practitioner), Params: id("request"), Want: 200, Owned: byPerson, Body: brokerageReasonTo},
		{Method: "POST", Path: "/api/v1/requests/:id/match", Roles: roles(accounts.Broker), Params: id("request"), Want: 201},
	},
})

// A matched request, ready to invite.
var _ = registerAccess(accessArea{
	Name: "brokerage matching",
	Wire: wireBrokerage,
	Fixture: func(t *testing.T, w *accessWorld) map[string]string {
		svc := homecareOfA(t, w)
		r := requestsOfA(t, w, 1)[0]
		if _, err := w.Deps.Brokerage.RunMatch(context.Background(), w.actor("broker"), r.ID); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"matched_request": r.ID.String(), "service": svc.String()}
	},
	Entries: []accessEntry{
		{Method: "GET", Path: "/api/v1/requests/:id/match", Roles: roles(accounts.Broker), Params: id("matched_request"), Want: 200},
		{Method: "POST", Path: "/api/v1/requests/:id/invitations", Roles: roles(accounts.Broker), Params: id("matched_request"), Want: 201,
			Body: func(ids map[string]string) any { return map[string]any{"service_ids": []string{ids["service"]}} }},
	},
})

// An invitation of organisation A waiting for its answer.
var _ = registerAccess(accessArea{
	Name: "brokerage invitations",
	Wire: wireBrokerage,
	Fixture: func(t *testing.T, w *accessWorld) map[string]string {
		r, inv := invitedRequestOfA(t, w)
		return map[string]string{"invited_request": r.ID.String(), "invitation": inv.ID.String()}
	},
	Entries: []accessEntry{
		{Method: "GET", Path: "/api/v1/requests/:id/invitations", Roles: roles(accounts.Broker), Params: id("invited_request"), Want: 200},
		{Method: "POST", Path: "/api/v1/requests/:id/chase", Roles: roles(accounts.Broker), Params: id("invited_request"), Want: 200},
		{Method: "POST", Path: "/api/v1/requests/:id/deadline", Roles: roles(accounts.Broker), Params: id("invited_request"), Want: 200,
			Body: func(map[string]string) any {
				return map[string]any{"deadline": time.Now().Add(30 * 24 * time.Hour).UTC().Format(time.RFC3339)}
			}},
		{Method: "GET", Path: "/api/v1/invitations", Roles: roles(accounts.ProviderUser), Want: 200, Owned: ownedByOrg, List: true},
		{Method: "GET", Path: "/api/v1/invitations/:id", Roles: roles(accounts.ProviderUser, accounts.Broker), Params: id("invitation"), Want: 200, Owned: ownedByOrg},
		{Method: "POST", Path: "/api/v1/invitations/:id/offer", Roles: roles(accounts.ProviderUser), Params: id("invitation"), Want: 201, Owned: ownedByOrg, Body: accessOffer(2400)},
		{Method: "POST", Path: "/api/v1/invitations/:id/decline", Roles: roles(accounts.ProviderUser), Params: id("invitation"), Want: 200, Owned: ownedByOrg,
			Body: jsonBody(map[string]any{"reason": "no carers free"})},
	},
})

// An offer of organisation A within the budget, for the person to choose.
var _ = registerAccess(accessArea{
	Name: "brokerage offers",
	Wire: wireBrokerage,
	Fixture: func(t *testing.T, w *accessWorld) map[string]string {
		r, o := offeredRequestOfA(t, w, 2400)
		return map[string]string{"offered_request": r.ID.String(), "offer": o.ID.String()}
	},
	Entries: []accessEntry{
		{Method: "POST", Path: "/api/v1/offers/:id/withdraw", Roles: roles(accounts.ProviderUser), Params: id("offer"), Want: 200, Owned: ownedByOrg,
			Body: jsonBody(map[string]any{"reason": "staff left"})},
		{Method: "GET", Path: "/api/v1/requests/:id/offers", Roles: brokerageStaff, Params: id("offered_request"), Want: 200, Owned: byPerson},
		{Method: "POST", Path: "/api/v1/requests/:id/choice", Roles: roles(accounts.Client, accounts.Broker), Params: id("offered_request"), Want: 201, Owned: byPerson,
			Body: func(ids map[string]string) any { return map[string]any{"offer_id": ids["offer"]} }},
	},
})

// An offer over the budget, for a budget approver.
var _ = registerAccess(accessArea{
	Name: "brokerage approvals",
	Wire: wireBrokerage,
	Fixture: func(t *testing.T, w *accessWorld) map[string]string {
		_, o := offeredRequestOfA(t, w, 2600)
		return map[string]string{"over_offer": o.ID.String()}
	},
	Entries: []accessEntry{
		{Method: "GET", Path: "/api/v1/approvals", Roles: roles(accounts.BudgetApprover), Want: 200},
		{Method: "POST", Path: "/api/v1/offers/:id/approve", Roles: roles(accounts.BudgetApprover), Params: id("over_offer"), Want: 200,
			Body: jsonBody(map[string]any{"note": "the person's needs justify it"})},
		{Method: "POST", Path: "/api/v1/offers/:id/reject", Roles: roles(accounts.BudgetApprover), Params: id("over_offer"), Want: 200,
			Body: jsonBody(map[string]any{"note": "a cheaper offer meets the need"})},
	},
})

// A chosen offer, for the start date to be agreed.
var _ = registerAccess(accessArea{
	Name: "brokerage agreement",
	Wire: wireBrokerage,
	Fixture: func(t *testing.T, w *accessWorld) map[string]string {
		r, o := offeredRequestOfA(t, w, 2400)
		if _, err := w.Deps.Brokerage.Choose(context.Background(), w.actor("broker"), r.ID, brokerage.ChoiceInput{OfferID: o.ID}); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"chosen_request": r.ID.String()}
	},
	Entries: []accessEntry{
		{Method: "POST", Path: "/api/v1/requests/:id/agreement", Roles: roles(accounts.Client, accounts.Broker), Params: id("chosen_request"), Want: 201, Owned: byPerson,
			Body: func(map[string]string) any { return map[string]any{"start_date": accessStart().String()} }},
		{Method: "POST", Path: "/api/v1/requests/:id/cannot-start", Roles: roles(accounts.Client, accounts.Broker), Params: id("chosen_request"), Want: 200, Owned: byPerson,
			Body: jsonBody(map[string]any{"reason": "the provider has no carers free"})},
	},
})
