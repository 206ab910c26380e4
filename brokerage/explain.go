package brokerage

import (
	"fmt"
	"math"

	"github.com/carebroker/carebroker/matching"
)

// kmPerMile converts distances for people who think in miles.
const kmPerMile = 1.609344

// Miles is a distance in kilometres given in miles, to one decimal place.
func Miles(km float64) float64 { return math.Round(km/kmPerMile*10) / 10 }

// ScorePart is what one part of a ranked service's score contributed, so a
// broker can tell a family why one home ranks above another: the part's
// weight (its points at full marks), the share of it the service earned,
// and the points that gives. The parts' points add up to the score.
type ScorePart struct {
	Part   string  `json:"part"`   // distance, quality, price, preferences, continuity
	Label  string  `json:"label"`  // the part in words, for a page
	Weight int64   `json:"weight"` // points at full marks
	Earned float64 `json:"earned"` // share of the weight earned, 0 to 1 (three decimals)
	Points float64 `json:"points"` // Weight x Earned, in points (three decimals)
	Why    string  `json:"why"`    // what earned it, in plain English
}

// scoreParts explains a match's breakdown part by part.
func scoreParts(m matching.Match) []ScorePart {
	b := m.Breakdown
	part := func(name, label string, p matching.ScorePart, why string) ScorePart {
		return ScorePart{Part: name, Label: label, Weight: p.Weight, Earned: float64(p.Value) / 1000,
			Points: float64(p.Points) / 1000, Why: why}
	}
	continuity := "not a provider the person already uses"
	if b.Continuity.Value == 1000 {
		continuity = "already provides care to the person"
	}
	price := "over the budget: no points for price"
	if !m.OverBudget {
		price = fmt.Sprintf("leaves %d%% of the weekly budget unspent", b.Price.Value/10)
	}
	return []ScorePart{
		part("distance", "Distance", b.Distance, fmt.Sprintf("%.1f km (%.1f miles) away", m.DistanceKm, Miles(m.DistanceKm))),
		part("quality", "Quality rating", b.Quality, fmt.Sprintf("its CQC rating earns %d%% of the quality points", b.Quality.Value/10)),
		part("price", "Price against budget", b.Price, price),
		part("preferences", "Preferences met", b.Preference, fmt.Sprintf("meets %d%% of the person's stated preferences", b.Preference.Value/10)),
		part("continuity", "Continuity", b.Continuity, continuity),
	}
}

// Weights is the matching policy as the council publishes it: how many
// points each part of a score is worth and how each is earned.
type Weights struct {
	Total           int64        `json:"total"` // the points of a perfect service
	Parts           []WeightPart `json:"parts"`
	DistanceScaleKm float64      `json:"distance_scale_km"`
	DistanceScaleMi float64      `json:"distance_scale_miles"`
	Quality         []RatingPart `json:"quality"`
	Excluded        []string     `json:"excluded"` // what no score can outweigh
}

// WeightPart is one part of the score and its weight.
type WeightPart struct {
	Part   string `json:"part"`
	Label  string `json:"label"`
	Weight int64  `json:"weight"`
	Share  int64  `json:"share_percent"` // of the total
	How    string `json:"how"`
}

// RatingPart is the share of the quality points a CQC rating earns.
type RatingPart struct {
	Rating  string `json:"rating"`
	Percent int64  `json:"percent"`
}

// MatchingWeights returns the weights every ranking uses, for anyone signed
// in to read.
func (s *Service) MatchingWeights() Weights {
	c := s.matching
	w := c.Weights
	total := w.Distance + w.Quality + w.Price + w.Preference + w.Continuity
	share := func(x int64) int64 {
		if total == 0 {
			return 0
		}
		return int64(math.Round(float64(x) * 100 / float64(total)))
	}
	q := c.Ratings.Quality
	return Weights{
		Total: total, DistanceScaleKm: c.DistanceScaleKm, DistanceScaleMi: Miles(c.DistanceScaleKm),
		Parts: []WeightPart{
			{"distance", "Distance", w.Distance, share(w.Distance), fmt.Sprintf("Full marks next door, falling evenly to none at %.0f km (%.1f miles).", c.DistanceScaleKm, Miles(c.DistanceScaleKm))},
			{"quality", "Quality rating", w.Quality, share(w.Quality), "The share its CQC rating earns (below)."},
			{"price", "Price against budget", w.Price, share(w.Price), "The share of the weekly budget the price leaves unspent; none when over budget. With no budget, measured against the dearest service that could take the request."},
			{"preferences", "Preferences met", w.Preference, share(w.Preference), "The share of the person's stated preferences met (language, carer's gender, each cultural need); full marks when none are stated."},
			{"continuity", "Continuity", w.Continuity, share(w.Continuity), "Full marks for a provider the person already uses, so they can keep their carers."},
		},
		Quality: []RatingPart{{"Outstanding", q.Outstanding / 10}, {"Good", q.Good / 10}, {"Not yet rated", q.NotYetRated / 10},
			{"Requires improvement", q.RequiresImprovement / 10}, {"Inadequate", q.Inadequate / 10}},
		Excluded: []string{"not compliant on the start date (contract, framework, insurance, suspension)",
			"not registered with the CQC, or rated Inadequate", "no capacity on the start date", "too far: outside the area it covers",
			"over the budget, unless the request allows a budget approver to agree"},
	}
}
