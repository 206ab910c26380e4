package brokerage

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/plans"
	"github.com/carebroker/carebroker/providers"
)

func TestMain(m *testing.M) {
	accounts.UseFastHashing()
	os.Exit(m.Run())
}

// fixture is a Service on a fresh database with a clock the test moves.
type fixture struct {
	t     *testing.T
	db    *postgres.DB
	svc   *Service
	users *accounts.Store
	dir   *providers.Store
	deals *agreements.Store
	lots  map[providers.ServiceType]providers.Lot

	mu  sync.Mutex
	now time.Time
}

var ctx = context.Background()

// Tuesday 1 December 2026, 10:00 UK time.
var fixtureStart = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := pgtest.New(t)
	f := &fixture{t: t, db: db, users: accounts.NewStore(db), now: fixtureStart}
	f.dir = providers.NewStore(db, providers.WithClock(f.clock))
	f.deals = agreements.NewStore(db, agreements.WithClock(f.clock))
	f.svc = New(db, Config{Now: f.clock, Directory: f.dir, Agreements: f.deals})
	return f
}

func (f *fixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fixture) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

func (f *fixture) today() day.Date { return ukDay(f.clock()) }

// actor creates a user of the role and returns it as an actor.
func (f *fixture) actor(role accounts.Role, team string, org, person *uuid.UUID) accounts.Actor {
	f.t.Helper()
	u, err := f.users.CreateUser(ctx, accounts.NewUser{
		Email: uuid.NewString()[:8] + "@test.example", DisplayName: "Test " + string(role), Password: "a-long-test-password",
		Role: role, Team: team, ProviderOrgID: org, PersonID: person,
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return u.Actor()
}

func (f *fixture) practitioner(team string) accounts.Actor {
	return f.actor(accounts.Practitioner, team, nil, nil)
}

func (f *fixture) person(p accounts.Actor, name string) plans.Person {
	f.t.Helper()
	lat, lon := 53.4631, -2.2913
	person, err := f.svc.Plans().CreatePerson(ctx, p, plans.NewPerson{
		Name: name, DateOfBirth: day.New(1941, 3, 14), Address: "1 Test Street, Old Trafford", Postcode: "m16 0ra",
		Latitude: &lat, Longitude: &lon,
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return person
}

func (f *fixture) client(person plans.Person) accounts.Actor {
	id := person.ID
	return f.actor(accounts.Client, "", nil, &id)
}

// twoNeeds is a plan with two arranged needs and one direct payment.
func twoNeeds(personID uuid.UUID, start day.Date) plans.NewPlan {
	return plans.NewPlan{PersonID: personID, PlanContent: plans.PlanContent{
		PersonalBudgetWeeklyPence: 60000, ContingencyPence: 5000,
		Needs: []plans.NewNeed{
			{Outcome: "Get up, washed and dressed each morning", HowMet: plans.CouncilArranged, WeeklyBudgetPence: 35000,
				ServiceType: "homecare", HoursPerWeek: 14, StartDate: start, Urgency: plans.Standard,
				Preferences: plans.Preferences{Language: "Urdu", CarerGender: "female", CulturalNeeds: "halal food", ImportantToThem: "Mornings before 9"}},
			{Outcome: "A day out each week with others", HowMet: plans.CouncilArranged, WeeklyBudgetPence: 15000,
				ServiceType: "day_services", Places: 1, StartDate: start, Urgency: plans.Interim},
			{Outcome: "Choose their own gardener", HowMet: plans.DirectPayment, WeeklyBudgetPence: 5000,
				DirectPayment: &plans.DirectPaymentTerms{AmountPence: 20000, Frequency: plans.PaidFourWeekly, Purchase: plans.BuysOther}},
		},
	}}
}

// signedOff submits and signs off twoNeeds for a new person, returning the requests.
func (f *fixture) signedOff(p accounts.Actor, name string) (plans.Person, plans.Plan, []Request) {
	f.t.Helper()
	person := f.person(p, name)
	plan, err := f.svc.Plans().SubmitPlan(ctx, p, twoNeeds(person.ID, f.today().AddDays(7)))
	if err != nil {
		f.t.Fatal(err)
	}
	plan, reqs, err := f.svc.SignOffPlan(ctx, p, plan.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return person, plan, reqs
}

func (f *fixture) events(action string) []audit.Event {
	f.t.Helper()
	evs, err := audit.Query(ctx, f.db, audit.Filter{Action: action})
	if err != nil {
		f.t.Fatal(err)
	}
	return evs
}

func (f *fixture) count(table, where string, args ...any) int {
	f.t.Helper()
	var n int64
	if err := f.db.Gorm(context.Background()).Table(table).Where(where, args...).Count(&n).Error; err != nil {
		f.t.Fatal(err)
	}
	return int(n)
}
