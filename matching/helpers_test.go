package matching

import "testing"

// day parses a date for tests.
func day(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

func mustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Manchester city centre, and a point about 2.0 km east of it.
const (
	homeLat, homeLon = 53.4808, -2.2426
	nearLat, nearLon = 53.4808, -2.2124
)

// baseRequest is a homecare request that baseService meets on every rule.
func baseRequest() Request {
	return Request{
		ID: "R1", ServiceType: Homecare, Hours: 10, Lat: homeLat, Lon: homeLon, PostcodeDistrict: "M1",
		StartDate: mustDate("2026-12-01"), BudgetPence: 35000,
	}
}

// baseService is a compliant homecare service 2 km from the person, with room and a rate of
// £24.50 an hour (£245.00 for 10 hours).
func baseService() Service {
	return Service{
		ID: "S1", ProviderID: "P1", Name: "Ancoats Home Care", ServiceType: Homecare,
		Lat: nearLat, Lon: nearLon, Coverage: Coverage{RadiusKm: 10},
		Capacity: []CapacityStep{{From: mustDate("2026-11-01"), Free: 30}},
		Rates:    []Rate{{Pence: 2450, From: mustDate("2026-04-01")}},
		Compliance: Compliance{
			Memberships:    []Membership{{Kind: "framework", Name: "Homecare 2024", From: mustDate("2024-04-01"), To: mustDate("2028-03-31")}},
			ContractStatus: ContractActive, CQCRegistered: true, CQCRating: RatingGood,
			Insurance: []Cover{{From: mustDate("2026-04-01"), To: mustDate("2027-03-31")}},
		},
		Languages: []string{"English"}, CarerGenders: []string{"female", "male"},
	}
}

// matchOne matches one request against services with the default configuration.
func matchOne(t *testing.T, req Request, services ...Service) Result {
	t.Helper()
	res, err := MatchServices(req, services, DefaultConfig())
	if err != nil {
		t.Fatalf("MatchServices: %v", err)
	}
	return res
}
