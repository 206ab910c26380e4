package matching

import (
	"reflect"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// complianceCodes are the codes of the compliance rules, the part of a match's reasons that
// Rules.ComplianceOn must repeat exactly.
var complianceCodes = []Code{CodeServiceInactive, CodeNoFramework, CodeContractNotActive, CodeSuspended,
	CodeNoInsurance, CodeInsuranceExpired, CodeNotCQCRegistered, CodeRatingNotAllowed}

// TestComplianceOnAgreesWithMatching asks Rules.ComplianceOn about every service of random
// directories on random requests' start dates: it must give exactly the compliance reasons the
// match gave, in the same order, and none for a ranked service.
func TestComplianceOnAgreesWithMatching(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		reg := rapid.SampledFrom(regions).Draw(t, "region")
		cfg := genConfig(t)
		rules, err := NewRules(cfg)
		if err != nil {
			t.Fatal(err)
		}
		services := genDirectory(t, reg, 1, 20)
		for _, req := range genRequests(t, reg, 1, 3) {
			res, err := MatchServices(req, services, cfg)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range res.Ranked {
				if got := rules.ComplianceOn(&services[m.service].Compliance, req.StartDate); len(got) != 0 {
					t.Fatalf("service %s ranked for %s, but ComplianceOn says %+v", m.ServiceID, req.ID, got)
				}
			}
			for _, e := range res.Excluded {
				if e.Reasons[0].Code == CodeServiceTypeMismatch {
					continue // the other rules were not asked
				}
				var want []Reason
				for _, r := range e.Reasons {
					if slices.Contains(complianceCodes, r.Code) {
						want = append(want, r)
					}
				}
				got := rules.ComplianceOn(&services[e.service].Compliance, req.StartDate)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("service %s on %s:\nComplianceOn %+v\nmatch        %+v", e.ServiceID, req.StartDate, got, want)
				}
			}
		}
	})
}

// TestComplianceOnIsTheWholeRuleSet checks one compliant service and one failing every rule.
func TestComplianceOnIsTheWholeRuleSet(t *testing.T) {
	t.Parallel()
	rules, err := NewRules(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	on := mustDate("2026-12-01")
	good := baseService().Compliance
	if got := rules.ComplianceOn(&good, on); len(got) != 0 {
		t.Fatalf("compliant service: %+v", got)
	}
	bad := Compliance{Inactive: true, ContractStatus: ContractTerminated, CQCRating: RatingInadequate,
		Suspensions: []Suspension{{Kind: "embargo", From: mustDate("2026-11-01"), Reason: "safeguarding"}}}
	want := []Reason{{Code: CodeServiceInactive}, {Code: CodeNoFramework, Date: on},
		{Code: CodeContractNotActive, ContractStatus: ContractTerminated},
		{Code: CodeSuspended, Kind: "embargo", From: mustDate("2026-11-01"), Note: "safeguarding"},
		{Code: CodeNoInsurance, Date: on}, {Code: CodeNotCQCRegistered}, {Code: CodeRatingNotAllowed, Rating: RatingInadequate}}
	if got := rules.ComplianceOn(&bad, on); !reflect.DeepEqual(got, want) {
		t.Fatalf("reasons:\n got %+v\nwant %+v", got, want)
	}
	if _, err := NewRules(Config{}); err == nil {
		t.Fatal("NewRules accepted a configuration with no distance scale")
	}
}
