package matching

import (
	"cmp"
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// freeOnDay is the capacity in force on one day, read straight off the calendar.
func freeOnDay(s *Service, d Date) int64 {
	free := int64(0)
	for _, step := range s.Capacity {
		if step.From <= d {
			free = centi(step.Free)
		}
	}
	return free
}

// overCommitted checks, day by day from the first start to the last day anything changes, that the
// requests rs placed with s (each running from its start) need no more than s has free. It returns
// the first day that fails and what was needed on it.
func overCommitted(s *Service, rs []*Request) (day Date, need int64, over bool) {
	first := rs[0].StartDate
	for _, r := range rs {
		first = min(first, r.StartDate)
	}
	for d := first; d <= lastDay(s, rs); d++ {
		need = 0
		for _, r := range rs {
			if r.StartDate <= d {
				need += r.demand()
			}
		}
		if need > freeOnDay(s, d) {
			return d, need, true
		}
	}
	return 0, 0, false
}

// lastDay is the last day on which what is free or what requests rs need can change.
func lastDay(s *Service, rs []*Request) Date {
	d := lastChange(s, rs[0].StartDate)
	for _, r := range rs {
		d = max(d, r.StartDate)
	}
	return d
}

// lastChange is the last date the calendar changes, after which capacity stays as it is.
func lastChange(s *Service, d Date) Date {
	for _, step := range s.Capacity {
		d = max(d, step.From)
	}
	return d
}

// rankCostsOf gives each ranked match of the plain matcher its batch cost, worked out from the
// documented formula (see rankCosts) without the index: the tier, the score's shortfall from the
// most the weights allow, and the services of equal tier and score ranked above it.
func rankCostsOf(res Result, req Request, cfg Config) map[string]int64 {
	w := cfg.Weights
	top := 1000 * (w.Distance + w.Quality + w.Price + w.Preference + w.Continuity)
	out := map[string]int64{}
	for i, m := range res.Ranked {
		tier := int64(0)
		if req.GenericAlternative != 0 && !m.GenericAlternative {
			tier += 2
		}
		if m.OverBudget {
			tier++
		}
		ties := int64(0)
		for _, above := range res.Ranked[:i] {
			if above.Score == m.Score && above.OverBudget == m.OverBudget && above.GenericAlternative == m.GenericAlternative {
				ties++
			}
		}
		out[m.ServiceID] = (tier*(top+1)+top-m.Score)*64 + min(ties, 63)
	}
	return out
}

// independentProblem builds the slot model from the plain matcher and the calendar, without the
// index or BuildProblem, so the solver's optimum is checked against the model as documented.
func independentProblem(t *rapid.T, reqs []Request, services []Service, cfg Config) *Problem {
	p := &Problem{}
	pos := map[string]int{}
	type use struct {
		demand   int64
		earliest Date
	}
	uses := map[string]*use{}
	var edges []Edge
	svcOf := map[int]string{}
	for r, req := range reqs {
		p.Requests = append(p.Requests, req.ID)
		res, err := MatchServices(req, services, cfg)
		if err != nil {
			t.Fatal(err)
		}
		costs := rankCostsOf(res, req, cfg)
		for _, m := range res.Ranked {
			u := uses[m.ServiceID]
			if u == nil {
				u = &use{earliest: req.StartDate}
				uses[m.ServiceID] = u
			}
			u.demand = max(u.demand, req.demand())
			u.earliest = min(u.earliest, req.StartDate)
			edges = append(edges, Edge{Request: r, Cost: costs[m.ServiceID]})
			svcOf[len(edges)-1] = m.ServiceID
		}
	}
	for i := range services {
		s := &services[i]
		u := uses[s.ID]
		if u == nil {
			continue
		}
		least := int64(-1)
		for d := u.earliest; d <= lastChange(s, u.earliest); d++ {
			if f := freeOnDay(s, d); least < 0 || f < least {
				least = f
			}
		}
		pos[s.ID] = len(p.Services)
		p.Services = append(p.Services, ProblemService{ID: s.ID, Slots: int(least / u.demand)})
	}
	for i := range edges {
		edges[i].Service = pos[svcOf[i]]
	}
	p.Edges = edges
	return p
}

// bruteForceCalendars tries every assignment of the requests to the services the plain matcher
// finds eligible, checks each service's calendar day by day, and returns the most requests served
// and the least total cost of serving that many.
func bruteForceCalendars(t *rapid.T, reqs []Request, services []Service, cfg Config) (served int, cost int64) {
	type option struct {
		svc  *Service
		cost int64
	}
	options := make([][]option, len(reqs))
	for r, req := range reqs {
		res, err := MatchServices(req, services, cfg)
		if err != nil {
			t.Fatal(err)
		}
		costs := rankCostsOf(res, req, cfg)
		for _, m := range res.Ranked {
			for i := range services {
				if services[i].ID == m.ServiceID {
					options[r] = append(options[r], option{&services[i], costs[m.ServiceID]})
				}
			}
		}
	}
	placed := map[*Service][]*Request{}
	fits := func(s *Service) bool {
		_, _, over := overCommitted(s, placed[s])
		return !over
	}
	bestServed, bestCost := -1, int64(0)
	var walk func(r, n int, c int64)
	walk = func(r, n int, c int64) {
		if r == len(reqs) {
			if n > bestServed || n == bestServed && c < bestCost {
				bestServed, bestCost = n, c
			}
			return
		}
		walk(r+1, n, c)
		for _, o := range options[r] {
			placed[o.svc] = append(placed[o.svc], &reqs[r])
			if fits(o.svc) {
				walk(r+1, n+1, c+o.cost)
			}
			placed[o.svc] = placed[o.svc][:len(placed[o.svc])-1]
		}
	}
	walk(0, 0, 0)
	return bestServed, bestCost
}

// checkAllocation checks an allocation against the plain matcher and the calendars day by day:
// each request served at most once, only where every hard rule allows, at the score, rank and
// cost the ranking gives, and no service over its free capacity on any day.
func checkAllocation(t *rapid.T, alloc Allocation, reqs []Request, services []Service, cfg Config) {
	byID := map[string]*Request{}
	for i := range reqs {
		byID[reqs[i].ID] = &reqs[i]
	}
	svcByID := map[string]*Service{}
	for i := range services {
		svcByID[services[i].ID] = &services[i]
	}
	seen := map[string]bool{}
	assigned := map[string][]*Request{}
	var total int64
	for _, a := range alloc.Assignments {
		if seen[a.RequestID] {
			t.Fatalf("request %s assigned twice", a.RequestID)
		}
		seen[a.RequestID] = true
		req := byID[a.RequestID]
		res, err := MatchServices(*req, services, cfg)
		if err != nil {
			t.Fatal(err)
		}
		costs := rankCostsOf(res, *req, cfg)
		eligible := false
		for _, m := range res.Ranked {
			if m.ServiceID == a.ServiceID {
				eligible = true
				if costs[m.ServiceID] != a.Cost || m.Score != a.Score || m.Rank != a.Rank {
					t.Fatalf("%s with %s: cost %d, score %d, rank %d; reported %d, %d, %d", a.RequestID, a.ServiceID,
						costs[m.ServiceID], m.Score, m.Rank, a.Cost, a.Score, a.Rank)
				}
			}
		}
		if !eligible {
			t.Fatalf("request %s assigned to %s, which it is not eligible for", a.RequestID, a.ServiceID)
		}
		assigned[a.ServiceID] = append(assigned[a.ServiceID], req)
		total += a.Cost
	}
	for _, u := range alloc.Unserved {
		if seen[u.RequestID] {
			t.Fatalf("request %s both served and unserved", u.RequestID)
		}
		seen[u.RequestID] = true
	}
	if len(seen) != len(reqs) || alloc.Served != len(alloc.Assignments) || alloc.TotalCost != total {
		t.Fatalf("allocation accounts for %d of %d requests; served %d, total %d vs %d", len(seen), len(reqs), alloc.Served, alloc.TotalCost, total)
	}
	for id, rs := range assigned {
		if d, need, over := overCommitted(svcByID[id], rs); over {
			t.Fatalf("service %s is over capacity on %s: needs %d, has %d", id, d, need, freeOnDay(svcByID[id], d))
		}
	}
}

// TestSlotModelProperties: for random batches the slot model's exact solution serves as many
// requests at as little cost as a brute-force search of the slot model as documented, built
// without the index, and is within the calendars.
func TestSlotModelProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		cfg := genConfig(t)
		services, reqs := genCompetitiveBatch(t, 5, 7)
		ix, err := NewIndex(services, cfg)
		if err != nil {
			t.Fatal(err)
		}
		p, err := ix.BuildProblem(reqs)
		if err != nil {
			t.Fatal(err)
		}
		sol, err := p.Solve()
		if err != nil {
			t.Fatal(err)
		}
		checkAllocation(t, p.Allocation(sol), reqs, services, cfg)
		served, cost := bruteForce(independentProblem(t, reqs, services, cfg))
		if sol.Served != served || sol.Cost != cost {
			t.Fatalf("slot model: solved %d at cost %d; brute force finds %d at %d", sol.Served, sol.Cost, served, cost)
		}
	})
}

// TestBuildProblemAgreesWithPlainMatching checks the batch's eligible pairs, built by several
// workers when there are enough requests, against the plain matcher request by request.
func TestBuildProblemAgreesWithPlainMatching(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		cfg := genConfig(t)
		services, _ := genCompetitiveBatch(t, 30, 2)
		_, reqs := genCompetitiveBatch(t, 1, 2)
		for len(reqs) < 3*pairsPerWorker {
			_, more := genCompetitiveBatch(t, 1, 7)
			for _, r := range more {
				r.ID = fmt.Sprint("R", len(reqs))
				reqs = append(reqs, r)
			}
		}
		ix, err := NewIndex(services, cfg)
		if err != nil {
			t.Fatal(err)
		}
		p, err := ix.BuildProblem(reqs)
		if err != nil {
			t.Fatal(err)
		}
		k := 0
		for r, req := range reqs {
			res, err := MatchServices(req, services, cfg)
			if err != nil {
				t.Fatal(err)
			}
			costs := rankCostsOf(res, req, cfg)
			slices.SortFunc(res.Ranked, func(a, b Match) int { return cmp.Compare(a.service, b.service) })
			for _, m := range res.Ranked {
				if k >= len(p.Edges) {
					t.Fatalf("request %d: problem has too few edges", r)
				}
				e := p.Edges[k]
				if e.Request != r || p.Services[e.Service].ID != m.ServiceID || e.Cost != costs[m.ServiceID] {
					t.Fatalf("edge %d = %+v (%s), want request %d, %s at %d", k, e, p.Services[e.Service].ID, r, m.ServiceID, costs[m.ServiceID])
				}
				if info := p.info[k]; info.rank != int32(m.Rank) || info.score != m.Score || info.priceDistance != PairCost(m.Breakdown) {
					t.Fatalf("edge %d: rank %d, score %d, price and distance %d; want %d, %d, %d", k, info.rank, info.score,
						info.priceDistance, m.Rank, m.Score, PairCost(m.Breakdown))
				}
				k++
			}
		}
		if k != len(p.Edges) {
			t.Fatalf("problem has %d edges, plain matching finds %d", len(p.Edges), k)
		}
	})
}
