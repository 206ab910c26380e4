package matching

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// ScorePart is how much one soft score counted: its weight, the share of it the service earned
// (Value, in thousandths from 0 to 1000) and the points that gives (Weight x Value, in thousandths
// of a point).
type ScorePart struct {
	Weight int64 `json:"weight"`
	Value  int64 `json:"value"`
	Points int64 `json:"points"`
}

// Breakdown is a service's score for a request, part by part.
//
//   - Distance: 1000 next door, falling in a straight line to 0 at Config.DistanceScaleKm.
//   - Quality: the CQC rating's score from the RatingPolicy.
//   - Price: the headroom left in the weekly budget, (budget - cost) / budget; 0 when over
//     budget. With no budget (self-funded) the headroom is measured against the dearest eligible
//     service, so the cheapest scores best.
//   - Preference: the share of the person's stated preferences met (language, carer gender and
//     each cultural tag count one each); 1000 when none are stated.
//   - Continuity: 1000 when the person already uses the provider, else 0.
type Breakdown struct {
	Distance   ScorePart `json:"distance"`
	Quality    ScorePart `json:"quality"`
	Price      ScorePart `json:"price"`
	Preference ScorePart `json:"preference"`
	Continuity ScorePart `json:"continuity"`
}

// Total returns the score: the sum of the parts' points, in thousandths of a point.
func (b Breakdown) Total() int64 {
	return b.Distance.Points + b.Quality.Points + b.Price.Points + b.Preference.Points + b.Continuity.Points
}

// Text renders the breakdown for people, such as
// "distance 22.5 of 25, quality 20.0 of 25, price 4.0 of 20, preferences 20.0 of 20, continuity 0.0 of 10".
func (b Breakdown) Text() string {
	var sb strings.Builder
	for i, part := range []struct {
		name string
		ScorePart
	}{{"distance", b.Distance}, {"quality", b.Quality}, {"price", b.Price}, {"preferences", b.Preference}, {"continuity", b.Continuity}} {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(part.name + " " + formatPoints(part.Points) + " of " + strconv.FormatInt(part.Weight, 10))
	}
	return sb.String()
}

func part(weight, value int64) ScorePart {
	return ScorePart{Weight: weight, Value: value, Points: weight * value}
}

// distanceValue is the distance score in thousandths.
func (p *policy) distanceValue(km float64) int64 {
	v := math.Round(1000 * (1 - km/p.DistanceScaleKm))
	return int64(max(0, min(1000, v)))
}

// priceValue is the budget headroom score in thousandths, against reference (the budget, or the
// dearest eligible cost when there is no budget).
func priceValue(weeklyCost, reference int64) int64 {
	if reference <= 0 {
		return 1000
	}
	if weeklyCost >= reference {
		return 0
	}
	return (reference - weeklyCost) * 1000 / reference
}

// PairCost is the cost of placing a request with a service in a batch: the points the service
// falls short of full marks on price and on distance, weighted as in the single-request score.
// It is never negative.
func PairCost(b Breakdown) int64 {
	return b.Price.Weight*(1000-b.Price.Value) + b.Distance.Weight*(1000-b.Distance.Value)
}

// preferenceFit counts the person's preferences the service meets and appends a note for each it
// does not.
func preferenceFit(pr *prepared, s *Service, notes []Reason) (out []Reason, met, asked int64) {
	prefs := &pr.req.Preferences
	if lang := strings.TrimSpace(prefs.Language); lang != "" {
		asked++
		if listed(s.Languages, lang) {
			met++
		} else {
			notes = append(notes, Reason{Code: CodeLanguageNotOffered, Language: lang})
		}
	}
	if gender := strings.TrimSpace(prefs.CarerGender); gender != "" {
		asked++
		if listed(s.CarerGenders, gender) {
			met++
		} else {
			notes = append(notes, Reason{Code: CodeCarerGenderUnavailable, CarerGender: gender})
		}
	}
	for _, tag := range prefs.CulturalTags {
		tag = strings.TrimSpace(tag)
		asked++
		if listed(s.Tags, tag) {
			met++
		} else {
			notes = append(notes, Reason{Code: CodeCulturalNeedUnmet, Tag: tag})
		}
	}
	return notes, met, asked
}

// knows reports whether the person already uses the service's provider.
func knows(pr *prepared, s *Service) bool {
	for _, id := range pr.req.Preferences.KnownProviderIDs {
		if id == s.ProviderID {
			return true
		}
	}
	return false
}

// listed reports whether want is in values, ignoring case and surrounding space.
func listed(values []string, want string) bool {
	for _, v := range values {
		if strings.EqualFold(strings.TrimSpace(v), want) {
			return true
		}
	}
	return false
}

// tieBits is the room rankCost leaves for the order among services of one tier and one score.
const tieBits = 6

// rankCosts ranks a batch request's eligible matches in the ranking's order, numbering them from
// 1, and gives each its rankCost, which rises strictly down the ranking (a request's first-ranked
// service is its cheapest placement):
//
//	rankCost = ((tier * (S+1)) + (S - score)) * 64 + ties
//
// where S is the highest score the weights allow, tier is 2 for a specialist service where the
// request names a generic alternative (the procedure says generic first) plus 1 for a service over
// budget, and ties counts the services of the same tier and score ranked above it (at most 63).
// Summed over a batch, it values what the ranking values: the score's every part (distance,
// quality, price, preferences, continuity), and the procedure's tiers before any score.
func (ix *Index) rankCosts(res *Result, genericNamed bool) {
	slices.SortFunc(res.Ranked, func(a, b Match) int { return ix.dir.compareRank(&a, &b) })
	w := ix.p.Weights
	top := 1000 * (w.Distance + w.Quality + w.Price + w.Preference + w.Continuity)
	ties := int64(0)
	for i := range res.Ranked {
		m := &res.Ranked[i]
		m.Rank = i + 1
		tier := int64(0)
		if genericNamed && !m.GenericAlternative {
			tier += 2
		}
		if m.OverBudget {
			tier++
		}
		if i > 0 {
			prev := &res.Ranked[i-1]
			if prev.Score == m.Score && prev.OverBudget == m.OverBudget && prev.GenericAlternative == m.GenericAlternative {
				ties = min(ties+1, 1<<tieBits-1)
			} else {
				ties = 0
			}
		}
		m.batchCost = (tier*(top+1)+top-m.Score)<<tieBits + ties
	}
}
