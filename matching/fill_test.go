package matching

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"
)

// genCalendarBatch is a contested batch whose calendars rise and fall around the requests' starts,
// with requests of unequal sizes (half an hour to twenty hours a week, or one place), some with a
// care need that only some services meet.
func genCalendarBatch(t *rapid.T, maxServices, maxRequests int) ([]Service, []Request) {
	services, reqs := genCompetitiveBatch(t, maxServices, maxRequests)
	needs := []string{"dementia", "nursing", "double_handed"}
	for i := range reqs {
		if rapid.IntRange(0, 2).Draw(t, fmt.Sprintf("r%d_has_need", i)) == 0 {
			reqs[i].CareNeeds = []string{rapid.SampledFrom(needs).Draw(t, fmt.Sprintf("r%d_need", i))}
		}
	}
	for i := range services {
		s := &services[i]
		s.CaresFor = rapid.SliceOfDistinct(rapid.SampledFrom(needs), rapid.ID[string]).Draw(t, fmt.Sprintf("s%d_cares_for", i))
		unit := 7.5
		if s.ServiceType.Unit() == UnitPlaces {
			unit = 1
		}
		s.Capacity = []CapacityStep{{From: genStart.AddDays(-100), Free: unit * float64(rapid.IntRange(0, 4).Draw(t, fmt.Sprintf("s%d_free", i)))}}
		day := genStart.AddDays(-4)
		for j := range rapid.IntRange(0, 3).Draw(t, fmt.Sprintf("s%d_changes", i)) {
			day = day.AddDays(rapid.IntRange(1, 4).Draw(t, fmt.Sprintf("s%d_change%d", i, j)))
			// Rising and falling alike: a carer joins, a resident leaves, a contract ends.
			free := unit * float64(rapid.IntRange(0, 6).Draw(t, fmt.Sprintf("s%d_free%d", i, j)))
			s.Capacity = append(s.Capacity, CapacityStep{From: day, Free: free})
		}
	}
	return services, reqs
}

// problemOf builds the index of services and the batch problem of reqs under cfg.
func problemOf(t *rapid.T, services []Service, reqs []Request, cfg Config) (*Index, *Problem) {
	ix, err := NewIndex(services, cfg)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ix.BuildProblem(reqs)
	if err != nil {
		t.Fatal(err)
	}
	return ix, p
}

// TestFillProperties: on random small batches with rising and falling calendars and unequal sizes,
// the allocation keeps every hard rule and every calendar, serves as many at as little cost as a
// brute-force search of the real calendars (which knows nothing of ledgers, slots or the index),
// says it proved so, stays within its own bound, and never does worse than the slot model or
// first-fit.
func TestFillProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		cfg := genConfig(t)
		services, reqs := genCalendarBatch(t, 4, 6)
		ix, p := problemOf(t, services, reqs, cfg)
		alloc, err := ix.Allocate(reqs)
		if err != nil {
			t.Fatal(err)
		}
		checkAllocation(t, alloc, reqs, services, cfg)
		served, cost := bruteForceCalendars(t, reqs, services, cfg)
		if alloc.Served != served || alloc.TotalCost != cost {
			t.Fatalf("allocated %d at cost %d; brute force finds %d at %d", alloc.Served, alloc.TotalCost, served, cost)
		}
		if !alloc.Proof.Optimal || alloc.Proof.ServedBound < served {
			t.Fatalf("proof %+v for an optimum serving %d", *alloc.Proof, served)
		}
		slot, _ := p.Solve()
		first, _ := p.SolveFirstFit()
		for name, sol := range map[string]Solution{"slot model": slot, "first-fit": first} {
			if err := p.Feasible(sol); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if better(sol.Served, sol.Cost, alloc.Served, alloc.TotalCost) {
				t.Fatalf("%s serves %d at %d, the allocation %d at %d", name, sol.Served, sol.Cost, alloc.Served, alloc.TotalCost)
			}
		}
	})
}

// TestFillWithoutTheExactSearchKeepsTheRules runs the heuristic alone on larger random batches:
// whatever it finds keeps every hard rule and calendar and serves no more than its bound.
func TestFillWithoutTheExactSearchKeepsTheRules(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		cfg := genConfig(t)
		services, reqs := genCalendarBatch(t, 12, 30)
		_, p := problemOf(t, services, reqs, cfg)
		effort := DefaultEffort()
		effort.ExactRequests = 0
		sol, proof, err := p.Fill(effort)
		if err != nil {
			t.Fatal(err)
		}
		alloc := p.Allocation(sol)
		checkAllocation(t, alloc, reqs, services, cfg)
		if proof.Optimal || sol.Served > proof.ServedBound {
			t.Fatalf("served %d with proof %+v", sol.Served, proof)
		}
		first, _ := p.SolveFirstFit()
		slot, _ := p.Solve()
		if sol.Served < first.Served || sol.Served < slot.Served {
			t.Fatalf("served %d; first-fit %d, slot model %d", sol.Served, first.Served, slot.Served)
		}
	})
}

// TestUncontestedRequestsGetTheirFirstRankedService: with room for everyone everywhere, each
// person is placed with the service the ranking puts first for them, whatever the weights.
func TestUncontestedRequestsGetTheirFirstRankedService(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		cfg := genConfig(t)
		services, reqs := genCompetitiveBatch(t, 12, 20)
		for i := range services {
			services[i].Capacity = []CapacityStep{{From: genStart.AddDays(-100), Free: 1000}}
		}
		ix, err := NewIndex(services, cfg)
		if err != nil {
			t.Fatal(err)
		}
		alloc, err := ix.Allocate(reqs)
		if err != nil {
			t.Fatal(err)
		}
		placed := map[string]string{}
		for _, a := range alloc.Assignments {
			placed[a.RequestID] = a.ServiceID
		}
		for _, req := range reqs {
			res, err := ix.Match(req)
			if err != nil {
				t.Fatal(err)
			}
			want := ""
			if len(res.Ranked) > 0 {
				want = res.Ranked[0].ServiceID
			}
			if placed[req.ID] != want {
				t.Fatalf("%s placed with %q; the ranking puts %q first", req.ID, placed[req.ID], want)
			}
		}
		if alloc.FirstRanked != alloc.Served {
			t.Fatalf("%d of %d placed first-ranked", alloc.FirstRanked, alloc.Served)
		}
	})
}

// allocate runs Allocate with the default configuration and returns where each request went.
func allocate(t *testing.T, reqs []Request, services ...Service) (Allocation, map[string]string) {
	t.Helper()
	ix, err := NewIndex(services, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	alloc, err := ix.Allocate(reqs)
	if err != nil {
		t.Fatal(err)
	}
	placed := map[string]string{}
	for _, a := range alloc.Assignments {
		placed[a.RequestID] = a.ServiceID
	}
	return alloc, placed
}

// TestCapacityThatGrowsIsUsed is the care home of the issue: one place free from 1 November and
// three from 1 January; one person starting on 1 December and two on 4 January all fit, since on
// every day the places taken are within the places free. The slot model, counting only the least
// free from the earliest start, served one.
func TestCapacityThatGrowsIsUsed(t *testing.T) {
	home := baseService()
	home.ServiceType, home.Rates = ResidentialCare, []Rate{{Pence: 90000, From: mustDate("2026-04-01")}}
	home.Capacity = []CapacityStep{{From: mustDate("2026-11-01"), Free: 1}, {From: mustDate("2027-01-01"), Free: 3}}
	var reqs []Request
	for i, start := range []string{"2026-12-01", "2027-01-04", "2027-01-04"} {
		r := baseRequest()
		r.ID, r.ServiceType, r.Hours, r.Places, r.BudgetPence = fmt.Sprint("R", i), ResidentialCare, 0, 1, 100000
		r.StartDate = mustDate(start)
		reqs = append(reqs, r)
	}
	alloc, _ := allocate(t, reqs, home)
	if alloc.Served != 3 || !alloc.Proof.Optimal {
		t.Fatalf("served %d of 3 (proof %+v)", alloc.Served, *alloc.Proof)
	}
	ix, _ := NewIndex([]Service{home}, DefaultConfig())
	p, _ := ix.BuildProblem(reqs)
	if slot, _ := p.Solve(); slot.Served != 1 {
		t.Fatalf("the slot model serves %d; the example is meant to show it serving 1", slot.Served)
	}
}

// TestHoursOfUnequalSizeAreShared: 30 hours free, requests of 10, 10 and 25 hours. The slot model
// gives one slot of 25 hours; the calendar takes both 10-hour requests.
func TestHoursOfUnequalSizeAreShared(t *testing.T) {
	agency := baseService()
	var reqs []Request
	for i, hours := range []float64{10, 10, 25} {
		r := baseRequest()
		r.ID, r.Hours, r.BudgetPence = fmt.Sprint("R", i), hours, 100000
		reqs = append(reqs, r)
	}
	alloc, placed := allocate(t, reqs, agency)
	if alloc.Served != 2 || placed["R0"] != "S1" || placed["R1"] != "S1" {
		t.Fatalf("served %d: %v", alloc.Served, placed)
	}
}

// TestTheBatchValuesWhatTheRankingValues are the three cases, each with nothing contested:
// the batch follows the ranking, where the old price-and-distance cost did not.
func TestTheBatchValuesWhatTheRankingValues(t *testing.T) {
	near := baseService() // Requires Improvement, cheaper and nearer, meets no preference
	near.Compliance.CQCRating = RatingRequiresImprovement
	near.Rates = []Rate{{Pence: 2000, From: mustDate("2026-04-01")}}
	good := baseService() // Outstanding, a little dearer and further, meets every preference
	good.ID, good.ProviderID, good.Lat, good.Lon = "S2", "P2", 53.4808, -2.19
	good.Compliance.CQCRating = RatingOutstanding
	good.Languages, good.CarerGenders, good.Tags = []string{"English", "Urdu"}, []string{"female"}, []string{"halal"}
	near.Languages, near.CarerGenders = []string{"English"}, []string{"male"}
	quality := baseRequest()
	quality.Preferences = Preferences{Language: "Urdu", CarerGender: "female", CulturalTags: []string{"halal"}}

	withinBudget := baseService() // just within budget, further
	withinBudget.ID, withinBudget.ProviderID, withinBudget.Lat, withinBudget.Lon = "S3", "P3", 53.4808, -2.16
	withinBudget.Rates = []Rate{{Pence: 3450, From: mustDate("2026-04-01")}}
	overBudget := baseService() // over budget, nearer: allowed, but a budget approver must agree
	overBudget.ID, overBudget.ProviderID = "S4", "P4"
	overBudget.Rates = []Rate{{Pence: 3600, From: mustDate("2026-04-01")}}
	budget := baseRequest()
	budget.ID, budget.AllowOverBudget = "R2", true

	generic := baseService() // generic home care, further
	generic.ID, generic.ProviderID, generic.Lat, generic.Lon = "S5", "P5", 53.4808, -2.19
	specialist := baseService() // specialist, nearer and cheaper
	specialist.ID, specialist.ProviderID, specialist.ServiceType = "S6", "P6", SpecialistHomecare
	specialist.Rates = []Rate{{Pence: 2000, From: mustDate("2026-04-01")}}
	procedure := baseRequest()
	procedure.ID, procedure.ServiceType, procedure.GenericAlternative = "R3", SpecialistHomecare, Homecare

	for _, c := range []struct {
		name      string
		req       Request
		services  []Service
		want, old string
	}{
		{"quality and preferences", quality, []Service{near, good}, "S2", "S1"},
		{"within budget first", budget, []Service{withinBudget, overBudget}, "S3", "S4"},
		{"generic first", procedure, []Service{generic, specialist}, "S5", "S6"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := matchOne(t, c.req, c.services...)
			if len(res.Ranked) != 2 || res.Ranked[0].ServiceID != c.want {
				t.Fatalf("the ranking is not as the example needs: %+v", res.Ranked)
			}
			_, placed := allocate(t, []Request{c.req}, c.services...)
			if placed[c.req.ID] != c.want {
				t.Fatalf("placed with %s, ranked first is %s", placed[c.req.ID], c.want)
			}
			ix, _ := NewIndex(c.services, DefaultConfig())
			p, _ := ix.BuildProblem([]Request{c.req})
			old, _ := p.PriceDistanceModel().Solve()
			if got := p.Allocation(old).Assignments[0].ServiceID; got != c.old {
				t.Fatalf("the price-and-distance model placed it with %s; the example is meant to show %s", got, c.old)
			}
		})
	}
}
