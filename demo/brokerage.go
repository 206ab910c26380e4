package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/plans"
	"github.com/carebroker/carebroker/providers"
)

// demoPerson is a person of the demo, living at a real Greater Manchester
// postcode (from data/), with what brokerage has done for them so far.
type demoPerson struct {
	person   plans.NewPerson
	team     string
	client   string // email of the client user bound to them, if any
	plan     plans.PlanContent
	scenario string // "open", "offers" (one within budget, one over) or "agreed"
}

func demoPersons(today day.Date) []demoPerson {
	at := func(lat, lon float64) (*float64, *float64) { return &lat, &lon }
	start := today.AddDays(14)
	home := func(outcome string, budget int64, st providers.ServiceType, urgency plans.Urgency, prefs plans.Preferences) plans.NewNeed {
		return plans.NewNeed{Outcome: outcome, HowMet: plans.CouncilArranged, WeeklyBudgetPence: budget, ServiceType: st,
			Places: 1, StartDate: start, Urgency: urgency, Preferences: prefs}
	}
	var ps []demoPerson
	lat, lon := at(53.446521, -2.342776)
	ps = append(ps, demoPerson{
		person: plans.NewPerson{Name: "Margaret Hughes", DateOfBirth: day.New(1938, 5, 12), Address: "30 Stretford Road, Urmston, Manchester",
			Postcode: "M41 9LT", Latitude: lat, Longitude: lon, RepresentativeName: "Claire Hughes (daughter)"},
		team: "community_led_support", client: "client1@demo.carebroker.example", scenario: "offers",
		plan: plans.PlanContent{PersonalBudgetWeeklyPence: 110000, ContingencyPence: 5000, Needs: []plans.NewNeed{
			home("Live safely with 24-hour support close to her daughter in Urmston", 95000, providers.ResidentialCare, plans.Standard,
				plans.Preferences{Language: "English", CarerGender: "female", ImportantToThem: "Her garden and her cat, Smudge"}),
			{Outcome: "Keep going to the Tuesday lunch club with her friends", HowMet: plans.DirectPayment, WeeklyBudgetPence: 3000,
				DirectPayment: &plans.DirectPaymentTerms{AmountPence: 12000, Frequency: plans.PaidFourWeekly, Purchase: plans.BuysDayActivities}},
		}},
	})
	lat, lon = at(53.422443, -2.334908)
	ps = append(ps, demoPerson{
		person: plans.NewPerson{Name: "Arthur Kowalski", DateOfBirth: day.New(1941, 9, 3), Address: "12 Delaunays Road, Sale",
			Postcode: "M33 6RX", Latitude: lat, Longitude: lon},
		team: "community_led_support", client: "client2@demo.carebroker.example", scenario: "agreed",
		plan: plans.PlanContent{PersonalBudgetWeeklyPence: 130000, Needs: []plans.NewNeed{
			home("Nursing care after his stroke, near his wife in Sale", 130000, providers.NursingCare, plans.Interim,
				plans.Preferences{Language: "Polish", CulturalNeeds: "Catholic", ImportantToThem: "Visits from his wife every afternoon"}),
		}},
	})
	lat, lon = at(53.399099, -2.341537)
	ps = append(ps, demoPerson{
		person: plans.NewPerson{Name: "Samina Akhtar", DateOfBirth: day.New(1952, 2, 17), Address: "5 Deansgate Lane, Timperley, Altrincham",
			Postcode: "WA15 6SQ", Latitude: lat, Longitude: lon},
		team: "community_led_support", scenario: "open",
		plan: plans.PlanContent{PersonalBudgetWeeklyPence: 100000, Needs: []plans.NewNeed{
			home("A safe place to stay while her carer is in hospital", 100000, providers.ResidentialCare, plans.Urgent,
				plans.Preferences{Language: "Urdu", CarerGender: "female", CulturalNeeds: "halal food"}),
		}},
	})
	lat, lon = at(53.418107, -2.166612)
	ps = append(ps, demoPerson{
		person: plans.NewPerson{Name: "Derek Olsen", DateOfBirth: day.New(1969, 11, 30), Address: "Basil Street, Stockport",
			Postcode: "SK4 1QL", Latitude: lat, Longitude: lon},
		team: "mental_health", scenario: "open",
		plan: plans.PlanContent{PersonalBudgetWeeklyPence: 60000, Needs: []plans.NewNeed{{
			Outcome: "Live in his own flat with support to manage his medication and money", HowMet: plans.CouncilArranged,
			WeeklyBudgetPence: 60000, ServiceType: "supported_living", HoursPerWeek: 20, StartDate: start, Urgency: plans.Standard,
			Preferences: plans.Preferences{ImportantToThem: "Staying near his sister"},
		}}},
	})
	return ps
}

// seedBrokerage adds the demo persons, the client users bound to two of
// them, and signed-off plans whose requests stand in different states: one
// open, one invited with two offers (one over budget), one agreed. It
// needs the provider directory for the last two; without enough services
// the requests are left open. A person already there is left as they are,
// so running it twice changes nothing.
func seedBrokerage(ctx context.Context, db *postgres.DB, r *Report) error {
	users := accounts.NewStore(db)
	actorOf := func(email string) (accounts.Actor, error) {
		u, err := users.UserByEmail(ctx, email)
		if err != nil {
			return accounts.Actor{}, fmt.Errorf("demo user %s: %w", email, err)
		}
		return u.Actor(), nil
	}
	broker, err := actorOf("broker@demo.carebroker.example")
	if err != nil {
		return err
	}
	dir := providers.NewStore(db)
	svc := brokerage.New(db, brokerage.Config{Directory: dir, Agreements: agreements.NewStore(db)})
	today := day.Today(time.Now)
	for _, dp := range demoPersons(today) {
		email := "practitioner@demo.carebroker.example"
		if dp.team == "mental_health" {
			email = "mh.practitioner@demo.carebroker.example"
		}
		prac, err := actorOf(email)
		if err != nil {
			return err
		}
		if _, err := svc.Plans().PersonNamed(ctx, prac, dp.person.Name); err == nil {
			r.Existing++
			continue
		} else if !errs.Is(err, errs.NotFound) {
			return err
		}
		person, err := svc.Plans().CreatePerson(ctx, prac, dp.person)
		if err != nil {
			return fmt.Errorf("demo person %s: %w", dp.person.Name, err)
		}
		r.Counts["brokerage persons"]++
		if dp.client != "" {
			id := person.ID
			if err := ensureUser(ctx, users, accounts.NewUser{Email: dp.client, DisplayName: dp.person.Name, Role: accounts.Client, PersonID: &id}, r); err != nil {
				return err
			}
		}
		plan, err := svc.Plans().SubmitPlan(ctx, prac, plans.NewPlan{PersonID: person.ID, PlanContent: dp.plan})
		if err != nil {
			return fmt.Errorf("demo plan for %s: %w", dp.person.Name, err)
		}
		_, reqs, err := svc.SignOffPlan(ctx, prac, plan.ID)
		if err != nil {
			return fmt.Errorf("demo sign-off for %s: %w", dp.person.Name, err)
		}
		r.Counts["brokerage requests"] += len(reqs)
		if dp.scenario == "open" || len(reqs) == 0 {
			continue
		}
		done, err := advance(ctx, svc, users, broker, reqs[0], dp, r)
		if err != nil {
			return fmt.Errorf("demo brokerage for %s: %w", dp.person.Name, err)
		}
		if !done {
			r.Counts["brokerage requests left open (too few services to match)"]++
		}
	}
	return nil
}

// advance takes a demo request through matching, invitations and offers,
// and for the "agreed" scenario through choice and the start date. It
// reports false, changing nothing, when the matcher ranks fewer than two
// providers.
func advance(ctx context.Context, svc *brokerage.Service, users *accounts.Store, broker accounts.Actor, req brokerage.Request, dp demoPerson, r *Report) (bool, error) {
	m, err := svc.RunMatch(ctx, broker, req.ID)
	if err != nil {
		return false, err
	}
	var picks []brokerage.RankedService
	seen := map[string]bool{}
	for _, rs := range m.Ranked {
		if !seen[rs.ProviderOrgID] && !rs.OverBudget {
			seen[rs.ProviderOrgID] = true
			picks = append(picks, rs)
		}
		if len(picks) == 2 {
			break
		}
	}
	if len(picks) < 2 {
		return false, nil
	}
	ids := []uuid.UUID{uuid.MustParse(picks[0].ServiceID), uuid.MustParse(picks[1].ServiceID)}
	invs, err := svc.Invite(ctx, broker, req.ID, ids)
	if err != nil {
		return false, err
	}
	var offers []brokerage.Offer
	for i, inv := range invs {
		who, err := providerUser(ctx, users, inv.ProviderOrgID, r)
		if err != nil {
			return false, err
		}
		weekly := picks[i].WeeklyCostPence
		if i == 1 {
			weekly = req.BudgetWeeklyPence + 7500 // the second provider asks for more than the budget
		}
		o, err := svc.MakeOffer(ctx, who, inv.ID, placeOffer(weekly, req.StartDate))
		if err != nil {
			return false, err
		}
		offers = append(offers, o)
	}
	if dp.scenario != "agreed" {
		return true, nil
	}
	client, err := users.UserByEmail(ctx, dp.client)
	if err != nil {
		return false, err
	}
	if _, err := svc.Choose(ctx, client.Actor(), req.ID, brokerage.ChoiceInput{OfferID: offers[0].ID}); err != nil {
		return false, err
	}
	_, err = svc.AgreeStartDate(ctx, client.Actor(), req.ID, offers[0].EarliestStart)
	return err == nil, err
}

func placeOffer(weekly int64, start day.Date) brokerage.NewOffer {
	return brokerage.NewOffer{WeeklyPricePence: weekly, Places: 1, EarliestStart: start, ValidUntil: start.AddDays(28),
		Notes: "A ground-floor room with an en-suite is free; we can visit beforehand."}
}

// providerUser returns a user of the organisation, making the demo's own
// when the directory's demo made none.
func providerUser(ctx context.Context, users *accounts.Store, org uuid.UUID, r *Report) (accounts.Actor, error) {
	us, err := users.Users(ctx, accounts.ProviderUser)
	if err != nil {
		return accounts.Actor{}, err
	}
	for _, u := range us {
		if u.ProviderOrgID != nil && *u.ProviderOrgID == org {
			return u.Actor(), nil
		}
	}
	email := fmt.Sprintf("provider.%s@demo.carebroker.example", org.String()[:8])
	id := org
	if err := ensureUser(ctx, users, accounts.NewUser{Email: email, DisplayName: "Demo provider user", Role: accounts.ProviderUser, ProviderOrgID: &id}, r); err != nil {
		return accounts.Actor{}, err
	}
	u, err := users.UserByEmail(ctx, email)
	return u.Actor(), err
}
