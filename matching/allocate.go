package matching

// Allocation is the outcome of a batch: which service each request goes to, what it costs and
// which requests could not be served.
type Allocation struct {
	Requests int `json:"requests"`
	Served   int `json:"served"`
	// TotalCost is the sum of the assignments' PairCost: the objective the solver minimises.
	TotalCost int64 `json:"total_cost"`
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

// Allocate places as many requests as possible with the services of the index and, among the ways
// to place that many, the one of least total cost, exactly, in the slot model the package
// documentation describes. Eligibility is decided by the same hard rules as Match; a request that
// allows offers over budget may be placed over budget, flagged. It returns a *FieldError naming
// the first invalid request.
func (ix *Index) Allocate(reqs []Request) (Allocation, error) {
	p, err := ix.BuildProblem(reqs)
	if err != nil {
		return Allocation{}, err
	}
	sol, err := p.Solve()
	if err != nil {
		return Allocation{}, err
	}
	return p.Allocation(sol), nil
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
		}
		a.Assignments = append(a.Assignments, as)
		a.Served++
		a.TotalCost += edge.Cost
		a.TotalWeeklyCostPence += as.WeeklyCostPence
	}
	return a
}
