// Package matchgen makes deterministic synthetic provider directories and batches of requests in
// Greater Manchester, for benchmarks and demonstrations of the matching engine. The same seed
// always gives the same data.
package matchgen

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/carebroker/carebroker/matching"
)

// The Greater Manchester box the data is drawn in.
const (
	LatMin, LatMax = 53.35, 53.70
	LonMin, LonMax = -2.75, -1.95
)

// Start is the first start date of generated requests: Monday 7 December 2026.
var Start = matching.DateOf(2026, 12, 7)

// towns are the centres of the ten boroughs, where most people and services are.
var towns = [][2]float64{
	{53.4808, -2.2426}, // Manchester
	{53.4875, -2.2901}, // Salford
	{53.5769, -2.4282}, // Bolton
	{53.5450, -2.6325}, // Wigan
	{53.5409, -2.1114}, // Oldham
	{53.6097, -2.1561}, // Rochdale
	{53.4106, -2.1575}, // Stockport
	{53.5933, -2.2966}, // Bury
	{53.4897, -2.0952}, // Tameside
	{53.3838, -2.3547}, // Trafford
}

type share struct {
	t      matching.ServiceType
	weight int
}

// serviceMix is the share of each type in the directory, in percent.
var serviceMix = []share{
	{matching.Homecare, 35}, {matching.ResidentialCare, 12}, {matching.NursingCare, 8},
	{matching.SpecialistHomecare, 8}, {matching.SupportedLiving, 8}, {matching.SpecialistResidentialNursing, 5},
	{matching.Respite, 5}, {matching.SpecialistRespite, 3}, {matching.DayServices, 6},
	{matching.SpecialistDayServices, 4}, {matching.SharedLives, 3}, {matching.Reablement, 3},
}

// requestMix is the share of each type among requests, in percent.
var requestMix = []share{
	{matching.Homecare, 55}, {matching.ResidentialCare, 12}, {matching.NursingCare, 8},
	{matching.SpecialistHomecare, 6}, {matching.SupportedLiving, 4}, {matching.Respite, 5},
	{matching.DayServices, 5}, {matching.Reablement, 5},
}

var (
	languages = []string{"Urdu", "Punjabi", "Polish", "Bengali", "Arabic", "Cantonese", "Somali"}
	tags      = []string{"halal food", "kosher food", "muslim faith", "christian faith", "jewish faith", "hindu faith",
		"sikh faith", "lgbt+ affirming", "dementia", "learning disability", "autism", "mental health"}
)

// weeklyRate is the range of pence a place a week for place-based types.
var weeklyRate = map[matching.ServiceType][2]int{
	matching.ResidentialCare: {70000, 110000}, matching.NursingCare: {90000, 140000},
	matching.SpecialistResidentialNursing: {120000, 200000}, matching.Respite: {80000, 120000},
	matching.SpecialistRespite: {100000, 160000}, matching.DayServices: {15000, 30000},
	matching.SpecialistDayServices: {25000, 45000}, matching.SharedLives: {40000, 60000},
}

func pick(rng *rand.Rand, mix []share) matching.ServiceType {
	n := rng.IntN(100)
	for _, s := range mix {
		if n < s.weight {
			return s.t
		}
		n -= s.weight
	}
	return mix[0].t
}

// place draws a location: near a town centre with probability nearTown, else anywhere in the box.
func place(rng *rand.Rand, nearTown float64, spreadKm float64) (lat, lon float64) {
	if rng.Float64() >= nearTown {
		return LatMin + rng.Float64()*(LatMax-LatMin), LonMin + rng.Float64()*(LonMax-LonMin)
	}
	t := towns[rng.IntN(len(towns))]
	lat = t[0] + rng.NormFloat64()*spreadKm/111.2
	lon = t[1] + rng.NormFloat64()*spreadKm/(111.2*math.Cos(t[0]*math.Pi/180))
	return min(max(lat, LatMin), LatMax), min(max(lon, LonMin), LonMax)
}

// District names the synthetic postcode district of a place: "M1" to "M99" on a 5 km grid.
func District(lat, lon float64) string {
	row, col := districtCell(lat, lon)
	return fmt.Sprintf("M%d", row*11+col+1)
}

func districtCell(lat, lon float64) (row, col int) {
	row = min(max(int((lat-LatMin)*111.2/5), 0), 7)
	col = min(max(int((lon-LonMin)*66.3/5), 0), 10)
	return row, col
}

// Directory returns n services. Coverage radii shrink as the directory grows so that a request
// has about the same number of eligible services (around 50) whatever the directory's size; the
// exponent is a little over a half because services cluster in towns, as people do.
func Directory(seed uint64, n int) []matching.Service {
	rng := rand.New(rand.NewPCG(seed, 0x5e41ce5))
	scale := math.Pow(25000/float64(max(n, 1)), 0.55)
	providers := max(n/3, 1)
	out := make([]matching.Service, n)
	for i := range out {
		t := pick(rng, serviceMix)
		s := matching.Service{
			ID: fmt.Sprintf("S%06d", i), ProviderID: fmt.Sprintf("P%05d", rng.IntN(providers)),
			Name: fmt.Sprintf("%s service %d", t.English(), i), ServiceType: t,
		}
		s.Lat, s.Lon = place(rng, 0.6, 3)
		switch c := rng.IntN(10); {
		case c == 0 && t.Unit() == matching.UnitHours && rng.IntN(2) == 0:
			// A few agencies work by postcode district: their own.
			s.Coverage.PostcodeDistricts = []string{District(s.Lat, s.Lon)}
		case t.Unit() == matching.UnitPlaces:
			// Care homes and day centres take people from further afield.
			s.Coverage.RadiusKm = math.Round((2.5+rng.Float64()*4.5)*scale*10) / 10
		default:
			s.Coverage.RadiusKm = math.Round((1.3+rng.Float64()*2.7)*scale*10) / 10
		}
		from := Start.AddDays(-rng.IntN(90) - 1)
		var free float64
		if t.Unit() == matching.UnitHours {
			free = float64(rng.IntN(17)) * 5 // 0 to 80 hours
		} else {
			free = float64(rng.IntN(5))
		}
		s.Capacity = []matching.CapacityStep{{From: from, Free: free}}
		if rng.IntN(5) == 0 {
			s.Capacity = append(s.Capacity, matching.CapacityStep{From: Start.AddDays(20 + rng.IntN(60)), Free: free * rng.Float64()})
		}
		var pence int
		if t.Unit() == matching.UnitHours {
			pence = 1800 + rng.IntN(1000)
		} else {
			r := weeklyRate[t]
			pence = r[0] + rng.IntN(r[1]-r[0])
		}
		s.Rates = []matching.Rate{{Pence: int64(pence), From: matching.DateOf(2026, 4, 1), To: matching.DateOf(2027, 3, 31)}}
		s.Compliance = compliance(rng)
		s.Languages = []string{"English"}
		if rng.IntN(5) == 0 {
			s.Languages = append(s.Languages, languages[rng.IntN(len(languages))])
		}
		s.CarerGenders = []string{"female", "male"}
		if rng.IntN(6) == 0 {
			s.CarerGenders = s.CarerGenders[:1]
		}
		for range rng.IntN(3) {
			s.Tags = append(s.Tags, tags[rng.IntN(len(tags))])
		}
		out[i] = s
	}
	return out
}

func compliance(rng *rand.Rand) matching.Compliance {
	c := matching.Compliance{ContractStatus: matching.ContractActive, CQCRegistered: rng.IntN(100) >= 3}
	if rng.IntN(100) >= 8 {
		c.Memberships = []matching.Membership{{Kind: "framework", Name: "Care at Home 2024", From: matching.DateOf(2024, 4, 1)}}
	}
	if rng.IntN(100) < 5 {
		c.ContractStatus = matching.ContractPending
	}
	if rng.IntN(100) < 3 {
		c.Suspensions = []matching.Suspension{{Kind: "suspension", From: Start.AddDays(-30), To: Start.AddDays(60), Reason: "quality concerns"}}
	}
	// Cover from April 2024 ending between just before Start and a year after it; the draw is the one
	// the directory has always made, so the data and the benchmark figures stay the same.
	c.Insurance = []matching.Cover{{From: matching.DateOf(2024, 4, 1), To: Start.AddDays(rng.IntN(400) - 10)}}
	switch n := rng.IntN(100); {
	case n < 5:
		c.CQCRating = matching.RatingOutstanding
	case n < 75:
		c.CQCRating = matching.RatingGood
	case n < 93:
		c.CQCRating = matching.RatingRequiresImprovement
	case n < 95:
		c.CQCRating = matching.RatingInadequate
	default:
		c.CQCRating = matching.RatingNotYetRated
	}
	return c
}

// Requests returns n requests, most of them near town centres, for a directory of
// directorySize services (which sets the range of provider IDs a person may already know).
func Requests(seed uint64, n, directorySize int) []matching.Request {
	rng := rand.New(rand.NewPCG(seed, 0x7e9_0e57))
	providers := max(directorySize/3, 1)
	out := make([]matching.Request, n)
	for i := range out {
		t := pick(rng, requestMix)
		r := matching.Request{ID: fmt.Sprintf("R%06d", i), ServiceType: t}
		if t == matching.SpecialistHomecare && rng.IntN(2) == 0 {
			r.GenericAlternative = matching.Homecare
		}
		r.Lat, r.Lon = place(rng, 0.8, 2.5)
		r.PostcodeDistrict = District(r.Lat, r.Lon)
		r.StartDate = Start.AddDays(rng.IntN(28))
		if t.Unit() == matching.UnitHours {
			r.Hours = float64(10+rng.IntN(47)) / 2 // 5 to 28 hours
			r.BudgetPence = int64(r.Hours * float64(2100+rng.IntN(700)))
		} else {
			r.Places = 1
			rates := weeklyRate[t]
			r.BudgetPence = int64(rates[0] + rng.IntN(rates[1]-rates[0]+20000))
		}
		if rng.IntN(20) == 0 {
			r.SelfFunded, r.BudgetPence = true, 0
		}
		r.AllowOverBudget = rng.IntN(100) < 15
		if rng.IntN(4) == 0 {
			r.Preferences.Language = languages[rng.IntN(len(languages))]
		}
		if rng.IntN(10) < 3 {
			r.Preferences.CarerGender = "female"
		}
		if rng.IntN(5) == 0 {
			r.Preferences.CulturalTags = []string{tags[rng.IntN(len(tags))]}
		}
		if rng.IntN(10) == 0 {
			r.Preferences.KnownProviderIDs = []string{fmt.Sprintf("P%05d", rng.IntN(providers))}
		}
		out[i] = r
	}
	return out
}

// HomeCare returns a batch where hours are scarce: nServices home care agencies round Manchester
// city centre, each covering the whole of it, with calendars that rise and fall over the weeks
// the requests start in (a carer joins, another leaves), and nRequests people needing 2 to 15
// hours a week. It is the case where dividing hours into equal slots loses the most people.
func HomeCare(seed uint64, nRequests, nServices int) ([]matching.Service, []matching.Request) {
	rng := rand.New(rand.NewPCG(seed, 0x40e_ca7e))
	services := make([]matching.Service, nServices)
	for i := range services {
		s := matching.Service{
			ID: fmt.Sprintf("H%04d", i), ProviderID: fmt.Sprintf("P%04d", i), Name: fmt.Sprintf("Home care agency %d", i),
			ServiceType: matching.Homecare, Coverage: matching.Coverage{RadiusKm: 12},
			Rates:      []matching.Rate{{Pence: int64(1900 + rng.IntN(900)), From: matching.DateOf(2026, 4, 1)}},
			Compliance: compliance(rng), Languages: []string{"English"}, CarerGenders: []string{"female", "male"},
		}
		s.Compliance.CQCRegistered, s.Compliance.Suspensions, s.Compliance.ContractStatus = true, nil, matching.ContractActive
		s.Compliance.Insurance = []matching.Cover{{From: matching.DateOf(2024, 4, 1)}}
		s.Compliance.CQCRating %= matching.RatingInadequate
		s.Lat, s.Lon = place(rng, 1, 2)
		day := Start.AddDays(-30)
		for range 1 + rng.IntN(4) {
			s.Capacity = append(s.Capacity, matching.CapacityStep{From: day, Free: float64(5 * rng.IntN(12))})
			day = day.AddDays(3 + rng.IntN(12))
		}
		if rng.IntN(5) == 0 {
			s.Languages = append(s.Languages, languages[rng.IntN(len(languages))])
		}
		services[i] = s
	}
	reqs := Requests(seed+1, nRequests, nServices)
	for i := range reqs {
		r := &reqs[i]
		r.ServiceType, r.GenericAlternative, r.Places = matching.Homecare, 0, 0
		r.Lat, r.Lon = place(rng, 1, 2)
		r.PostcodeDistrict = District(r.Lat, r.Lon)
		r.Hours = float64(4+rng.IntN(27)) / 2
		if !r.SelfFunded {
			r.BudgetPence = int64(r.Hours * float64(2300+rng.IntN(700)))
		}
		r.Preferences.KnownProviderIDs = nil
	}
	return services, reqs
}
