package providers

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

// compliant makes f's organisation compliant for its types from 2026-11-01:
// on a framework lot, active contract, accepted insurance to 2027-03-31.
func makeCompliant(t *testing.T, s *Store, f fixture, lot Lot) {
	t.Helper()
	must[Membership](t)(s.AddMembership(ctx, broker, f.Org.ID, NewMembership{LotID: lot.ID, StartsOn: day.MustParse("2026-11-01")}))
	must[Organisation](t)(s.SetContractStatus(ctx, broker, f.Org.ID, ContractChange{Status: ContractActive, Reason: "signed"}))
	doc := must[Document](t)(s.AddDocument(ctx, providerActor(f.Org.ID), f.Org.ID, NewDocument{
		Kind: "insurance", Name: "Public liability 2026-27", ValidFrom: day.MustParse("2026-04-01"), ExpiresOn: day.MustParse("2027-03-31")}))
	must[Document](t)(s.ReviewDocument(ctx, broker, doc.ID, DocumentReview{Decision: "accepted"}))
}

func testFramework(t *testing.T, s *Store) Framework {
	t.Helper()
	return must[Framework](t)(s.CreateFramework(ctx, admin, NewFramework{
		Name: "Greater Manchester Care at Home Framework 2024", Kind: KindFramework, StartsOn: day.MustParse("2024-04-01"),
		Lots: []NewLot{{Name: "Lot 1 Homecare", ServiceTypes: []ServiceType{Homecare, SpecialistHomecare}}},
	}))
}

func TestCandidatesCarryEverythingMatchingNeeds(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	fw := testFramework(t, s)
	a := newFixture(t, s, Homecare, ResidentialCare)
	b := newFixture(t, s, ResidentialCare)
	makeCompliant(t, s, a, fw.Lots[0])
	hc := a.Services[Homecare].ID
	must[[]CapacityStep](t)(s.SetCapacity(ctx, admin, hc, CapacityChange{From: day.MustParse("2026-11-01"), Units: 40}))
	must[Rate](t)(s.AddRate(ctx, providerActor(a.Org.ID), hc, NewRate{Pence: 2450, ValidFrom: day.MustParse("2026-04-01")}))
	langs := []string{"urdu", "English"}
	must[Service](t)(s.ChangeService(ctx, providerActor(a.Org.ID), hc, ServiceChanges{
		Languages: &langs, Coverage: &Coverage{RadiusKm: 8}, CarerGenders: &[]string{"female"}, Specialisms: &[]string{"dementia"}}))
	must[Suspension](t)(s.Suspend(ctx, broker, b.Org.ID, NewSuspension{Kind: "embargo", Reason: "safeguarding enquiry", StartsOn: day.MustParse("2026-11-15")}))

	cands := must[[]Candidate](t)(s.Candidates(ctx, []ServiceType{Homecare}))
	if len(cands) != 1 || cands[0].ServiceID != hc {
		t.Fatalf("candidates for homecare: %+v, want only %s", cands, hc)
	}
	c := cands[0]
	switch {
	case c.OrganisationID != a.Org.ID || c.OrganisationName != a.Org.Name:
		t.Errorf("organisation %s %q", c.OrganisationID, c.OrganisationName)
	case c.Postcode != "M33 6RX" || c.PostcodeDistrict != "M33":
		t.Errorf("postcode %q district %q", c.Postcode, c.PostcodeDistrict)
	case c.Coverage.RadiusKm != 8:
		t.Errorf("coverage %+v", c.Coverage)
	case strings.Join(c.Languages, ",") != "English,Urdu":
		t.Errorf("languages %v, want English and Urdu in title case", c.Languages)
	case len(c.Capacity) != 1 || c.Capacity[0].Free != 40:
		t.Errorf("capacity %+v", c.Capacity)
	case len(c.Rates) != 1 || c.Rates[0].Pence != 2450 || c.Rates[0].Unit != "hour":
		t.Errorf("rates %+v", c.Rates)
	case len(c.Compliance.Memberships) != 1 || c.Compliance.ContractStatus != ContractActive:
		t.Errorf("compliance %+v", c.Compliance)
	case len(c.Compliance.InsuranceCover) != 1 ||
		c.Compliance.InsuranceCover[0] != InsuranceCover{From: day.MustParse("2026-04-01"), To: day.MustParse("2027-03-31")}:
		t.Errorf("insurance cover %+v", c.Compliance.InsuranceCover)
	}

	res := must[[]Candidate](t)(s.Candidates(ctx, []ServiceType{ResidentialCare}))
	if len(res) != 2 {
		t.Fatalf("residential candidates: %d, want 2", len(res))
	}
	for _, c := range res {
		if len(c.Compliance.Memberships) != 0 {
			t.Errorf("the homecare lot was given to residential service %s", c.ServiceID)
		}
		if c.OrganisationID == b.Org.ID && (len(c.Compliance.Suspensions) != 1 || c.Compliance.Suspensions[0].Reason != "safeguarding enquiry") {
			t.Errorf("embargoed provider's suspensions: %+v", c.Compliance.Suspensions)
		}
	}
	if _, err := s.Candidates(ctx, []ServiceType{"care_home"}); errs.As(err) == nil || errs.As(err).Field != "types[0]" {
		t.Fatalf("unknown type: %v, want Invalid naming types[0]", err)
	}
}

func TestCandidatesReadInAFixedNumberOfQueries(t *testing.T) {
	t.Parallel()
	s, db := newStore(t)
	fw := testFramework(t, s)
	counts := []int64{}
	for _, n := range []int{1, 8} {
		for len(must[[]Candidate](t)(s.Candidates(ctx, []ServiceType{Homecare}))) < n {
			f := newFixture(t, s, Homecare)
			makeCompliant(t, s, f, fw.Lots[0])
			must[[]CapacityStep](t)(s.SetCapacity(ctx, admin, f.Services[Homecare].ID, CapacityChange{From: day.MustParse("2026-11-01"), Units: 10}))
			must[Rate](t)(s.AddRate(ctx, admin, f.Services[Homecare].ID, NewRate{Pence: 2300, ValidFrom: day.MustParse("2026-04-01")}))
		}
		counter := countQueries(t, db)
		must[[]Candidate](t)(s.Candidates(ctx, []ServiceType{Homecare}))
		counts = append(counts, counter.Load())
	}
	if counts[0] != counts[1] || counts[0] > 6 {
		t.Fatalf("queries for 1 and 8 services: %v; want the same, at most 6", counts)
	}
}

// TestCandidatesByIDReadCompliance checks that the services asked about are
// read whatever their status, with every fact compliance is judged on:
// accepted insurance only, each piece as its own span, the suspensions and
// the memberships. brokerage judges them with the matcher's rules.
func TestCandidatesByIDReadCompliance(t *testing.T) {
	t.Parallel()
	s, db := newStore(t)
	fw := testFramework(t, s)
	good := newFixture(t, s, Homecare, ResidentialCare)
	makeCompliant(t, s, good, fw.Lots[0])
	later := must[Document](t)(s.AddDocument(ctx, providerActor(good.Org.ID), good.Org.ID, NewDocument{
		Kind: "insurance", Name: "Public liability 2027-28", ValidFrom: day.MustParse("2027-05-01"), ExpiresOn: day.MustParse("2028-04-30")}))
	must[Document](t)(s.ReviewDocument(ctx, broker, later.ID, DocumentReview{Decision: "accepted"}))
	must[Document](t)(s.AddDocument(ctx, providerActor(good.Org.ID), good.Org.ID, NewDocument{
		Kind: "insurance", Name: "Not yet reviewed", ValidFrom: day.MustParse("2026-01-01"), ExpiresOn: day.MustParse("2030-01-01")}))
	bad := newFixture(t, s, Homecare)
	must[Suspension](t)(s.Suspend(ctx, broker, bad.Org.ID, NewSuspension{Kind: "suspension", Reason: "missed visits under investigation",
		StartsOn: day.MustParse("2026-12-10"), EndsOn: day.MustParse("2027-01-31")}))
	closed := bad.Services[Homecare].ID
	if err := db.Gorm(context.Background()).Exec(`UPDATE provider_services SET status = 'inactive' WHERE id = ?`, closed).Error; err != nil {
		t.Fatal(err)
	}

	ids := []uuid.UUID{good.Services[Homecare].ID, good.Services[ResidentialCare].ID, closed, uuid.New()}
	got := must[[]Candidate](t)(s.CandidatesByID(ctx, ids))
	byID := map[uuid.UUID]Candidate{}
	for _, c := range got {
		byID[c.ServiceID] = c
	}
	if len(got) != 3 || len(byID) != 3 {
		t.Fatalf("%d candidates, want 3 (the unknown id left out)", len(got))
	}
	wantCover := []InsuranceCover{{From: day.MustParse("2026-04-01"), To: day.MustParse("2027-03-31")},
		{From: day.MustParse("2027-05-01"), To: day.MustParse("2028-04-30")}}
	hc := byID[ids[0]]
	if !reflect.DeepEqual(hc.Compliance.InsuranceCover, wantCover) || len(hc.Compliance.Memberships) != 1 ||
		hc.Compliance.ContractStatus != ContractActive || hc.Status != ServiceActive {
		t.Errorf("compliant homecare: %+v", hc.Compliance)
	}
	if rc := byID[ids[1]]; len(rc.Compliance.Memberships) != 0 || !reflect.DeepEqual(rc.Compliance.InsuranceCover, wantCover) {
		t.Errorf("residential care off the homecare lot: %+v", rc.Compliance)
	}
	c := byID[closed]
	if c.Status != ServiceInactive || len(c.Compliance.Suspensions) != 1 || c.Compliance.Suspensions[0].Reason != "missed visits under investigation" ||
		len(c.Compliance.InsuranceCover) != 0 || c.Compliance.ContractStatus != ContractNone {
		t.Errorf("closed, suspended service: status %s, %+v", c.Status, c.Compliance)
	}
	if len(c.Capacity) != 0 || len(c.Rates) != 0 {
		t.Errorf("compliance read the calendar too: %+v %+v", c.Capacity, c.Rates)
	}
	if none := must[[]Candidate](t)(s.CandidatesByID(ctx, nil)); none == nil || len(none) != 0 {
		t.Errorf("no ids: %v, want an empty list", none)
	}
}
