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

// lastChange is the last date the calendar changes, after which capacity stays as it is.
func lastChange(s *Service, d Date) Date {
	for _, step := range s.Capacity {
		d = max(d, step.From)
	}
	return d
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
		for _, m := range res.Ranked {
			u := uses[m.ServiceID]
			if u == nil {
				u = &use{earliest: req.StartDate}
				uses[m.ServiceID] = u
			}
			u.demand = max(u.demand, req.demand())
			u.earliest = min(u.earliest, req.StartDate)
			edges = append(edges, Edge{Request: r, Cost: PairCost(m.Breakdown)})
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

// TestAllocateProperties: for random batches the allocation serves each request at most once,
// only with services it is eligible for, never beyond a service's capacity on any day, and serves
// as many requests at as little cost as a brute-force search of the slot model.
func TestAllocateProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		cfg := genConfig(t)
		services, reqs := genCompetitiveBatch(t, 5, 7)
		ix, err := NewIndex(services, cfg)
		if err != nil {
			t.Fatal(err)
		}
		alloc, err := ix.Allocate(reqs)
		if err != nil {
			t.Fatal(err)
		}
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
			eligible := false
			for _, m := range res.Ranked {
				if m.ServiceID == a.ServiceID {
					eligible = true
					if PairCost(m.Breakdown) != a.Cost {
						t.Fatalf("%s with %s costs %d, reported %d", a.RequestID, a.ServiceID, PairCost(m.Breakdown), a.Cost)
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
			s := svcByID[id]
			first := rs[0].StartDate
			for _, r := range rs {
				first = min(first, r.StartDate)
			}
			for d := first; d <= lastChange(s, first); d++ {
				var need int64
				for _, r := range rs {
					if r.StartDate <= d {
						need += r.demand()
					}
				}
				if need > freeOnDay(s, d) {
					t.Fatalf("service %s is over capacity on %s: needs %d, has %d", id, d, need, freeOnDay(s, d))
				}
			}
		}
		served, cost := bruteForce(independentProblem(t, reqs, services, cfg))
		if alloc.Served != served || alloc.TotalCost != cost {
			t.Fatalf("allocated %d at cost %d; brute force finds %d at %d", alloc.Served, alloc.TotalCost, served, cost)
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
			slices.SortFunc(res.Ranked, func(a, b Match) int { return cmp.Compare(a.service, b.service) })
			for _, m := range res.Ranked {
				if k >= len(p.Edges) {
					t.Fatalf("request %d: problem has too few edges", r)
				}
				e := p.Edges[k]
				if e.Request != r || p.Services[e.Service].ID != m.ServiceID || e.Cost != PairCost(m.Breakdown) {
					t.Fatalf("edge %d = %+v (%s), want request %d, %s at %d", k, e, p.Services[e.Service].ID, r, m.ServiceID, PairCost(m.Breakdown))
				}
				k++
			}
		}
		if k != len(p.Edges) {
			t.Fatalf("problem has %d edges, plain matching finds %d", len(p.Edges), k)
		}
	})
}
