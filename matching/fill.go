package matching

import (
	"cmp"
	"math/rand/v2"
	"slices"
)

// Proof is what is known of a Fill's optimality. ServedBound is an upper bound on the requests any
// allocation within the calendars can serve; Optimal says an exhaustive search finished and
// proved the solution the best there is, in requests served and then in cost.
type Proof struct {
	ServedBound int  `json:"served_bound"`
	Optimal     bool `json:"optimal"`
}

// Effort bounds Fill's work in steps, not time, so the same problem always gets the same answer
// whatever else the machine is doing.
type Effort struct {
	// Rounds of ruin and recreate; 0 takes ten per request, at most 40,000; below 0, none.
	Rounds int
	// Nodes the exact search may visit; it runs only on batches of at most ExactRequests.
	Nodes         int
	ExactRequests int
	// Seed of the ruin and recreate's choices.
	Seed uint64
}

// DefaultEffort is what Allocate uses.
func DefaultEffort() Effort {
	return Effort{Nodes: 2_000_000, ExactRequests: 40, Seed: 1}
}

// Fill allocates the problem's requests on the real calendars: each service takes any set of
// requests whose hours or places, added up from each one's start, fit what it has free on every
// day. It maximises the requests served and then minimises the total rankCost, so that with
// nothing contested each person gets the service ranked first for them. The problem is a
// generalised assignment and NP-hard, so Fill works in three steps:
//
//  1. Solve the slot model exactly (Solve), which never overcommits a calendar, and take it as
//     the start.
//  2. Improve it on the real calendars: place each unserved request where it fits, or where it
//     fits after moving one placed request to another of its services; move each placed request
//     to a better ranked service where it fits; then rounds of ruin and recreate (take out the
//     requests of a few neighbouring services and put them and the unserved back, cheapest first,
//     keeping the result only if it serves more or as many for no more cost).
//  3. Bound it: ServedBound solves the slot model with each service given as many slots as its
//     smallest eligible requests could ever fill, which no allocation can beat; on small batches a
//     branch and bound search from the answer proves the optimum or improves it. Where hours are
//     scarce and requests small the bound is loose (BENCH.md compares it with GLPK).
//
// It returns a *FieldError if the problem is invalid or was not built by BuildProblem.
func (p *Problem) Fill(effort Effort) (Solution, Proof, error) {
	if err := p.Validate(); err != nil {
		return Solution{}, Proof{}, err
	}
	if err := p.checkCalendars(); err != nil {
		return Solution{}, Proof{}, err
	}
	start, err := p.Solve()
	if err != nil {
		return Solution{}, Proof{}, err
	}
	pl := newPlacer(p)
	if err := pl.adopt(start); err != nil {
		return Solution{}, Proof{}, err // the slot model promised more than a calendar holds: a bug
	}
	pl.improve()
	pl.ruinAndRecreate(effort)
	pl.improve()
	proof := Proof{ServedBound: p.servedBound()}
	sol := pl.solution()
	if len(p.Requests) <= effort.ExactRequests {
		if best, done := p.branchAndBound(sol, effort.Nodes); done {
			sol, proof.Optimal = best, true
		}
	}
	return sol, proof, nil
}

// improve places what it can of the unserved and moves the placed up their rankings, until
// neither helps.
func (pl *placer) improve() {
	for changed := true; changed; {
		changed = false
		for r := range pl.edge {
			if pl.edge[r] < 0 && len(pl.byCost[r]) > 0 && (pl.insert(int32(r)) || pl.insertByMoving(int32(r))) {
				changed = true
			}
		}
		for r := range pl.edge {
			if pl.edge[r] >= 0 && pl.cheapen(int32(r)) {
				changed = true
			}
		}
	}
}

// neighbourhood bounds one round of ruin and recreate: the services next to the request chosen,
// and the requests taken out and put back.
const (
	ruinServices = 6
	ruinRequests = 48
)

func (pl *placer) ruinAndRecreate(effort Effort) {
	p := pl.p
	rounds := effort.Rounds
	if rounds < 0 {
		rounds = 0
	} else if rounds == 0 {
		rounds = min(10*len(p.Requests), 40_000)
	}
	eligible := make([][]int32, len(p.Services)) // per service: the requests eligible for it
	for _, e := range p.Edges {
		eligible[e.Service] = append(eligible[e.Service], int32(e.Request))
	}
	rng := rand.New(rand.NewPCG(effort.Seed, 0x9e3779b97f4a7c15))
	var touched []int32 // the requests of the round
	var before []int32  // their edges before it
	var order []int     // the order they are put back in
	seen := make([]bool, len(p.Requests))
	for range rounds {
		r0 := rng.IntN(len(p.Requests))
		if len(pl.byCost[r0]) == 0 {
			continue
		}
		touched = touched[:0]
		add := func(r int32) {
			if !seen[r] && len(touched) < ruinRequests {
				seen[r] = true
				touched = append(touched, r)
			}
		}
		add(int32(r0))
		for _, k := range pl.byCost[r0][:min(ruinServices, len(pl.byCost[r0]))] {
			svc := p.Edges[k].Service
			for _, v := range pl.members[svc] {
				add(v)
			}
			for _, v := range eligible[svc] {
				if pl.edge[v] < 0 {
					add(v)
				}
			}
		}
		served, cost := pl.served, pl.cost
		before = before[:0]
		for _, r := range touched {
			seen[r] = false
			before = append(before, pl.edge[r])
			if pl.edge[r] >= 0 {
				pl.unplace(r)
			}
		}
		// Put them back in one of three orders, chosen at random, with random order among equals:
		// the smallest first (most people in the hours there are), the hardest to place first
		// (fewest services), or no order at all.
		rng.Shuffle(len(touched), func(i, j int) {
			touched[i], touched[j] = touched[j], touched[i]
			before[i], before[j] = before[j], before[i]
		})
		order = order[:0]
		for i := range touched {
			order = append(order, i)
		}
		switch rng.IntN(3) {
		case 0:
			slices.SortStableFunc(order, func(a, b int) int {
				return cmp.Compare(p.Demands[touched[a]], p.Demands[touched[b]])
			})
		case 1:
			slices.SortStableFunc(order, func(a, b int) int {
				return cmp.Compare(len(pl.byCost[touched[a]]), len(pl.byCost[touched[b]]))
			})
		}
		for _, i := range order {
			pl.insert(touched[i])
		}
		if !better(served, cost, pl.served, pl.cost) {
			continue // as good or better: keep it
		}
		for _, r := range touched {
			if pl.edge[r] >= 0 {
				pl.unplace(r)
			}
		}
		for _, k := range before {
			if k >= 0 {
				pl.place(k)
			}
		}
	}
}

// servedBound is an upper bound on the requests any allocation within the calendars serves: the
// slot model's optimum when each service has as many slots as it could ever fill. On the latest
// start D of the requests placed with a service, every one of them has started and goes on, so
// their demands add up to no more than the least the service has free from D on; hence no more of
// them than the smallest demands among its eligible requests starting by D that fit in that
// least. Each service's slots are the most of that count over its checkpoints D.
func (p *Problem) servedBound() int {
	type need struct {
		at     int32
		demand int64
	}
	needs := make([][]need, len(p.Services))
	for k, e := range p.Edges {
		needs[e.Service] = append(needs[e.Service], need{p.edgeAt[k], p.Demands[e.Request]})
	}
	relaxed := &Problem{Requests: p.Requests, Services: make([]ProblemService, len(p.Services)), Edges: p.Edges}
	var started []int64
	for s := range p.Services {
		l := &p.ledgers[s]
		slices.SortFunc(needs[s], func(a, b need) int { return cmp.Compare(a.demand, b.demand) })
		least := slices.Clone(l.free) // least[i]: the least free from checkpoint i on
		for i := len(least) - 2; i >= 0; i-- {
			least[i] = min(least[i], least[i+1])
		}
		most := 0
		for d := range l.dates {
			started = started[:0]
			for _, n := range needs[s] {
				if int(n.at) <= d {
					started = append(started, n.demand)
				}
			}
			room, count := least[d], 0
			for _, q := range started { // smallest first
				if q > room {
					break
				}
				room -= q
				count++
			}
			most = max(most, count)
		}
		relaxed.Services[s] = ProblemService{ID: p.Services[s].ID, Slots: most}
	}
	sol, err := relaxed.Solve()
	if err != nil {
		return len(p.Requests) // cannot happen: the edges were valid for p
	}
	return sol.Served
}

// branchAndBound searches every allocation within the calendars from the incumbent, visiting at
// most nodes nodes. It returns the best allocation found and whether the search finished, which
// proves it optimal.
func (p *Problem) branchAndBound(incumbent Solution, nodes int) (Solution, bool) {
	pl := newPlacer(p)
	order := make([]int32, len(p.Requests))
	for r := range order {
		order[r] = int32(r)
	}
	// Requests with fewer services first: their choices are forced sooner.
	slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(len(pl.byCost[a]), len(pl.byCost[b])) })
	// least[i] is the least the requests order[i:] cost if every one is served.
	least := make([]int64, len(order)+1)
	for i := len(order) - 1; i >= 0; i-- {
		least[i] = least[i+1]
		if ks := pl.byCost[order[i]]; len(ks) > 0 {
			least[i] += p.Edges[ks[0]].Cost
		}
	}
	servable := make([]int, len(order)+1) // requests of order[i:] with any edge
	for i := len(order) - 1; i >= 0; i-- {
		servable[i] = servable[i+1]
		if len(pl.byCost[order[i]]) > 0 {
			servable[i]++
		}
	}
	best := incumbent
	best.Edge = slices.Clone(incumbent.Edge)
	visited := 0
	var walk func(i int) bool
	walk = func(i int) bool {
		if visited++; visited > nodes {
			return false
		}
		can := pl.served + servable[i]
		if can < best.Served || can == best.Served && pl.cost+least[i] >= best.Cost {
			return true
		}
		if i == len(order) {
			if better(pl.served, pl.cost, best.Served, best.Cost) {
				best = pl.solution()
			}
			return true
		}
		r := order[i]
		for _, k := range pl.byCost[r] {
			if pl.fits(k) {
				pl.place(k)
				ok := walk(i + 1)
				pl.unplace(r)
				if !ok {
					return false
				}
			}
		}
		return walk(i + 1) // r unserved
	}
	done := walk(0)
	return best, done
}
