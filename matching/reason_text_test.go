package matching

import (
	"encoding/json"
	"reflect"
	"testing"
)

// reasonCases holds one reason of every code, its English and its JSON.
var reasonCases = []struct {
	reason Reason
	text   string
	json   string
}{
	{Reason{Code: CodeServiceTypeMismatch, ServiceType: SpecialistHomecare, RequestedType: Homecare},
		"provides specialist homecare, not homecare",
		`{"code":"service_type_mismatch","service_type":"specialist_homecare","requested_type":"homecare"}`},
	{Reason{Code: CodeCannotMeetNeed, Tag: "dementia"},
		"does not say it can care for people living with dementia",
		`{"code":"cannot_meet_need","tag":"dementia"}`},
	{Reason{Code: CodeCannotMeetNeed, Tag: "tracheostomy_care"},
		"does not say it can meet the need: tracheostomy care",
		`{"code":"cannot_meet_need","tag":"tracheostomy_care"}`},
	{Reason{Code: CodeOutOfArea, DistanceKm: 12.4, RadiusKm: 10},
		"12.4 km away; covers 10 km",
		`{"code":"out_of_area","distance_km":12.4,"radius_km":10}`},
	{Reason{Code: CodeDistrictNotCovered, PostcodeDistrict: "M14"},
		"does not cover postcode district M14",
		`{"code":"district_not_covered","postcode_district":"M14"}`},
	{Reason{Code: CodeDistrictNotCovered},
		"covers listed postcode districts only, and the person's district is not known",
		`{"code":"district_not_covered","postcode_district":""}`},
	{Reason{Code: CodeNoCapacity, Date: mustDate("2026-12-01"), Needed: 20, Free: 12, Unit: UnitHours},
		"no capacity on 1 December 2026 (needs 20 hours a week, 12 free)",
		`{"code":"no_capacity","date":"2026-12-01","needed":20,"free":12,"unit":"hours"}`},
	{Reason{Code: CodeNoCapacity, Date: mustDate("2026-12-01"), Needed: 1, Free: 0, Unit: UnitPlaces},
		"no capacity on 1 December 2026 (needs 1 place, 0 free)",
		`{"code":"no_capacity","date":"2026-12-01","needed":1,"free":0,"unit":"places"}`},
	{Reason{Code: CodeNoCapacity, Date: mustDate("2026-12-01"), From: mustDate("2027-02-01"), Needed: 10.5, Free: 2.25, Unit: UnitHours},
		"no capacity from 1 February 2027 (needs 10.5 hours a week, 2.25 free)",
		`{"code":"no_capacity","date":"2026-12-01","needed":10.5,"free":2.25,"unit":"hours","from":"2027-02-01"}`},
	{Reason{Code: CodeNoRate, Date: mustDate("2026-12-01")},
		"no rate in force on 1 December 2026",
		`{"code":"no_rate","date":"2026-12-01"}`},
	{Reason{Code: CodeNoFramework, Date: mustDate("2026-12-01")},
		"not on a framework or contract on 1 December 2026",
		`{"code":"no_framework","date":"2026-12-01"}`},
	{Reason{Code: CodeContractNotActive, ContractStatus: ContractTerminated},
		"contract is terminated, not active",
		`{"code":"contract_not_active","contract_status":"terminated"}`},
	{Reason{Code: CodeSuspended, Kind: "suspension", From: mustDate("2026-11-01"), To: mustDate("2026-12-31"), Note: "safeguarding investigation"},
		"suspended by the council from 1 November 2026 to 31 December 2026: safeguarding investigation",
		`{"code":"suspended","kind":"suspension","from":"2026-11-01","to":"2026-12-31","note":"safeguarding investigation"}`},
	{Reason{Code: CodeSuspended, Kind: "embargo", From: mustDate("2026-12-01")},
		"under a council embargo from 1 December 2026 until further notice",
		`{"code":"suspended","kind":"embargo","from":"2026-12-01","note":""}`},
	{Reason{Code: CodeInsuranceExpired, Date: mustDate("2026-11-30")},
		"insurance expired on 30 November 2026",
		`{"code":"insurance_expired","date":"2026-11-30"}`},
	{Reason{Code: CodeNoInsurance, Date: mustDate("2026-12-14")},
		"no accepted insurance evidence covers 14 December 2026",
		`{"code":"no_insurance","date":"2026-12-14"}`},
	{Reason{Code: CodeNoInsurance, Date: mustDate("2026-12-14"), From: mustDate("2027-01-01")},
		"no accepted insurance evidence covers 14 December 2026; the next cover starts on 1 January 2027",
		`{"code":"no_insurance","date":"2026-12-14","from":"2027-01-01"}`},
	{Reason{Code: CodeServiceInactive},
		"the service is no longer offered",
		`{"code":"service_inactive"}`},
	{Reason{Code: CodeNotCQCRegistered},
		"not registered with the CQC",
		`{"code":"not_cqc_registered"}`},
	{Reason{Code: CodeRatingNotAllowed, Rating: RatingInadequate},
		"CQC rating Inadequate",
		`{"code":"rating_not_allowed","rating":"inadequate"}`},
	{Reason{Code: CodeOverBudget, WeeklyCostPence: 39200, BudgetPence: 35000, OverPence: 4200},
		"£392.00 a week, £42.00 over the £350.00 budget",
		`{"code":"over_budget","weekly_cost_pence":39200,"budget_pence":35000,"over_pence":4200,"needs_approval":false}`},
	{Reason{Code: CodeOverBudget, WeeklyCostPence: 123456, BudgetPence: 100000, OverPence: 23456, NeedsApproval: true},
		"£1,234.56 a week, £234.56 over the £1,000.00 budget; needs a budget approver to agree",
		`{"code":"over_budget","weekly_cost_pence":123456,"budget_pence":100000,"over_pence":23456,"needs_approval":true}`},
	{Reason{Code: CodeGenericAlternative, ServiceType: Homecare},
		"generic homecare, considered before specialist services",
		`{"code":"generic_alternative","service_type":"homecare"}`},
	{Reason{Code: CodeLanguageNotOffered, Language: "Polish"},
		"does not offer Polish",
		`{"code":"language_not_offered","language":"Polish"}`},
	{Reason{Code: CodeCarerGenderUnavailable, CarerGender: "female"},
		"no female carers",
		`{"code":"carer_gender_unavailable","carer_gender":"female"}`},
	{Reason{Code: CodeCulturalNeedUnmet, Tag: "halal food"},
		"does not list halal food",
		`{"code":"cultural_need_unmet","tag":"halal food"}`},
	{Reason{Code: CodeKnownProvider, ProviderID: "P7"},
		"the person already uses this provider",
		`{"code":"known_provider","provider_id":"P7"}`},
}

func TestReasonText(t *testing.T) {
	t.Parallel()
	for _, tt := range reasonCases {
		if got := tt.reason.Text(); got != tt.text {
			t.Errorf("%s: Text() = %q, want %q", tt.reason.Code, got, tt.text)
		}
	}
}

func TestReasonJSON(t *testing.T) {
	t.Parallel()
	for _, tt := range reasonCases {
		got, err := json.Marshal(tt.reason)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.json {
			t.Errorf("%s: JSON\n got %s\nwant %s", tt.reason.Code, got, tt.json)
		}
		var back Reason
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("%s: %v", tt.reason.Code, err)
		}
		if !reflect.DeepEqual(back, tt.reason) {
			t.Errorf("%s: round trip = %+v, want %+v", tt.reason.Code, back, tt.reason)
		}
	}
}

// TestEveryCodeIsCovered keeps reasonCases in step with the codes: a new code must come with its
// English and JSON.
func TestEveryCodeIsCovered(t *testing.T) {
	t.Parallel()
	codes := []Code{CodeServiceTypeMismatch, CodeOutOfArea, CodeDistrictNotCovered, CodeNoCapacity, CodeNoRate,
		CodeNoFramework, CodeContractNotActive, CodeSuspended, CodeInsuranceExpired, CodeNoInsurance, CodeServiceInactive, CodeNotCQCRegistered,
		CodeRatingNotAllowed, CodeOverBudget, CodeGenericAlternative, CodeLanguageNotOffered,
		CodeCarerGenderUnavailable, CodeCulturalNeedUnmet, CodeKnownProvider, CodeCannotMeetNeed}
	for _, c := range codes {
		found := false
		for _, tt := range reasonCases {
			found = found || tt.reason.Code == c
		}
		if !found {
			t.Errorf("no English or JSON case for %s", c)
		}
		if (Reason{Code: c}).Text() == string(c) {
			t.Errorf("%s has no English rendering", c)
		}
	}
}
