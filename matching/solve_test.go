package matching

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"
)

// bruteForce tries every assignment of the problem and returns the most requests served and the
// least cost of serving that many.
func bruteForce(p *Problem) (served int, cost int64) {
	byReq := make([][]int, len(p.Requests))
	for i, e := range p.Edges {
		byReq[e.Request] = append(byReq[e.Request], i)
	}
	left := make([]int, len(p.Services))
	for i, s := range p.Services {
		left[i] = s.Slots
	}
	bestServed, bestCost := -1, int64(0)
	var walk func(r, n int, c int64)
	walk = func(r, n int, c int64) {
		if r == len(p.Requests) {
			if n > bestServed || (n == bestServed && c < bestCost) {
				bestServed, bestCost = n, c
			}
			return
		}
		walk(r+1, n, c) // r unserved
		for _, i := range byReq[r] {
			e := p.Edges[i]
			if left[e.Service] > 0 {
				left[e.Service]--
				walk(r+1, n+1, c+e.Cost)
				left[e.Service]++
			}
		}
	}
	walk(0, 0, 0)
	return bestServed, bestCost
}

// checkSolution checks that a solution is feasible and its totals are right.
func checkSolution(p *Problem, sol Solution) error {
	if len(sol.Edge) != len(p.Requests) {
		return fmt.Errorf("%d assignments for %d requests", len(sol.Edge), len(p.Requests))
	}
	used := make([]int, len(p.Services))
	served, cost := 0, int64(0)
	for r, e := range sol.Edge {
		if e < 0 {
			continue
		}
		if p.Edges[e].Request != r {
			return fmt.Errorf("request %d assigned edge %d of request %d", r, e, p.Edges[e].Request)
		}
		used[p.Edges[e].Service]++
		served++
		cost += p.Edges[e].Cost
	}
	for s, n := range used {
		if n > p.Services[s].Slots {
			return fmt.Errorf("service %d has %d requests in %d slots", s, n, p.Services[s].Slots)
		}
	}
	if served != sol.Served || cost != sol.Cost {
		return fmt.Errorf("totals say %d served at %d, assignments %d at %d", sol.Served, sol.Cost, served, cost)
	}
	return nil
}

// checkPotentials checks the solver's invariant: every arc of the residual graph has a
// non-negative reduced cost, so the circulation has no negative cycle and is optimal.
func checkPotentials(s *solver) error {
	for r := 0; r < s.nReq; r++ {
		if r >= s.added {
			break
		}
		for e := s.edgeStart[r]; e < s.edgeStart[r+1]; e++ {
			edge := s.p.Edges[e]
			w := s.svcNode(edge.Service)
			if s.assigned[r] == e {
				if rc := -edge.Cost + s.pot[w] - s.pot[r]; rc < 0 {
					return fmt.Errorf("backward arc service %d -> request %d has reduced cost %d", edge.Service, r, rc)
				}
			} else if rc := edge.Cost + s.pot[r] - s.pot[w]; rc < 0 {
				return fmt.Errorf("arc request %d -> service %d has reduced cost %d", r, edge.Service, rc)
			}
		}
		if s.assigned[r] >= 0 {
			if rc := s.bonus + s.pot[r] - s.pot[s.hub]; rc < 0 {
				return fmt.Errorf("drop arc of request %d has reduced cost %d", r, rc)
			}
		}
	}
	for svc := range s.slots {
		v := s.svcNode(svc)
		if s.used[svc] < s.slots[svc] && s.pot[v]-s.pot[s.hub] < 0 {
			return fmt.Errorf("free slot arc of service %d has reduced cost %d", svc, s.pot[v]-s.pot[s.hub])
		}
		if s.used[svc] > 0 && s.pot[s.hub]-s.pot[v] < 0 {
			return fmt.Errorf("slot return arc of service %d has reduced cost %d", svc, s.pot[s.hub]-s.pot[v])
		}
	}
	return nil
}

func genProblem(t *rapid.T) *Problem {
	nReq := rapid.IntRange(0, 7).Draw(t, "requests")
	nSvc := rapid.IntRange(0, 4).Draw(t, "services")
	maxCost := rapid.SampledFrom([]int64{0, 3, 20, maxEdgeCost}).Draw(t, "max_cost")
	p := &Problem{}
	for r := range nReq {
		p.Requests = append(p.Requests, fmt.Sprint("R", r))
	}
	for s := range nSvc {
		p.Services = append(p.Services, ProblemService{ID: fmt.Sprint("S", s), Slots: rapid.IntRange(0, 3).Draw(t, "slots")})
	}
	for r := range nReq {
		for s := range nSvc {
			if rapid.IntRange(0, 2).Draw(t, "edge") > 0 {
				p.Edges = append(p.Edges, Edge{Request: r, Service: s, Cost: rapid.Int64Range(0, maxCost).Draw(t, "cost")})
			}
		}
	}
	return p
}

func TestSolveMatchesBruteForce(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := genProblem(t)
		sol, err := p.Solve()
		if err != nil {
			t.Fatal(err)
		}
		if err := checkSolution(p, sol); err != nil {
			t.Fatal(err)
		}
		served, cost := bruteForce(p)
		if sol.Served != served || sol.Cost != cost {
			t.Fatalf("solver served %d at cost %d; the optimum is %d at %d", sol.Served, sol.Cost, served, cost)
		}
		greedy, err := p.SolveGreedy()
		if err != nil {
			t.Fatal(err)
		}
		if err := checkSolution(p, greedy); err != nil {
			t.Fatalf("greedy: %v", err)
		}
		if greedy.Served > served || (greedy.Served == served && greedy.Cost < cost) {
			t.Fatalf("greedy (%d at %d) beat the optimum (%d at %d)", greedy.Served, greedy.Cost, served, cost)
		}
	})
}

// TestSolverKeepsItsInvariant checks the reduced costs after every request is added, which is
// what makes each step's answer optimal and not just the final one.
func TestSolverKeepsItsInvariant(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := genProblem(t)
		s := newSolver(p)
		for r := range p.Requests {
			s.add(r)
			if err := checkPotentials(s); err != nil {
				t.Fatalf("after adding request %d: %v", r, err)
			}
		}
	})
}

func TestSolveWorkedExamples(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		slots        []int
		edges        []Edge
		nReq         int
		wantServed   int
		wantCost     int64
		wantAssigned []int // service per request, -1 unserved
	}{
		{
			name: "the cheaper request gets the last slot though it comes second",
			nReq: 2, slots: []int{1},
			edges:      []Edge{{0, 0, 10}, {1, 0, 5}},
			wantServed: 1, wantCost: 5, wantAssigned: []int{-1, 0},
		},
		{
			name: "moving a request serves one more, where greedy would not",
			nReq: 2, slots: []int{1, 1},
			edges:      []Edge{{0, 0, 1}, {0, 1, 2}, {1, 0, 3}},
			wantServed: 2, wantCost: 5, wantAssigned: []int{1, 0},
		},
		{
			name: "a chain of moves",
			nReq: 3, slots: []int{1, 1, 1},
			edges:      []Edge{{0, 0, 0}, {0, 1, 1}, {1, 1, 0}, {1, 2, 1}, {2, 0, 5}},
			wantServed: 3, wantCost: 7, wantAssigned: []int{1, 2, 0},
		},
		{
			name: "no edges",
			nReq: 2, slots: []int{3},
			wantServed: 0, wantCost: 0, wantAssigned: []int{-1, -1},
		},
		{
			name: "more slots than a 32-bit count holds",
			nReq: 2, slots: []int{1 << 40},
			edges:      []Edge{{0, 0, 2}, {1, 0, 3}},
			wantServed: 2, wantCost: 5, wantAssigned: []int{0, 0},
		},
		{
			name: "a full service",
			nReq: 1, slots: []int{0},
			edges:      []Edge{{0, 0, 4}},
			wantServed: 0, wantCost: 0, wantAssigned: []int{-1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := &Problem{Edges: tt.edges}
			for r := range tt.nReq {
				p.Requests = append(p.Requests, fmt.Sprint("R", r))
			}
			for i, n := range tt.slots {
				p.Services = append(p.Services, ProblemService{ID: fmt.Sprint("S", i), Slots: n})
			}
			sol, err := p.Solve()
			if err != nil {
				t.Fatal(err)
			}
			if sol.Served != tt.wantServed || sol.Cost != tt.wantCost {
				t.Fatalf("served %d at %d, want %d at %d", sol.Served, sol.Cost, tt.wantServed, tt.wantCost)
			}
			for r, e := range sol.Edge {
				got := -1
				if e >= 0 {
					got = p.Edges[e].Service
				}
				if got != tt.wantAssigned[r] {
					t.Errorf("request %d went to service %d, want %d", r, got, tt.wantAssigned[r])
				}
			}
		})
	}
}

func TestGreedyFallsShortWhereExactDoesNot(t *testing.T) {
	t.Parallel()
	p := &Problem{Requests: []string{"R0", "R1"}, Services: []ProblemService{{ID: "S0", Slots: 1}, {ID: "S1", Slots: 1}},
		Edges: []Edge{{0, 0, 1}, {0, 1, 2}, {1, 0, 3}}}
	greedy, _ := p.SolveGreedy()
	exact, _ := p.Solve()
	if greedy.Served != 1 || exact.Served != 2 {
		t.Fatalf("greedy served %d, exact %d; want 1 and 2", greedy.Served, exact.Served)
	}
}

func TestProblemValidate(t *testing.T) {
	t.Parallel()
	base := func() *Problem {
		return &Problem{Requests: []string{"R0", "R1"}, Services: []ProblemService{{ID: "S0", Slots: 1}},
			Edges: []Edge{{0, 0, 1}, {1, 0, 2}}}
	}
	tests := []struct {
		name   string
		change func(*Problem)
		want   string
	}{
		{"negative slots", func(p *Problem) { p.Services[0].Slots = -1 }, "services[0].slots: must not be negative"},
		{"unknown request", func(p *Problem) { p.Edges[1].Request = 2 }, "edges[1].request: must index requests"},
		{"unknown service", func(p *Problem) { p.Edges[0].Service = 1 }, "edges[0].service: must index services"},
		{"negative cost", func(p *Problem) { p.Edges[0].Cost = -1 }, "edges[0].cost: must be from 0 to 2147483647"},
		{"repeated pair", func(p *Problem) { p.Edges[1] = p.Edges[0] }, "edges[1]: must come after edges[0] in request then service order, without repeats"},
	}
	for _, tt := range tests {
		p := base()
		tt.change(p)
		if _, err := p.Solve(); err == nil || err.Error() != tt.want {
			t.Errorf("%s: error = %v, want %q", tt.name, err, tt.want)
		}
	}
}
