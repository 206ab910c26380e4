package matching

import (
	"reflect"
	"testing"
)

// TestHardRules changes one thing at a time in a request and service pair that is otherwise a
// match, and checks the exact reasons the service is excluded for.
func TestHardRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		req  func(*Request)
		svc  func(*Service)
		want []Reason
	}{
		{name: "specialist service for a generic request",
			svc:  func(s *Service) { s.ServiceType = SpecialistHomecare },
			want: []Reason{{Code: CodeServiceTypeMismatch, ServiceType: SpecialistHomecare, RequestedType: Homecare}}},
		{name: "generic service for a specialist request without a generic alternative",
			req:  func(r *Request) { r.ServiceType = SpecialistHomecare },
			want: []Reason{{Code: CodeServiceTypeMismatch, ServiceType: Homecare, RequestedType: SpecialistHomecare}}},
		{name: "other family",
			svc:  func(s *Service) { s.ServiceType = Reablement },
			want: []Reason{{Code: CodeServiceTypeMismatch, ServiceType: Reablement, RequestedType: Homecare}}},
		{name: "beyond the radius",
			svc:  func(s *Service) { s.Coverage.RadiusKm = 1.5 },
			want: []Reason{{Code: CodeOutOfArea, DistanceKm: DistanceKm(homeLat, homeLon, nearLat, nearLon), RadiusKm: 1.5}}},
		{name: "default radius applies when coverage is not stated",
			svc:  func(s *Service) { s.Coverage = Coverage{}; s.Lat = 53.6808 },
			want: []Reason{{Code: CodeOutOfArea, DistanceKm: DistanceKm(homeLat, homeLon, 53.6808, nearLon), RadiusKm: 20}}},
		{name: "district not listed",
			svc:  func(s *Service) { s.Coverage = Coverage{PostcodeDistricts: []string{"M14", "M15"}} },
			want: []Reason{{Code: CodeDistrictNotCovered, PostcodeDistrict: "M1"}}},
		{name: "district unknown",
			req:  func(r *Request) { r.PostcodeDistrict = "" },
			svc:  func(s *Service) { s.Coverage = Coverage{PostcodeDistricts: []string{"M1"}} },
			want: []Reason{{Code: CodeDistrictNotCovered}}},
		{name: "not enough hours on the start date",
			req:  func(r *Request) { r.Hours, r.BudgetPence = 20, 60000 },
			svc:  func(s *Service) { s.Capacity[0].Free = 12 },
			want: []Reason{{Code: CodeNoCapacity, Date: mustDate("2026-12-01"), Needed: 20, Free: 12, Unit: UnitHours}}},
		{name: "capacity only starts after the start date",
			svc:  func(s *Service) { s.Capacity[0].From = mustDate("2026-12-02") },
			want: []Reason{{Code: CodeNoCapacity, Date: mustDate("2026-12-01"), Needed: 10, Free: 0, Unit: UnitHours}}},
		{name: "capacity falls short later",
			svc: func(s *Service) {
				s.Capacity = append(s.Capacity, CapacityStep{From: mustDate("2027-01-04"), Free: 4}, CapacityStep{From: mustDate("2027-02-01"), Free: 2}, CapacityStep{From: mustDate("2027-03-01"), Free: 40})
			},
			want: []Reason{{Code: CodeNoCapacity, Date: mustDate("2026-12-01"), From: mustDate("2027-02-01"), Needed: 10, Free: 2, Unit: UnitHours}}},
		{name: "no places",
			req: func(r *Request) { r.ServiceType, r.Hours, r.Places, r.BudgetPence = ResidentialCare, 0, 1, 120000 },
			svc: func(s *Service) {
				s.ServiceType, s.Capacity[0].Free, s.Rates[0].Pence = ResidentialCare, 0, 95000
			},
			want: []Reason{{Code: CodeNoCapacity, Date: mustDate("2026-12-01"), Needed: 1, Free: 0, Unit: UnitPlaces}}},
		{name: "framework ends on the start date, within the first 12 weeks",
			svc:  func(s *Service) { s.Compliance.Memberships[0].To = mustDate("2026-12-01") },
			want: []Reason{{Code: CodeNoFramework, Date: mustDate("2026-12-02")}}},
		{name: "membership lapses for a day within the span",
			svc: func(s *Service) {
				s.Compliance.Memberships = []Membership{{Kind: "framework", From: mustDate("2024-04-01"), To: mustDate("2026-12-31")},
					{Kind: "framework", From: mustDate("2027-01-02")}}
			},
			want: []Reason{{Code: CodeNoFramework, Date: mustDate("2027-01-01")}}},
		{name: "embargo from the day after the start",
			svc: func(s *Service) {
				s.Compliance.Suspensions = []Suspension{{Kind: "embargo", From: mustDate("2026-12-02")}}
			},
			want: []Reason{{Code: CodeSuspended, Kind: "embargo", From: mustDate("2026-12-02")}}},
		{name: "insurance expires on the start date",
			svc:  func(s *Service) { s.Compliance.Insurance[0].To = mustDate("2026-12-01") },
			want: []Reason{{Code: CodeInsuranceExpired, Date: mustDate("2026-12-01")}}},
		{name: "a gap in insurance within the span",
			svc: func(s *Service) {
				s.Compliance.Insurance = []Cover{{From: mustDate("2026-04-01"), To: mustDate("2026-12-15")}, {From: mustDate("2026-12-20"), To: mustDate("2027-12-15")}}
			},
			want: []Reason{{Code: CodeNoInsurance, Date: mustDate("2026-12-16"), From: mustDate("2026-12-20")}}},
		{name: "a care need the service does not meet",
			req:  func(r *Request) { r.CareNeeds = []string{"dementia", "double_handed"} },
			svc:  func(s *Service) { s.CaresFor = []string{"Dementia"} },
			want: []Reason{{Code: CodeCannotMeetNeed, Tag: "double_handed"}}},
		{name: "framework ended",
			svc:  func(s *Service) { s.Compliance.Memberships[0].To = mustDate("2026-11-30") },
			want: []Reason{{Code: CodeNoFramework, Date: mustDate("2026-12-01")}}},
		{name: "framework not yet started",
			svc:  func(s *Service) { s.Compliance.Memberships[0].From = mustDate("2026-12-02") },
			want: []Reason{{Code: CodeNoFramework, Date: mustDate("2026-12-01")}}},
		{name: "no memberships",
			svc:  func(s *Service) { s.Compliance.Memberships = nil },
			want: []Reason{{Code: CodeNoFramework, Date: mustDate("2026-12-01")}}},
		{name: "contract pending",
			svc:  func(s *Service) { s.Compliance.ContractStatus = ContractPending },
			want: []Reason{{Code: CodeContractNotActive, ContractStatus: ContractPending}}},
		{name: "suspended over the start date",
			svc: func(s *Service) {
				s.Compliance.Suspensions = []Suspension{{Kind: "suspension", From: mustDate("2026-11-01"), To: mustDate("2026-12-31"), Reason: "safeguarding investigation"}}
			},
			want: []Reason{{Code: CodeSuspended, Kind: "suspension", From: mustDate("2026-11-01"), To: mustDate("2026-12-31"), Note: "safeguarding investigation"}}},
		{name: "embargo until further notice",
			svc: func(s *Service) {
				s.Compliance.Suspensions = []Suspension{{Kind: "embargo", From: mustDate("2026-12-01")}}
			},
			want: []Reason{{Code: CodeSuspended, Kind: "embargo", From: mustDate("2026-12-01")}}},
		{name: "no insurance evidence",
			svc:  func(s *Service) { s.Compliance.Insurance = nil },
			want: []Reason{{Code: CodeNoInsurance, Date: mustDate("2026-12-01")}}},
		{name: "insurance expired the day before",
			svc:  func(s *Service) { s.Compliance.Insurance[0].To = mustDate("2026-11-30") },
			want: []Reason{{Code: CodeInsuranceExpired, Date: mustDate("2026-11-30")}}},
		{name: "the latest of several covers expired",
			svc: func(s *Service) {
				s.Compliance.Insurance = []Cover{{From: mustDate("2025-04-01"), To: mustDate("2026-03-31")}, {From: mustDate("2024-04-01"), To: mustDate("2025-03-31")}}
			},
			want: []Reason{{Code: CodeInsuranceExpired, Date: mustDate("2026-03-31")}}},
		{name: "insurance only from after the start date",
			svc: func(s *Service) {
				s.Compliance.Insurance = []Cover{{From: mustDate("2027-01-01"), To: mustDate("2027-12-31")}}
			},
			want: []Reason{{Code: CodeNoInsurance, Date: mustDate("2026-12-01"), From: mustDate("2027-01-01")}}},
		{name: "a gap in cover on the start date",
			svc: func(s *Service) {
				s.Compliance.Insurance = []Cover{{From: mustDate("2027-02-01")}, {From: mustDate("2026-01-01"), To: mustDate("2026-11-30")}, {From: mustDate("2026-12-02"), To: mustDate("2027-01-31")}}
			},
			want: []Reason{{Code: CodeNoInsurance, Date: mustDate("2026-12-01"), From: mustDate("2026-12-02")}}},
		{name: "service no longer offered",
			svc:  func(s *Service) { s.Compliance.Inactive = true },
			want: []Reason{{Code: CodeServiceInactive}}},
		{name: "not CQC registered",
			svc:  func(s *Service) { s.Compliance.CQCRegistered = false },
			want: []Reason{{Code: CodeNotCQCRegistered}}},
		{name: "rated Inadequate",
			svc:  func(s *Service) { s.Compliance.CQCRating = RatingInadequate },
			want: []Reason{{Code: CodeRatingNotAllowed, Rating: RatingInadequate}}},
		{name: "no rate on the start date",
			svc:  func(s *Service) { s.Rates[0].To = mustDate("2026-11-30") },
			want: []Reason{{Code: CodeNoRate, Date: mustDate("2026-12-01")}}},
		{name: "over budget",
			req:  func(r *Request) { r.Hours, r.BudgetPence = 16, 35000 },
			want: []Reason{{Code: CodeOverBudget, WeeklyCostPence: 39200, BudgetPence: 35000, OverPence: 4200}}},
		{name: "several rules at once",
			svc: func(s *Service) {
				s.Compliance.ContractStatus = ContractTerminated
				s.Compliance.CQCRegistered = false
				s.Capacity = nil
			},
			want: []Reason{
				{Code: CodeNoCapacity, Date: mustDate("2026-12-01"), Needed: 10, Free: 0, Unit: UnitHours},
				{Code: CodeContractNotActive, ContractStatus: ContractTerminated},
				{Code: CodeNotCQCRegistered},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, svc := baseRequest(), baseService()
			if tt.req != nil {
				tt.req(&req)
			}
			if tt.svc != nil {
				tt.svc(&svc)
			}
			res := matchOne(t, req, svc)
			if len(res.Ranked) != 0 || len(res.Excluded) != 1 {
				t.Fatalf("got %d ranked and %d excluded, want the service excluded", len(res.Ranked), len(res.Excluded))
			}
			if got := res.Excluded[0].Reasons; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("reasons:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestRulesThatAdmit checks the edges of each rule from the side where the service stays in.
func TestRulesThatAdmit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		req  func(*Request)
		svc  func(*Service)
	}{
		{name: "the base pair"},
		{name: "exactly the hours free", req: func(r *Request) { r.Hours = 30 }, svc: func(s *Service) { s.Rates[0].Pence = 1000 }},
		{name: "fractional hours fit exactly", req: func(r *Request) { r.Hours = 10.5 }, svc: func(s *Service) { s.Capacity[0].Free = 10.5 }},
		{name: "district listed, any case", svc: func(s *Service) { s.Coverage = Coverage{PostcodeDistricts: []string{"m1"}} }},
		{name: "district far away but listed", svc: func(s *Service) {
			s.Coverage, s.Lat = Coverage{PostcodeDistricts: []string{"M1"}}, 54.5
		}},
		{name: "one of two memberships in force", svc: func(s *Service) {
			s.Compliance.Memberships = append([]Membership{{Kind: "contract", From: mustDate("2020-01-01"), To: mustDate("2021-01-01")}}, s.Compliance.Memberships...)
		}},
		{name: "suspension ended the day before", svc: func(s *Service) {
			s.Compliance.Suspensions = []Suspension{{Kind: "suspension", From: mustDate("2026-10-01"), To: mustDate("2026-11-30")}}
		}},
		{name: "insurance starts on the start date", svc: func(s *Service) { s.Compliance.Insurance[0].From = mustDate("2026-12-01") }},
		{name: "open-ended insurance", svc: func(s *Service) { s.Compliance.Insurance[0].To = 0 }},
		{name: "the second of two covers in force", svc: func(s *Service) {
			s.Compliance.Insurance = []Cover{{From: mustDate("2025-04-01"), To: mustDate("2026-03-31")}, {From: mustDate("2026-04-01"), To: mustDate("2027-03-31")}}
		}},
		{name: "suspended from the day after the first 12 weeks", svc: func(s *Service) {
			s.Compliance.Suspensions = []Suspension{{Kind: "embargo", From: mustDate("2027-02-23")}}
		}},
		{name: "framework ends on the last day of the first 12 weeks", svc: func(s *Service) {
			s.Compliance.Memberships[0].To = mustDate("2027-02-22")
		}},
		{name: "one membership follows another", svc: func(s *Service) {
			s.Compliance.Memberships = []Membership{{Kind: "framework", From: mustDate("2024-04-01"), To: mustDate("2026-12-31")},
				{Kind: "framework", From: mustDate("2027-01-01")}}
		}},
		{name: "insurance renewed without a gap within the span", svc: func(s *Service) {
			s.Compliance.Insurance = []Cover{{From: mustDate("2026-04-01"), To: mustDate("2026-12-15")}, {From: mustDate("2026-12-16"), To: mustDate("2027-12-15")}}
		}},
		{name: "every care need met, in any case", req: func(r *Request) { r.CareNeeds = []string{"dementia", "nursing"} },
			svc: func(s *Service) { s.CaresFor = []string{"nursing", "DEMENTIA", "bariatric"} }},
		{name: "Requires improvement is allowed by default", svc: func(s *Service) { s.Compliance.CQCRating = RatingRequiresImprovement }},
		{name: "cost exactly the budget", req: func(r *Request) { r.BudgetPence = 24500 }},
		{name: "self-funded has no cap", req: func(r *Request) { r.BudgetPence, r.SelfFunded, r.Hours = 0, true, 30 }},
		{name: "specialist request met by the specialist type", req: func(r *Request) { r.ServiceType = SpecialistHomecare }, svc: func(s *Service) { s.ServiceType = SpecialistHomecare }},
		{name: "specialist request met by its generic alternative", req: func(r *Request) {
			r.ServiceType, r.GenericAlternative = SpecialistHomecare, Homecare
		}},
		{name: "nursing home as the alternative to specialist nursing", req: func(r *Request) {
			r.ServiceType, r.GenericAlternative, r.Hours, r.Places, r.BudgetPence = SpecialistResidentialNursing, NursingCare, 0, 1, 100000
		}, svc: func(s *Service) { s.ServiceType, s.Rates[0].Pence, s.Capacity[0].Free = NursingCare, 90000, 2 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, svc := baseRequest(), baseService()
			if tt.req != nil {
				tt.req(&req)
			}
			if tt.svc != nil {
				tt.svc(&svc)
			}
			res := matchOne(t, req, svc)
			if len(res.Ranked) != 1 {
				t.Fatalf("service excluded: %+v", res.Excluded)
			}
		})
	}
}

// TestRatingPolicyIsConfiguration shows a council tightening its policy without code.
func TestRatingPolicyIsConfiguration(t *testing.T) {
	t.Parallel()
	svc := baseService()
	svc.Compliance.CQCRating = RatingRequiresImprovement
	svc.Compliance.CQCRegistered = false
	cfg := DefaultConfig()
	cfg.Ratings.Disallowed = []Rating{RatingInadequate, RatingRequiresImprovement}
	res, err := MatchServices(baseRequest(), []Service{svc}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := []Reason{{Code: CodeNotCQCRegistered}, {Code: CodeRatingNotAllowed, Rating: RatingRequiresImprovement}}
	if len(res.Excluded) != 1 || !reflect.DeepEqual(res.Excluded[0].Reasons, want) {
		t.Fatalf("excluded = %+v, want reasons %+v", res.Excluded, want)
	}
	cfg.Ratings.Disallowed = nil
	cfg.Ratings.RequireRegistration = false
	res, err = MatchServices(baseRequest(), []Service{svc}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Ranked) != 1 {
		t.Fatalf("with a lax policy the service should match; excluded %+v", res.Excluded)
	}
}
