package matching

import (
	"fmt"
	"math"

	"pgregory.net/rapid"
)

// Generators for property tests: small directories and requests in which every rule is hit
// often, in a few regions chosen to stress the spatial index (Greater Manchester, across the 180th
// meridian, next to the North Pole).

var (
	genTypes     = []ServiceType{Homecare, SpecialistHomecare, ResidentialCare, NursingCare, SpecialistResidentialNursing}
	genDistricts = []string{"M1", "M14", "SK4", "bl1"}
	genLanguages = []string{"English", "Urdu", "Polish"}
	genTags      = []string{"halal food", "muslim faith", "lgbt+ affirming"}
	genStart     = mustDate("2026-12-01")
)

type region struct {
	lat0, lat1, lon0, lon1 float64
}

var regions = []region{
	{53.35, 53.70, -2.75, -1.95}, // Greater Manchester
	{-17.2, -16.8, 179.7, 180.3}, // Fiji, across the antimeridian (longitudes wrap)
	{89.7, 90, -180, 180},        // the North Pole
}

func genPlace(t *rapid.T, r region, label string) (lat, lon float64) {
	lat = rapid.Float64Range(r.lat0, r.lat1).Draw(t, label+"_lat")
	lon = rapid.Float64Range(r.lon0, r.lon1).Draw(t, label+"_lon")
	if lon > 180 {
		lon -= 360
	}
	return lat, lon
}

func genDate(t *rapid.T, label string) Date {
	return genStart.AddDays(rapid.IntRange(-40, 40).Draw(t, label))
}

func genWindow(t *rapid.T, label string) (from, to Date) {
	from = genDate(t, label+"_from")
	if rapid.Bool().Draw(t, label+"_open") {
		return from, 0
	}
	return from, from.AddDays(rapid.IntRange(0, 60).Draw(t, label+"_len"))
}

func genSubset(t *rapid.T, pool []string, label string) []string {
	return rapid.SliceOfNDistinct(rapid.SampledFrom(pool), 0, len(pool), rapid.ID[string]).Draw(t, label)
}

func genService(t *rapid.T, r region, id int) Service {
	label := fmt.Sprintf("s%d", id)
	s := Service{ID: fmt.Sprintf("S%02d", id), ProviderID: fmt.Sprintf("P%d", rapid.IntRange(0, 5).Draw(t, label+"_provider")),
		ServiceType: rapid.SampledFrom(genTypes).Draw(t, label+"_type")}
	s.Lat, s.Lon = genPlace(t, r, label)
	switch rapid.IntRange(0, 3).Draw(t, label+"_coverage") {
	case 0: // the default radius
	case 1:
		s.Coverage.PostcodeDistricts = rapid.SliceOfNDistinct(rapid.SampledFrom(genDistricts), 1, 3, rapid.ID[string]).Draw(t, label+"_districts")
	default:
		s.Coverage.RadiusKm = rapid.Float64Range(0.5, 15).Draw(t, label+"_radius")
	}
	day := genStart.AddDays(-60)
	for i := range rapid.IntRange(0, 3).Draw(t, label+"_steps") {
		day = day.AddDays(rapid.IntRange(1, 40).Draw(t, fmt.Sprintf("%s_step%d", label, i)))
		free := float64(rapid.IntRange(0, 24).Draw(t, fmt.Sprintf("%s_free%d", label, i)))
		if s.ServiceType.Unit() == UnitHours {
			free *= 2.5
		} else {
			free = math.Floor(free / 6)
		}
		s.Capacity = append(s.Capacity, CapacityStep{From: day, Free: free})
	}
	for i := range rapid.IntRange(0, 2).Draw(t, label+"_rates") {
		from, to := genWindow(t, fmt.Sprintf("%s_rate%d", label, i))
		pence := int64(rapid.IntRange(1500, 3000).Draw(t, fmt.Sprintf("%s_pence%d", label, i)))
		if s.ServiceType.Unit() == UnitPlaces {
			pence *= 40
		}
		s.Rates = append(s.Rates, Rate{Pence: pence, From: from, To: to})
	}
	c := &s.Compliance
	for i := range rapid.IntRange(0, 2).Draw(t, label+"_members") {
		from, to := genWindow(t, fmt.Sprintf("%s_member%d", label, i))
		c.Memberships = append(c.Memberships, Membership{Kind: "framework", From: from, To: to})
	}
	c.ContractStatus = rapid.SampledFrom([]ContractStatus{ContractActive, ContractActive, ContractActive, ContractPending, ContractTerminated}).Draw(t, label+"_status")
	if rapid.IntRange(0, 3).Draw(t, label+"_suspended") == 0 {
		from, to := genWindow(t, label+"_suspension")
		c.Suspensions = []Suspension{{Kind: rapid.SampledFrom(suspensionKinds).Draw(t, label+"_kind"), From: from, To: to, Reason: "review"}}
	}
	switch rapid.IntRange(0, 5).Draw(t, label+"_insurance") {
	case 0: // no evidence
	case 1, 2: // covers that may end, begin late or leave a gap
		for i := range rapid.IntRange(1, 2).Draw(t, label+"_covers") {
			from, to := genWindow(t, fmt.Sprintf("%s_cover%d", label, i))
			c.Insurance = append(c.Insurance, Cover{From: from, To: to})
		}
	default:
		c.Insurance = []Cover{{From: genStart.AddDays(-400)}}
	}
	c.CQCRegistered = rapid.IntRange(0, 5).Draw(t, label+"_registered") > 0
	c.CQCRating = Rating(rapid.IntRange(0, int(numRatings)-1).Draw(t, label+"_rating"))
	s.Languages = genSubset(t, genLanguages, label+"_languages")
	s.CarerGenders = genSubset(t, []string{"female", "male"}, label+"_genders")
	s.Tags = genSubset(t, genTags, label+"_tags")
	return s
}

func genRequest(t *rapid.T, r region, id int) Request {
	label := fmt.Sprintf("r%d", id)
	req := Request{ID: fmt.Sprintf("R%02d", id), ServiceType: rapid.SampledFrom(genTypes).Draw(t, label+"_type")}
	if alts := req.ServiceType.GenericAlternatives(); len(alts) > 0 && rapid.Bool().Draw(t, label+"_generic") {
		req.GenericAlternative = rapid.SampledFrom(alts).Draw(t, label+"_alternative")
	}
	if req.ServiceType.Unit() == UnitHours {
		req.Hours = float64(rapid.IntRange(1, 60).Draw(t, label+"_quarters")) / 4 * 2
	} else {
		req.Places = rapid.IntRange(1, 2).Draw(t, label+"_places")
	}
	req.Lat, req.Lon = genPlace(t, r, label)
	req.PostcodeDistrict = rapid.SampledFrom(append([]string{""}, genDistricts...)).Draw(t, label+"_district")
	req.StartDate = genDate(t, label+"_start")
	req.SelfFunded = rapid.IntRange(0, 5).Draw(t, label+"_self") == 0
	if !req.SelfFunded || rapid.Bool().Draw(t, label+"_budget_anyway") {
		req.BudgetPence = int64(rapid.IntRange(5000, 150000).Draw(t, label+"_budget"))
	}
	req.AllowOverBudget = rapid.Bool().Draw(t, label+"_over")
	p := &req.Preferences
	if rapid.Bool().Draw(t, label+"_has_language") {
		p.Language = rapid.SampledFrom(genLanguages).Draw(t, label+"_language")
	}
	if rapid.Bool().Draw(t, label+"_has_gender") {
		p.CarerGender = rapid.SampledFrom([]string{"female", "male"}).Draw(t, label+"_gender")
	}
	p.CulturalTags = genSubset(t, genTags, label+"_tags")
	if rapid.Bool().Draw(t, label+"_knows") {
		p.KnownProviderIDs = []string{fmt.Sprintf("P%d", rapid.IntRange(0, 5).Draw(t, label+"_known"))}
	}
	return req
}

func genDirectory(t *rapid.T, r region, minN, maxN int) []Service {
	n := rapid.IntRange(minN, maxN).Draw(t, "services")
	out := make([]Service, n)
	for i := range out {
		out[i] = genService(t, r, i)
	}
	return out
}

// genCompetitiveBatch draws a batch in which most services pass the compliance rules and sit
// within a few kilometres of most requests, so that requests compete for slots.
func genCompetitiveBatch(t *rapid.T, maxServices, maxRequests int) ([]Service, []Request) {
	services := genDirectory(t, regions[0], min(1, maxServices), maxServices)
	for i := range services {
		s := &services[i]
		s.Lat, s.Lon = squeeze(s.Lat, s.Lon)
		s.ServiceType = rapid.SampledFrom([]ServiceType{Homecare, Homecare, ResidentialCare, SpecialistHomecare}).Draw(t, fmt.Sprintf("s%d_batch_type", i))
		if rapid.IntRange(0, 4).Draw(t, fmt.Sprintf("s%d_clean", i)) == 0 {
			continue // keep the random compliance: some services fail a rule
		}
		pence := int64(rapid.IntRange(1500, 3000).Draw(t, fmt.Sprintf("s%d_batch_pence", i)))
		if s.ServiceType.Unit() == UnitPlaces {
			pence *= 40
		}
		s.Rates = []Rate{{Pence: pence, From: genStart.AddDays(-100)}}
		free := float64(rapid.IntRange(0, 8).Draw(t, fmt.Sprintf("s%d_batch_free", i)))
		if s.ServiceType.Unit() == UnitHours {
			free *= 7.5
		}
		s.Capacity = append([]CapacityStep{{From: genStart.AddDays(-100), Free: free}}, s.Capacity...)
		for j := 1; j < len(s.Capacity); j++ {
			if s.Capacity[j].From <= s.Capacity[j-1].From {
				s.Capacity = s.Capacity[:j]
				break
			}
		}
		s.Compliance = Compliance{Memberships: []Membership{{Kind: "framework", From: genStart.AddDays(-100)}},
			ContractStatus: ContractActive, CQCRegistered: true, CQCRating: s.Compliance.CQCRating % RatingInadequate,
			Insurance: []Cover{{From: genStart.AddDays(-100)}}}
		s.Coverage = Coverage{RadiusKm: rapid.Float64Range(2, 8).Draw(t, fmt.Sprintf("s%d_batch_radius", i))}
	}
	reqs := genRequests(t, regions[0], min(2, maxRequests), maxRequests)
	for i := range reqs {
		r := &reqs[i]
		r.Lat, r.Lon = squeeze(r.Lat, r.Lon)
		r.ServiceType, r.GenericAlternative, r.Places = Homecare, 0, 0
		r.Hours = float64(rapid.IntRange(2, 40).Draw(t, fmt.Sprintf("r%d_batch_half_hours", i))) / 2
		switch rapid.IntRange(0, 3).Draw(t, fmt.Sprintf("r%d_batch_type", i)) {
		case 0:
			r.ServiceType, r.Hours, r.Places = ResidentialCare, 0, 1
		case 1:
			r.ServiceType = SpecialistHomecare
			if rapid.Bool().Draw(t, fmt.Sprintf("r%d_batch_alternative", i)) {
				r.GenericAlternative = Homecare
			}
		}
		r.StartDate = genStart.AddDays(rapid.IntRange(-3, 3).Draw(t, fmt.Sprintf("r%d_batch_start", i)))
		if !r.SelfFunded {
			r.BudgetPence = max(r.BudgetPence, int64(rapid.IntRange(20000, 150000).Draw(t, fmt.Sprintf("r%d_batch_budget", i))))
		}
	}
	return services, reqs
}

// squeeze pulls a Greater Manchester point into a few kilometres round the city centre.
func squeeze(lat, lon float64) (float64, float64) {
	return 53.48 + (lat-53.525)/20, -2.24 + (lon+2.35)/20
}

func genRequests(t *rapid.T, r region, minN, maxN int) []Request {
	n := rapid.IntRange(minN, maxN).Draw(t, "requests")
	out := make([]Request, n)
	for i := range out {
		out[i] = genRequest(t, r, i)
	}
	return out
}

func genConfig(t *rapid.T) Config {
	cfg := DefaultConfig()
	cfg.NearMissKm = rapid.SampledFrom([]float64{0, 2, 5}).Draw(t, "near_miss")
	cfg.DefaultRadiusKm = rapid.SampledFrom([]float64{3, 8, 20}).Draw(t, "default_radius")
	cfg.Weights.Distance = int64(rapid.IntRange(0, 40).Draw(t, "w_distance"))
	cfg.Weights.Price = int64(rapid.IntRange(0, 40).Draw(t, "w_price"))
	return cfg
}

var (
	sin, cos, asin, atan2 = math.Sin, math.Cos, math.Asin, math.Atan2
)

func normaliseLon(lon float64) float64 {
	for lon > 180 {
		lon -= 360
	}
	for lon < -180 {
		lon += 360
	}
	return lon
}
