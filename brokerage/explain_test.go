package brokerage

import (
	"math"
	"strings"
	"testing"

	"github.com/carebroker/carebroker/accounts"
)

// The match answer explains each ranked service's score: five parts, each
// with the policy's weight and the points it contributed, adding up to the
// score; distances come in miles as well as kilometres.
func TestMatchAnswerExplainsEachPartOfTheScore(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	near := f.provider("homecare", providerOpts{ratePence: 2400})
	far := f.provider("homecare", providerOpts{ratePence: 2000, kmEast: 5})
	prac := f.practitioner("community_led_support")
	broker := f.actor(accounts.Broker, "", nil, nil)
	_, _, reqs := f.signedOff(prac, "Explained Example")
	m, err := f.svc.RunMatch(ctx, broker, reqs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Ranked) != 2 {
		t.Fatalf("ranked %+v", m.Ranked)
	}
	weights := map[string]int64{"distance": 25, "quality": 25, "price": 20, "preferences": 20, "continuity": 10}
	for _, r := range m.Ranked {
		if len(r.ScoreParts) != 5 {
			t.Fatalf("%s has %d score parts, want 5", r.ServiceName, len(r.ScoreParts))
		}
		var sum float64
		for _, p := range r.ScoreParts {
			if p.Weight != weights[p.Part] {
				t.Fatalf("%s: part %s weighs %d, want %d", r.ServiceName, p.Part, p.Weight, weights[p.Part])
			}
			if math.Abs(p.Points-float64(p.Weight)*p.Earned) > 0.001 || p.Why == "" {
				t.Fatalf("%s: part %+v does not add up or says nothing", r.ServiceName, p)
			}
			sum += p.Points
		}
		if math.Abs(sum-r.Score) > 0.0005 {
			t.Fatalf("%s: parts add up to %.3f, the score is %.3f", r.ServiceName, sum, r.Score)
		}
		if want := math.Round(r.DistanceKm/1.609344*10) / 10; math.Abs(r.DistanceMiles-want) > 0.051 || r.DistanceMiles == 0 {
			t.Fatalf("%s: %.1f km is %.1f miles, want %.1f", r.ServiceName, r.DistanceKm, r.DistanceMiles, want)
		}
		if !strings.Contains(r.ScoreParts[0].Why, "miles) away") {
			t.Fatalf("the distance part says %q", r.ScoreParts[0].Why)
		}
	}
	// The nearer one wins on distance, the cheaper one on price: the parts say so.
	byID := map[string]RankedService{}
	for _, r := range m.Ranked {
		byID[r.ServiceID] = r
	}
	n, d := byID[near.ServiceID.String()], byID[far.ServiceID.String()]
	if n.ScoreParts[0].Points <= d.ScoreParts[0].Points || n.ScoreParts[2].Points >= d.ScoreParts[2].Points {
		t.Fatalf("near %+v\nfar %+v", n.ScoreParts, d.ScoreParts)
	}
	// The published weights are the same the ranking used.
	w := f.svc.MatchingWeights()
	if w.Total != 100 || len(w.Parts) != 5 || w.Parts[1].Part != "quality" || w.Parts[1].Weight != 25 || w.DistanceScaleMi != 12.4 {
		t.Fatalf("weights %+v", w)
	}
}
