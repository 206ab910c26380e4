package matching

import "math"

// Config holds the matching policy: what the council will not accept and how much each soft score
// counts. It is configuration, not code: start from DefaultConfig and change what the council's
// policy says.
type Config struct {
	Weights Weights      `json:"weights"`
	Ratings RatingPolicy `json:"ratings"`
	// DistanceScaleKm is the distance at which the distance score reaches zero; a service next
	// door scores full marks and one half as far scores half.
	DistanceScaleKm float64 `json:"distance_scale_km"`
	// DefaultRadiusKm is the coverage of a service that states neither a radius nor districts.
	DefaultRadiusKm float64 `json:"default_radius_km"`
	// NearMissKm is how far beyond its coverage a service may be and still be listed by an Index
	// among the exclusions, so a broker sees "12.4 km away; covers 10 km" for near misses
	// without a list of every service in the region.
	NearMissKm float64 `json:"near_miss_km"`
	// ComplianceWeeks is how long from its start a placement must find the service compliant: a
	// suspension, a membership or insurance ending within it excludes the service, naming the
	// first day that fails. Zero checks the start date alone.
	ComplianceWeeks int `json:"compliance_weeks"`
}

// Weights say how many points each soft score is worth. Each score is a fraction from 0 to 1 of
// its weight, so with the defaults (summing to 100) a perfect service scores 100 points.
type Weights struct {
	Distance   int64 `json:"distance"`
	Quality    int64 `json:"quality"`
	Price      int64 `json:"price"`
	Preference int64 `json:"preference"`
	Continuity int64 `json:"continuity"`
}

// RatingPolicy is what the council requires of a service's CQC registration and rating.
type RatingPolicy struct {
	// RequireRegistration excludes services not registered with the CQC.
	RequireRegistration bool `json:"require_registration"`
	// Disallowed ratings exclude a service.
	Disallowed []Rating `json:"disallowed"`
	// Quality is the quality score, from 0 to 1000 (thousandths), for each rating.
	Quality QualityScores `json:"quality"`
}

// QualityScores give each CQC rating a quality score in thousandths, from 0 to 1000.
type QualityScores struct {
	Outstanding         int64 `json:"outstanding"`
	Good                int64 `json:"good"`
	RequiresImprovement int64 `json:"requires_improvement"`
	Inadequate          int64 `json:"inadequate"`
	NotYetRated         int64 `json:"not_yet_rated"`
}

// DefaultConfig returns the default policy:
//
//   - compliance over the first 12 weeks of a placement.
//   - weights: distance 25, quality 25, price 20, preferences 20, continuity 10 (100 in all).
//     Distance and quality lead because they matter most to people and to safety; price is the
//     headroom left in the budget; continuity is a tie-breaker in favour of a provider the person
//     already knows, worth less than a real difference in quality.
//   - CQC registration required; an Inadequate rating excludes.
//   - quality: Outstanding 1000, Good 800, Not yet rated 500, Requires improvement 400,
//     Inadequate 0. A new service is given the benefit of the doubt over one found wanting.
//   - the distance score falls to zero at 20 km; a service stating no coverage covers 20 km;
//     an Index lists near misses up to 2.5 km beyond a service's coverage (a wider ring costs
//     time in proportion to its area, and a broker rarely stretches coverage further).
func DefaultConfig() Config {
	return Config{
		Weights: Weights{Distance: 25, Quality: 25, Price: 20, Preference: 20, Continuity: 10},
		Ratings: RatingPolicy{
			RequireRegistration: true,
			Disallowed:          []Rating{RatingInadequate},
			Quality: QualityScores{Outstanding: 1000, Good: 800, RequiresImprovement: 400,
				Inadequate: 0, NotYetRated: 500},
		},
		DistanceScaleKm: 20,
		DefaultRadiusKm: 20,
		NearMissKm:      2.5,
		ComplianceWeeks: 12,
	}
}

// maxWeight bounds each weight so that scores and batch costs stay far from overflow.
const maxWeight = 1000

// Validate checks the configuration and returns a *FieldError naming the first field that is wrong.
func (c *Config) Validate() error {
	if err := c.validate(); err != nil {
		return err
	}
	return nil
}

func (c *Config) validate() *FieldError {
	w := c.Weights
	for _, f := range []struct {
		name  string
		value int64
	}{{"distance", w.Distance}, {"quality", w.Quality}, {"price", w.Price}, {"preference", w.Preference}, {"continuity", w.Continuity}} {
		if f.value < 0 || f.value > maxWeight {
			return fieldErr("weights."+f.name, "must be from 0 to 1000")
		}
	}
	for i, r := range c.Ratings.Disallowed {
		if !r.Valid() {
			return fieldErr(indexed("ratings.disallowed", i), "must be a known rating")
		}
	}
	q := c.Ratings.Quality
	for _, f := range []struct {
		name  string
		value int64
	}{{"outstanding", q.Outstanding}, {"good", q.Good}, {"requires_improvement", q.RequiresImprovement}, {"inadequate", q.Inadequate}, {"not_yet_rated", q.NotYetRated}} {
		if f.value < 0 || f.value > 1000 {
			return fieldErr("ratings.quality."+f.name, "must be from 0 to 1000")
		}
	}
	for _, f := range []struct {
		name  string
		value float64
	}{{"distance_scale_km", c.DistanceScaleKm}, {"default_radius_km", c.DefaultRadiusKm}, {"near_miss_km", c.NearMissKm}} {
		if math.IsNaN(f.value) || f.value < 0 || f.value > maxRadiusKm {
			return fieldErr(f.name, "must be from 0 to 500")
		}
	}
	if c.DistanceScaleKm == 0 {
		return fieldErr("distance_scale_km", "must be positive")
	}
	if c.ComplianceWeeks < 0 || c.ComplianceWeeks > 104 {
		return fieldErr("compliance_weeks", "must be from 0 to 104")
	}
	return nil
}

// policy is a Config prepared for the hot loop: sets become bit masks and tables.
type policy struct {
	Config
	disallowed uint8 // bit r set when rating r is disallowed
	quality    [numRatings]int64
}

func compile(c Config) (*policy, error) {
	if err := c.validate(); err != nil {
		return nil, within("config", err)
	}
	p := &policy{Config: c}
	for _, r := range c.Ratings.Disallowed {
		p.disallowed |= 1 << r
	}
	q := c.Ratings.Quality
	p.quality = [numRatings]int64{
		RatingNotYetRated:         q.NotYetRated,
		RatingOutstanding:         q.Outstanding,
		RatingGood:                q.Good,
		RatingRequiresImprovement: q.RequiresImprovement,
		RatingInadequate:          q.Inadequate,
	}
	return p, nil
}

// radiusOf returns the coverage radius of a service that covers by radius.
func (p *policy) radiusOf(s *Service) float64 {
	if s.Coverage.RadiusKm > 0 {
		return s.Coverage.RadiusKm
	}
	return p.DefaultRadiusKm
}
