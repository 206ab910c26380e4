package providers

import (
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
	case c.Compliance.InsuranceExpires != day.MustParse("2027-03-31"):
		t.Errorf("insurance expires %s", c.Compliance.InsuranceExpires)
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

func TestEligibleSaysWhyNot(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	fw := testFramework(t, s)
	good := newFixture(t, s, Homecare, ResidentialCare)
	makeCompliant(t, s, good, fw.Lots[0])
	bad := newFixture(t, s, Homecare)
	makeCompliant(t, s, bad, fw.Lots[0])
	must[Suspension](t)(s.Suspend(ctx, broker, bad.Org.ID, NewSuspension{Kind: "suspension", Reason: "missed visits under investigation",
		StartsOn: day.MustParse("2026-12-10"), EndsOn: day.MustParse("2027-01-31")}))
	unknown := uuid.New()

	on := day.MustParse("2026-12-15")
	ids := []uuid.UUID{good.Services[Homecare].ID, good.Services[ResidentialCare].ID, bad.Services[Homecare].ID, unknown}
	got := must[map[uuid.UUID]Eligibility](t)(s.Eligible(ctx, on, ids))
	if len(got) != 3 {
		t.Fatalf("%d answers, want 3 (the unknown id left out)", len(got))
	}
	if e := got[good.Services[Homecare].ID]; !e.Compliant || len(e.Reasons) != 0 {
		t.Errorf("compliant homecare: %+v", e)
	}
	if e := got[good.Services[ResidentialCare].ID]; e.Compliant || codes(e) != ReasonNoFramework {
		t.Errorf("residential care off the homecare lot: %+v, want only no_framework", e)
	}
	e := got[bad.Services[Homecare].ID]
	if e.Compliant || codes(e) != ReasonSuspended || !strings.Contains(e.Reasons[0].Detail, "missed visits under investigation") ||
		!strings.Contains(e.Reasons[0].Detail, "until 31 January 2027") {
		t.Errorf("suspended provider: %+v", e)
	}
	// Before the suspension and after the insurance runs out.
	before := must[map[uuid.UUID]Eligibility](t)(s.Eligible(ctx, day.MustParse("2026-12-01"), ids[2:3]))
	if !before[ids[2]].Compliant {
		t.Errorf("before the suspension starts: %+v", before[ids[2]])
	}
	later := must[map[uuid.UUID]Eligibility](t)(s.Eligible(ctx, day.MustParse("2027-04-01"), ids[:1]))
	if e := later[ids[0]]; codes(e) != ReasonInsuranceExpired || e.Reasons[0].Detail != "insurance expired on 31 March 2027" {
		t.Errorf("after the insurance expired: %+v", e)
	}
}

func codes(e Eligibility) string {
	var cs []string
	for _, r := range e.Reasons {
		cs = append(cs, r.Code)
	}
	return strings.Join(cs, ",")
}
