package frontend

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/plans"
	"github.com/carebroker/carebroker/providers"
)

// staffWorld is the pages with the real use cases on a fresh database: a
// provider directory, people with signed-off plans, and the staff who
// work their requests. Times are real: the use cases take today from the
// clock, and nothing here asserts a time of day.
type staffWorld struct {
	*harness
	t     testing.TB
	svc   *brokerage.Service
	dir   *providers.Store
	deals *agreements.Store
	lot   map[providers.ServiceType]providers.Lot
}

var worldSeq atomic.Int64

// newStaffWorld is a harness (whose use cases are app's) with the world's
// helpers.
func newStaffWorld(t testing.TB, opts ...harnessOption) *staffWorld {
	t.Helper()
	h := newHarness(t, opts...)
	return &staffWorld{harness: h, t: t, svc: h.f.deps.Brokerage, dir: h.f.deps.Providers, deals: h.f.deps.Agreements}
}

var system = accounts.Actor{Name: "test directory", Role: accounts.System}

func (w *staffWorld) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

// today is the UK day, as the use cases see it.
func today() day.Date { return day.Today(time.Now) }

// provider adds a compliant homecare provider about km east of the test
// persons, rated Good, with 40 hours a week free at rate pence an hour,
// and a user of it.
func (w *staffWorld) provider(name string, rate int64, kmEast float64) (providers.Organisation, uuid.UUID, accounts.Actor) {
	w.t.Helper()
	ctx := context.Background()
	n := worldSeq.Add(1)
	if w.lot == nil {
		fw, err := w.dir.CreateFramework(ctx, system, providers.NewFramework{Name: fmt.Sprintf("Home Care Framework %d", n), Kind: providers.KindFramework,
			StartsOn: day.New(2024, 4, 1), Lots: []providers.NewLot{{Name: "Home care", ServiceTypes: []providers.ServiceType{"homecare"}}}})
		w.must(err)
		w.lot = map[providers.ServiceType]providers.Lot{"homecare": fw.Lots[0]}
	}
	org, err := w.dir.CreateOrganisation(ctx, system, providers.NewOrganisation{Name: name})
	w.must(err)
	lat, lon := 53.4631, -2.2913+0.0150*kmEast
	loc, svcs, err := w.dir.CreateLocation(ctx, system, providers.NewLocation{OrganisationID: org.ID, Name: name + " (Stretford)",
		CQCLocationID: fmt.Sprintf("1-%09d", 800000+n), Address: fmt.Sprintf("%d Chester Road, Stretford", n), Postcode: "M32 0JG",
		Latitude: &lat, Longitude: &lon, ServiceTypes: []providers.ServiceType{"homecare"}})
	w.must(err)
	_, err = w.dir.SetLocationRating(ctx, system, loc.ID, providers.LocationRating{RegistrationStatus: providers.Registered, Rating: providers.Good, RatingDate: day.New(2025, 6, 1)})
	w.must(err)
	_, err = w.dir.SetCapacity(ctx, system, svcs[0].ID, providers.CapacityChange{From: today().AddDays(-30), Units: 40})
	w.must(err)
	_, err = w.dir.AddRate(ctx, system, svcs[0].ID, providers.NewRate{Pence: rate, ValidFrom: today().AddDays(-30)})
	w.must(err)
	_, err = w.dir.AddMembership(ctx, system, org.ID, providers.NewMembership{LotID: w.lot["homecare"].ID, StartsOn: day.New(2024, 4, 1)})
	w.must(err)
	_, err = w.dir.SetContractStatus(ctx, system, org.ID, providers.ContractChange{Status: providers.ContractActive, Reason: "signed"})
	w.must(err)
	doc, err := w.dir.AddDocument(ctx, system, org.ID, providers.NewDocument{Kind: "insurance", Name: "Public liability", ValidFrom: day.New(2024, 4, 1), ExpiresOn: today().AddDays(700)})
	w.must(err)
	_, err = w.dir.ReviewDocument(ctx, system, doc.ID, providers.DocumentReview{Decision: "accepted"})
	w.must(err)
	id := org.ID
	return org, svcs[0].ID, w.actor(accounts.ProviderUser, "", &id, nil)
}

// actor makes a user of the role (with its team, organisation or person).
func (w *staffWorld) actor(role accounts.Role, team string, org, person *uuid.UUID) accounts.Actor {
	w.t.Helper()
	u, err := w.accounts.CreateUser(context.Background(), accounts.NewUser{Email: uuid.NewString()[:8] + "@world.test", DisplayName: "World " + string(role),
		Password: "a-long-world-password", Role: role, Team: team, ProviderOrgID: org, PersonID: person})
	w.must(err)
	return u.Actor()
}

// signedIn makes a user of the role and a browser signed in as them.
func (w *staffWorld) signedIn(role accounts.Role, team string) (*browser, accounts.Actor) {
	w.t.Helper()
	email := uuid.NewString()[:8] + "." + string(role) + "@staff.test"
	u, err := w.accounts.CreateUser(context.Background(), accounts.NewUser{Email: email, DisplayName: "Staff " + RoleName(role),
		Password: "a-long-staff-password", Role: role, Team: team})
	w.must(err)
	b := w.browser()
	if r := b.signIn(email, "a-long-staff-password"); r.Code != 303 {
		w.t.Fatalf("sign in as %s: %d", role, r.Code)
	}
	return b, u.Actor()
}

// homecareRequest records a person of team with a plan of 14 hours of
// home care a week on a £350 budget, signs it off and returns the request.
func (w *staffWorld) homecareRequest(team, name string, urgency plans.Urgency) (plans.Person, brokerage.Request) {
	w.t.Helper()
	ctx := context.Background()
	prac := w.actor(accounts.Practitioner, team, nil, nil)
	lat, lon := 53.4631, -2.2913
	p, err := w.svc.Plans().CreatePerson(ctx, prac, plans.NewPerson{Name: name, DateOfBirth: day.New(1941, 3, 14),
		Address: "1 Test Street, Old Trafford", Postcode: "M16 0RA", Latitude: &lat, Longitude: &lon, RepresentativeName: "Ann (daughter)"})
	w.must(err)
	plan, err := w.svc.Plans().SubmitPlan(ctx, prac, plans.NewPlan{PersonID: p.ID, PlanContent: plans.PlanContent{
		PersonalBudgetWeeklyPence: 40000, ContingencyPence: 2500, Needs: []plans.NewNeed{
			{Outcome: "Get up, washed and dressed each morning", HowMet: plans.CouncilArranged, WeeklyBudgetPence: 35000,
				ServiceType: "homecare", HoursPerWeek: 14, StartDate: today().AddDays(10), Urgency: urgency,
				Preferences: plans.Preferences{Language: "Urdu", CarerGender: "female", CulturalNeeds: "halal food", ImportantToThem: "Mornings before 9"}},
			{Outcome: "Go to the lunch club", HowMet: plans.DirectPayment, WeeklyBudgetPence: 5000,
				DirectPayment: &plans.DirectPaymentTerms{AmountPence: 5000, Frequency: plans.PaidWeekly, Purchase: plans.BuysDayActivities}},
		}}})
	w.must(err)
	_, reqs, err := w.svc.SignOffPlan(ctx, prac, plan.ID)
	w.must(err)
	return p, reqs[0]
}

// offer makes the provider user's offer on their invitation for the request.
func (w *staffWorld) offer(provider accounts.Actor, requestID uuid.UUID, ratePence int64) brokerage.Offer {
	w.t.Helper()
	ctx := context.Background()
	invs, err := w.svc.Invitations(ctx, provider)
	w.must(err)
	for _, inv := range invs {
		if inv.RequestID == requestID {
			o, err := w.svc.MakeOffer(ctx, provider, inv.ID, brokerage.NewOffer{WeeklyPricePence: ratePence * 14, HourlyRatePence: ratePence,
				HoursPerWeek: 14, EarliestStart: today().AddDays(10), ValidUntil: today().AddDays(40), Notes: "Morning calls from 8am"})
			w.must(err)
			return o
		}
	}
	w.t.Fatalf("no invitation for request %s", requestID)
	return brokerage.Offer{}
}
