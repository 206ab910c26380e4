package matching

import "slices"

// SolveGreedy is the baseline the exact solver is measured against: take the eligible pairs
// cheapest first and place each request whose service still has a slot free. It is what a broker
// working down a list does, and it can serve fewer requests or cost more than Solve. It returns a
// *FieldError if the problem is invalid.
func (p *Problem) SolveGreedy() (Solution, error) {
	if err := p.Validate(); err != nil {
		return Solution{}, err
	}
	// Sort packed keys (cost in the high bits, edge index in the low 32) rather than calling a
	// comparison function: Validate keeps costs within 21 bits and edge counts within 31.
	order := make([]uint64, len(p.Edges))
	for i, e := range p.Edges {
		order[i] = uint64(e.Cost)<<32 | uint64(i)
	}
	slices.Sort(order)
	sol := Solution{Edge: make([]int, len(p.Requests))}
	for r := range sol.Edge {
		sol.Edge[r] = -1
	}
	left := make([]int, len(p.Services))
	for i, s := range p.Services {
		left[i] = s.Slots
	}
	for _, key := range order {
		i := int(key & (1<<32 - 1))
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
