package matching

import (
	"cmp"
	"slices"
)

// SolveGreedy is the baseline the exact solver is measured against: take the eligible pairs
// cheapest first and place each request whose service still has a slot free. It is what a broker
// working down a list does, and it can serve fewer requests or cost more than Solve. It returns a
// *FieldError if the problem is invalid.
func (p *Problem) SolveGreedy() (Solution, error) {
	if err := p.Validate(); err != nil {
		return Solution{}, err
	}
	order := make([]int, len(p.Edges))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(p.Edges[a].Cost, p.Edges[b].Cost), cmp.Compare(a, b))
	})
	sol := Solution{Edge: make([]int, len(p.Requests))}
	for r := range sol.Edge {
		sol.Edge[r] = -1
	}
	left := make([]int, len(p.Services))
	for i, s := range p.Services {
		left[i] = s.Slots
	}
	for _, i := range order {
		e := p.Edges[i]
		if sol.Edge[e.Request] >= 0 || left[e.Service] == 0 {
			continue
		}
		sol.Edge[e.Request] = i
		left[e.Service]--
		sol.Served++
		sol.Cost += e.Cost
	}
	return sol, nil
}
