package brokerage

import (
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/matching"
	"github.com/carebroker/carebroker/plans"
	"github.com/carebroker/carebroker/providers"
)

// The directory's words and the engine's are kept apart (the engine
// imports nothing of ours) and meet only in candidates.go. These tests
// make the two vocabularies fail together when one of them changes (days:
// TestEngineAdaptersKeepDates).

// TestEveryServiceTypeMeansTheSameToTheEngine checks, for every service
// type on either side, that it converts and that the directory and the
// engine agree on its name, its unit and whether it is specialist: a
// request measured in hours by brokerage must be matched in hours.
func TestEveryServiceTypeMeansTheSameToTheEngine(t *testing.T) {
	t.Parallel()
	if len(providers.ServiceTypes) != len(matching.ServiceTypes()) {
		t.Fatalf("the directory has %d service types, the engine %d", len(providers.ServiceTypes), len(matching.ServiceTypes()))
	}
	for _, st := range providers.ServiceTypes {
		e, ok := engineServiceType(st)
		switch {
		case !ok:
			t.Errorf("%s: unknown to the engine", st)
		case e.String() != string(st):
			t.Errorf("%s: the engine's code is %s", st, e)
		case e.English() != st.English():
			t.Errorf("%s: named %q by the directory, %q by the engine", st, st.English(), e.English())
		case (e.Unit() == matching.UnitHours) != st.HourBased() || e.Unit().String() != st.Unit():
			t.Errorf("%s: counted in %s by the directory, %s by the engine", st, st.Unit(), e.Unit())
		case e.Specialist() != st.Specialist():
			t.Errorf("%s: specialist %v in the directory, %v in the engine", st, st.Specialist(), e.Specialist())
		}
	}
	for _, e := range matching.ServiceTypes() {
		if !providers.ServiceType(e.String()).Valid() {
			t.Errorf("the engine's %s is not a directory service type", e)
		}
	}
	if _, ok := engineServiceType("care_by_drone"); ok {
		t.Error("an unknown code converted")
	}
}

// TestEveryRatingMeansTheSameToTheEngine checks both lists of CQC ratings
// convert to each other with the same English.
func TestEveryRatingMeansTheSameToTheEngine(t *testing.T) {
	t.Parallel()
	ratings := []providers.Rating{providers.NotYetRated, providers.Outstanding, providers.Good, providers.RequiresImprovement, providers.Inadequate}
	for _, r := range ratings {
		e, ok := engineRating(r)
		if !ok || e.String() != string(r) || e.English() != r.English() {
			t.Errorf("%s: the engine reads %v (%v), %q against %q", r, e, ok, e.English(), r.English())
		}
	}
	engine := 0
	for e := matching.Rating(0); e.Valid(); e++ {
		engine++
		if !providers.Rating(e.String()).Valid() {
			t.Errorf("the engine's %s is not a directory rating", e)
		}
	}
	if engine != len(ratings) {
		t.Errorf("the engine has %d ratings, the directory %d", engine, len(ratings))
	}
}

// TestEveryContractStatusIsOneTheEngineTakes converts each of the
// directory's contract statuses in a candidate the engine must accept:
// only an active contract reads as active, and "none" is worded as no
// contract at all.
func TestEveryContractStatusIsOneTheEngineTakes(t *testing.T) {
	t.Parallel()
	on := day.MustParse("2026-12-14")
	rules, err := matching.NewRules(matching.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, cs := range providers.ContractStatuses {
		c := providers.Candidate{
			ServiceID: uuid.New(), OrganisationID: uuid.New(), ServiceType: providers.Homecare, Status: providers.ServiceActive,
			RegistrationStatus: providers.Registered, Rating: providers.Good, Latitude: 53.48, Longitude: -2.24,
			Compliance: providers.Compliance{ContractStatus: cs, RequiresCQC: true},
		}
		if _, ok := engineService(c); !ok {
			t.Errorf("%s: the engine refuses the candidate", cs)
			continue
		}
		if got := engineContractStatus(cs); (got == matching.ContractActive) != (cs == providers.ContractActive) {
			t.Errorf("%s reads as %s to the engine", cs, got)
		}
		e, err := eligibilityOf(rules, c, on)
		if err != nil {
			t.Fatal(err)
		}
		var contract string
		for _, r := range e.Reasons {
			if r.Code == string(matching.CodeContractNotActive) {
				contract = r.Detail
			}
		}
		switch {
		case cs == providers.ContractActive && contract != "":
			t.Errorf("an active contract is refused: %s", contract)
		case cs == providers.ContractNone && contract != "no contract with the council":
			t.Errorf("no contract is worded %q", contract)
		case cs != providers.ContractActive && cs != providers.ContractNone && contract != "contract is "+string(cs)+", not active":
			t.Errorf("%s is worded %q", cs, contract)
		}
	}
}

// TestCareNeedsAreHardAndTastesSoft: a need written on the request that
// names one of the directory's specialisms ("Dementia", "learning
// disability") becomes a care need the engine holds every service to; the
// rest stay preferences. A home that does not list dementia is excluded with
// the reason in words, where before it only lost points.
func TestCareNeedsAreHardAndTastesSoft(t *testing.T) {
	d := day.MustParse("2026-12-14")
	mr, ok := engineRequest(Request{ID: uuid.New(), ServiceType: "residential_care", Places: 1, Postcode: "M41 5RR", StartDate: d,
		BudgetWeeklyPence: 100000, Preferences: plans.Preferences{CulturalNeeds: "Dementia, halal food, learning disability"}}, 53.45, -2.35)
	if !ok || len(mr.CareNeeds) != 2 || mr.CareNeeds[0] != "dementia" || mr.CareNeeds[1] != "learning_disability" ||
		len(mr.Preferences.CulturalTags) != 1 || mr.Preferences.CulturalTags[0] != "halal food" || mr.Validate() != nil {
		t.Fatalf("engine request: %+v", mr)
	}
	home := matching.Service{ID: "S1", ProviderID: "P1", ServiceType: matching.ResidentialCare, Lat: 53.45, Lon: -2.35,
		Coverage: matching.Coverage{RadiusKm: 10}, CaresFor: []string{"learning_disability"}, Tags: []string{"learning_disability"},
		Capacity: []matching.CapacityStep{{From: matching.DateOf(2026, 1, 1), Free: 2}},
		Rates:    []matching.Rate{{Pence: 90000, From: matching.DateOf(2026, 1, 1)}},
		Compliance: matching.Compliance{Memberships: []matching.Membership{{Kind: "framework", From: matching.DateOf(2024, 1, 1)}},
			ContractStatus: matching.ContractActive, CQCRegistered: true, CQCRating: matching.RatingGood,
			Insurance: []matching.Cover{{From: matching.DateOf(2024, 1, 1)}}}}
	res, err := matching.MatchServices(mr, []matching.Service{home}, matching.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Ranked) != 0 || len(res.Excluded) != 1 || res.Excluded[0].Reasons[0].Text() != "does not say it can care for people living with dementia" {
		t.Fatalf("ranked %+v, excluded %+v", res.Ranked, res.Excluded)
	}
}
