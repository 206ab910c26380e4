package matching

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestBreakdownOfTheBasePair(t *testing.T) {
	t.Parallel()
	res := matchOne(t, baseRequest(), baseService())
	if len(res.Ranked) != 1 {
		t.Fatalf("excluded: %+v", res.Excluded)
	}
	m := res.Ranked[0]
	dist := DistanceKm(homeLat, homeLon, nearLat, nearLon) // about 2.0 km
	wantDistance := int64(1000*(1-dist/20) + 0.5)
	want := Breakdown{
		Distance:   ScorePart{Weight: 25, Value: wantDistance, Points: 25 * wantDistance},
		Quality:    ScorePart{Weight: 25, Value: 800, Points: 20000},  // Good
		Price:      ScorePart{Weight: 20, Value: 300, Points: 6000},   // £245 of £350 leaves 30%
		Preference: ScorePart{Weight: 20, Value: 1000, Points: 20000}, // nothing asked
		Continuity: ScorePart{Weight: 10, Value: 0, Points: 0},        // a new provider
	}
	if m.Breakdown != want {
		t.Fatalf("breakdown\n got %+v\nwant %+v", m.Breakdown, want)
	}
	if m.Score != want.Total() || m.Rank != 1 || m.WeeklyCostPence != 24500 || m.OverBudget || len(m.Notes) != 0 {
		t.Fatalf("match = %+v", m)
	}
	text := m.Breakdown.Text()
	if !strings.HasPrefix(text, "distance 22.5 of 25, quality 20.0 of 25, price 6.0 of 20, preferences 20.0 of 20, continuity 0.0 of 10") {
		t.Fatalf("Text() = %q", text)
	}
}

func TestPreferencesAndContinuity(t *testing.T) {
	t.Parallel()
	req := baseRequest()
	req.Preferences = Preferences{Language: "Urdu", CarerGender: "Female", CulturalTags: []string{"halal food", "Muslim faith"}, KnownProviderIDs: []string{"P1"}}
	svc := baseService()
	svc.Languages = []string{"English", "urdu"}
	svc.Tags = []string{"muslim faith"}
	svc.CarerGenders = []string{"male"}
	res := matchOne(t, req, svc)
	if len(res.Ranked) != 1 {
		t.Fatalf("excluded: %+v", res.Excluded)
	}
	m := res.Ranked[0]
	if m.Breakdown.Preference.Value != 500 { // language and one tag of four preferences
		t.Errorf("preference value = %d, want 500", m.Breakdown.Preference.Value)
	}
	if m.Breakdown.Continuity.Points != 10000 {
		t.Errorf("continuity = %+v, want full marks", m.Breakdown.Continuity)
	}
	want := []Reason{
		{Code: CodeCarerGenderUnavailable, CarerGender: "Female"},
		{Code: CodeCulturalNeedUnmet, Tag: "halal food"},
		{Code: CodeKnownProvider, ProviderID: "P1"},
	}
	if !reflect.DeepEqual(m.Notes, want) {
		t.Errorf("notes\n got %+v\nwant %+v", m.Notes, want)
	}
}

func TestRankingOrder(t *testing.T) {
	t.Parallel()
	svc := func(id string, lon float64, pence int64, rating Rating) Service {
		s := baseService()
		s.ID, s.ProviderID, s.Lon, s.Rates[0].Pence, s.Compliance.CQCRating = id, "P"+id, lon, pence, rating
		return s
	}
	services := []Service{
		svc("far", -2.10, 2000, RatingGood),
		svc("near", nearLon, 2000, RatingGood),
		svc("outstanding", nearLon, 2000, RatingOutstanding),
		svc("dear", nearLon, 3000, RatingGood),
		svc("twin-b", nearLon, 2000, RatingGood), // identical to "near" but for the ID
	}
	res := matchOne(t, baseRequest(), services...)
	var got []string
	for _, m := range res.Ranked {
		got = append(got, m.ServiceID)
	}
	want := []string{"outstanding", "near", "twin-b", "dear", "far"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("order = %v, want %v", got, want)
	}
	for i, m := range res.Ranked {
		if m.Rank != i+1 {
			t.Errorf("%s has rank %d, want %d", m.ServiceID, m.Rank, i+1)
		}
	}
}

// TestGenericBeforeSpecialist: when the practitioner says a generic service could meet a
// specialist need, every eligible generic service ranks before every specialist one, as the care
// brokerage procedure says generic services are always considered first.
func TestGenericBeforeSpecialist(t *testing.T) {
	t.Parallel()
	req := baseRequest()
	req.ServiceType, req.GenericAlternative = SpecialistHomecare, Homecare
	specialist := baseService()
	specialist.ID, specialist.ServiceType, specialist.Compliance.CQCRating, specialist.Lon = "specialist", SpecialistHomecare, RatingOutstanding, homeLon
	generic := baseService()
	generic.ID, generic.Compliance.CQCRating = "generic", RatingRequiresImprovement
	res := matchOne(t, req, specialist, generic)
	if len(res.Ranked) != 2 || res.Ranked[0].ServiceID != "generic" || !res.Ranked[0].GenericAlternative {
		t.Fatalf("ranked = %+v", res.Ranked)
	}
	if res.Ranked[1].Score <= res.Ranked[0].Score {
		t.Fatalf("the specialist service should score higher yet rank second: %d vs %d", res.Ranked[1].Score, res.Ranked[0].Score)
	}
	if want := (Reason{Code: CodeGenericAlternative, ServiceType: Homecare}); !reflect.DeepEqual(res.Ranked[0].Notes, []Reason{want}) {
		t.Fatalf("notes = %+v", res.Ranked[0].Notes)
	}
	// Without the alternative, the generic service is excluded by type.
	req.GenericAlternative = 0
	res = matchOne(t, req, specialist, generic)
	if len(res.Ranked) != 1 || res.Ranked[0].ServiceID != "specialist" || res.Excluded[0].Reasons[0].Code != CodeServiceTypeMismatch {
		t.Fatalf("ranked = %+v, excluded = %+v", res.Ranked, res.Excluded)
	}
}

func TestOverBudgetAllowedIsFlaggedAndRankedLast(t *testing.T) {
	t.Parallel()
	req := baseRequest()
	req.Hours, req.AllowOverBudget = 16, true // £392 a week at £24.50
	dear := baseService()
	dear.ID, dear.Compliance.CQCRating, dear.Lon = "dear", RatingOutstanding, homeLon
	cheap := baseService()
	cheap.ID, cheap.Rates[0].Pence = "cheap", 2000 // £320 a week
	res := matchOne(t, req, dear, cheap)
	if len(res.Ranked) != 2 || res.Ranked[0].ServiceID != "cheap" || res.Ranked[1].ServiceID != "dear" {
		t.Fatalf("ranked = %+v", res.Ranked)
	}
	m := res.Ranked[1]
	want := Reason{Code: CodeOverBudget, WeeklyCostPence: 39200, BudgetPence: 35000, OverPence: 4200, NeedsApproval: true}
	if !m.OverBudget || m.Breakdown.Price.Value != 0 || !reflect.DeepEqual(m.Notes, []Reason{want}) {
		t.Fatalf("over-budget match = %+v", m)
	}
}

func TestSelfFundedPriceAgainstDearest(t *testing.T) {
	t.Parallel()
	req := baseRequest()
	req.SelfFunded, req.BudgetPence = true, 0
	a, b := baseService(), baseService()
	a.ID, a.Rates[0].Pence = "a", 3000
	b.ID, b.Rates[0].Pence = "b", 1500
	res := matchOne(t, req, a, b)
	if len(res.Ranked) != 2 {
		t.Fatalf("excluded: %+v", res.Excluded)
	}
	got := map[string]int64{}
	for _, m := range res.Ranked {
		got[m.ServiceID] = m.Breakdown.Price.Value
	}
	if got["a"] != 0 || got["b"] != 500 {
		t.Fatalf("price values = %v, want a 0 and b 500", got)
	}
}

func TestExclusionsListedNearestFirst(t *testing.T) {
	t.Parallel()
	far, near := baseService(), baseService()
	far.ID, far.Lon, far.Compliance.CQCRegistered = "far", -2.10, false
	near.ID, near.Compliance.CQCRegistered = "near", false
	res := matchOne(t, baseRequest(), far, near)
	if len(res.Excluded) != 2 || res.Excluded[0].ServiceID != "near" || res.Excluded[1].ServiceID != "far" {
		t.Fatalf("excluded = %+v", res.Excluded)
	}
}

func TestResultJSONIsSnakeCase(t *testing.T) {
	t.Parallel()
	req := baseRequest()
	req.Preferences.Language = "Polish"
	bad := baseService()
	bad.ID, bad.Compliance.CQCRating = "bad", RatingInadequate
	out, err := json.Marshal(matchOne(t, req, baseService(), bad))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"request_id":"R1"`, `"service_id":"S1"`, `"weekly_cost_pence":24500`, `"breakdown":{"distance":{"weight":25`,
		`"notes":[{"code":"language_not_offered","language":"Polish"}]`, `"reasons":[{"code":"rating_not_allowed","rating":"inadequate"}]`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("JSON lacks %s:\n%s", want, out)
		}
	}
}

func TestEmptyResultJSONHasLists(t *testing.T) {
	t.Parallel()
	out, err := json.Marshal(matchOne(t, baseRequest()))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"request_id":"R1","ranked":[],"excluded":[]}`; string(out) != want {
		t.Fatalf("JSON = %s, want %s", out, want)
	}
}

func TestValidationNamesTheField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		req  func(*Request)
		svc  func(*Service)
		cfg  func(*Config)
		want string
	}{
		{name: "hours", req: func(r *Request) { r.Hours = 0 }, want: "request.hours: must be positive"},
		{name: "hours in a week", req: func(r *Request) { r.Hours = 169 }, want: "request.hours: must be at most 168 (the hours in a week)"},
		{name: "places for homecare", req: func(r *Request) { r.Places = 1 }, want: "request.places: must be empty for homecare, which is counted in hours"},
		{name: "places", req: func(r *Request) { r.ServiceType, r.Hours = ResidentialCare, 0 }, want: "request.places: must be positive"},
		{name: "type", req: func(r *Request) { r.ServiceType = 0 }, want: "request.service_type: must be a known service type"},
		{name: "alternative for generic", req: func(r *Request) { r.GenericAlternative = Homecare }, want: "request.generic_alternative: only a specialist request may name a generic alternative"},
		{name: "alternative of wrong family", req: func(r *Request) { r.ServiceType, r.GenericAlternative = SpecialistHomecare, Reablement }, want: "request.generic_alternative: reablement cannot stand in for specialist_homecare"},
		{name: "latitude", req: func(r *Request) { r.Lat = 91 }, want: "request.lat: must be a latitude from -90 to 90"},
		{name: "district", req: func(r *Request) { r.PostcodeDistrict = "M14 4PX" }, want: "request.postcode_district: must be a postcode district such as M14 or SK4"},
		{name: "start", req: func(r *Request) { r.StartDate = 0 }, want: "request.start_date: must be set"},
		{name: "budget", req: func(r *Request) { r.BudgetPence = 0 }, want: "request.budget_pence: must be positive unless the person is self-funded"},
		{name: "service id", svc: func(s *Service) { s.ID = " " }, want: "services[0].id: must not be empty"},
		{name: "radius", svc: func(s *Service) { s.Coverage.RadiusKm = -1 }, want: "services[0].coverage.radius_km: must be from 0 to 500"},
		{name: "both coverages", svc: func(s *Service) { s.Coverage.PostcodeDistricts = []string{"M1"} }, want: "services[0].coverage: must give a radius or postcode districts, not both"},
		{name: "capacity order", svc: func(s *Service) { s.Capacity = append(s.Capacity, CapacityStep{From: s.Capacity[0].From, Free: 1}) }, want: "services[0].capacity[1].from: must be after the date of the step before"},
		{name: "rate", svc: func(s *Service) { s.Rates[0].Pence = 0 }, want: "services[0].rates[0].pence: must be from 1 to 10000000"},
		{name: "membership kind", svc: func(s *Service) { s.Compliance.Memberships[0].Kind = "club" }, want: "services[0].compliance.memberships[0].kind: must be one of framework, contract, dps"},
		{name: "contract status", svc: func(s *Service) { s.Compliance.ContractStatus = "" }, want: "services[0].compliance.contract_status: must be one of active, pending, suspended, terminated, expired"},
		{name: "insurance start", svc: func(s *Service) { s.Compliance.Insurance[0].From = 0 }, want: "services[0].compliance.insurance[0].from: must be set"},
		{name: "insurance end", svc: func(s *Service) { s.Compliance.Insurance[0].To = mustDate("2026-03-31") }, want: "services[0].compliance.insurance[0].to: must not be before from"},
		{name: "weights", cfg: func(c *Config) { c.Weights.Price = -1 }, want: "config.weights.price: must be from 0 to 1000"},
		{name: "distance scale", cfg: func(c *Config) { c.DistanceScaleKm = 0 }, want: "config.distance_scale_km: must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, svc, cfg := baseRequest(), baseService(), DefaultConfig()
			if tt.req != nil {
				tt.req(&req)
			}
			if tt.svc != nil {
				tt.svc(&svc)
			}
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			_, err := MatchServices(req, []Service{svc}, cfg)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			if _, ok := err.(*FieldError); !ok {
				t.Fatalf("error is %T, want *FieldError", err)
			}
		})
	}
}

func TestServiceTypes(t *testing.T) {
	t.Parallel()
	specialist := map[string]bool{"specialist_homecare": true, "specialist_residential_nursing": true,
		"supported_living": true, "specialist_respite": true, "specialist_day_services": true}
	hours := map[string]bool{"homecare": true, "specialist_homecare": true, "supported_living": true, "reablement": true}
	all := ServiceTypes()
	if len(all) != 12 {
		t.Fatalf("%d service types, want 12", len(all))
	}
	for _, st := range all {
		code := st.String()
		if parsed, ok := ParseServiceType(code); !ok || parsed != st {
			t.Errorf("ParseServiceType(%q) = %v, %v", code, parsed, ok)
		}
		if st.Specialist() != specialist[code] {
			t.Errorf("%s specialist = %v", code, st.Specialist())
		}
		if (st.Unit() == UnitHours) != hours[code] {
			t.Errorf("%s unit = %v", code, st.Unit())
		}
		for _, g := range st.GenericAlternatives() {
			if g.Specialist() || g.Unit() != st.Unit() {
				t.Errorf("%s has alternative %s, which must be generic and counted alike", code, g)
			}
		}
	}
}
