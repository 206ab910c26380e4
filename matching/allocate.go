package matching

import "slices"

// Allocation is the outcome of a batch: which service each request goes to, what it costs and
// which requests could not be served.
type Allocation struct {
	Requests int `json:"requests"`
	Served   int `json:"served"`
	// TotalCost is the sum of the assignments' rankCost: the objective minimised once the most
	// requests are served. TotalScore is the sum of their ranking scores, in thousandths of a point.
	TotalCost  int64 `json:"total_cost"`
	TotalScore int64 `json:"total_score"`
	// FirstRanked counts the requests placed with the service ranked first for them.
	FirstRanked int `json:"first_ranked"`
	// Proof says how far from the best possible the allocation can be (Allocate only).
	Proof *Proof `json:"proof,omitempty"`
	// TotalWeeklyCostPence is what the assignments cost a week, in pence.
	TotalWeeklyCostPence int64        `json:"total_weekly_cost_pence"`
	Assignments          []Assignment `json:"assignments"`
	Unserved             []Unserved   `json:"unserved"`
}

// Assignment places one request with one service.
type Assignment struct {
	RequestID       string  `json:"request_id"`
	ServiceID       string  `json:"service_id"`
	ProviderID      string  `json:"provider_id"`
	Cost            int64   `json:"cost"`
	Score           int64   `json:"score"`
	Rank            int     `json:"rank"`
	WeeklyCostPence int64   `json:"weekly_cost_pence"`
	DistanceKm      float64 `json:"distance_km"`
	// OverBudget marks a placement above the budget, allowed by the request, which a budget
	// approver must agree.
	OverBudget bool `json:"over_budget"`
}

// Unserved is a request the batch could not place, with how many services were eligible for it:
// none means no service could take it at all; some means they were full with other requests.
type Unserved struct {
	RequestID        string `json:"request_id"`
	EligibleServices int    `json:"eligible_services"`
}

// Allocate places as many requests as possible with the services of the index, within their real
// calendars of hours and places, and among the ways to place that many prefers the services the
// ranking puts first (Problem.Fill says how, and what is proved). Eligibility is decided by the
// same hard rules as Match; a request that allows offers over budget may be placed over budget,
// flagged. It returns a *FieldError naming the first invalid request.
func (ix *Index) Allocate(reqs []Request) (Allocation, error) {
	p, err := ix.BuildProblem(reqs)
	if err != nil {
		return Allocation{}, err
	}
	sol, proof, err := p.Fill(DefaultEffort())
	if err != nil {
		return Allocation{}, err
	}
	a := p.Allocation(sol)
	a.Proof = &proof
	return a, nil
}

// AllocateGreedy is Allocate with the greedy baseline (SolveGreedy) instead of the exact solver.
func (ix *Index) AllocateGreedy(reqs []Request) (Allocation, error) {
	p, err := ix.BuildProblem(reqs)
	if err != nil {
		return Allocation{}, err
	}
	sol, err := p.SolveGreedy()
	if err != nil {
		return Allocation{}, err
	}
	return p.Allocation(sol), nil
}

// Allocation describes a solution of the problem for people and programs.
func (p *Problem) Allocation(sol Solution) Allocation {
	a := Allocation{Requests: len(p.Requests), Assignments: []Assignment{}, Unserved: []Unserved{}}
	eligible := make([]int, len(p.Requests))
	for _, e := range p.Edges {
		eligible[e.Request]++
	}
	for r, e := range sol.Edge {
		if e < 0 {
			a.Unserved = append(a.Unserved, Unserved{RequestID: p.Requests[r], EligibleServices: eligible[r]})
			continue
		}
		edge := p.Edges[e]
		svc := &p.Services[edge.Service]
		as := Assignment{RequestID: p.Requests[r], ServiceID: svc.ID, ProviderID: svc.providerID, Cost: edge.Cost}
		if e < len(p.info) {
			info := p.info[e]
			as.WeeklyCostPence, as.DistanceKm, as.OverBudget = info.weeklyCostPence, info.distanceKm, info.overBudget
			as.Score, as.Rank = info.score, int(info.rank)
		}
		if as.Rank == 1 {
			a.FirstRanked++
		}
		a.TotalScore += as.Score
		a.Assignments = append(a.Assignments, as)
		a.Served++
		a.TotalCost += edge.Cost
		a.TotalWeeklyCostPence += as.WeeklyCostPence
	}
	return a
}

// PriceDistanceModel returns the problem as batches were posed before December 2026, for
// comparison only: the slot model with each pair costing its PairCost (price and distance alone).
func (p *Problem) PriceDistanceModel() *Problem {
	q := *p
	q.Edges = slices.Clone(p.Edges)
	for k := range q.Edges {
		q.Edges[k].Cost = p.info[k].priceDistance
	}
	return &q
}
