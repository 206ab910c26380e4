package matching

import (
	"cmp"
	"slices"
	"strconv"
)

// Problem is a batch of requests and the services that could take them, in the slot model (see
// the package documentation): each service has a number of slots, each request needs one slot of
// one service it is eligible for, and each eligible pair has a cost. It is what Solve works on, and
// what `solve -graph` writes out for checking against another solver.
type Problem struct {
	// Requests are the request IDs, in input order.
	Requests []string `json:"requests"`
	// Services are the services eligible for at least one request, in directory order.
	Services []ProblemService `json:"services"`
	// Edges are the eligible pairs, ordered by request then service.
	Edges []Edge `json:"edges"`

	info []edgeInfo // per edge: what the assignment reports besides its cost
}

// ProblemService is a service and how many requests it can take in the batch.
type ProblemService struct {
	ID    string `json:"id"`
	Slots int    `json:"slots"`
}

// Edge is an eligible pair: Requests[Request] may be placed with Services[Service] at Cost.
type Edge struct {
	Request int   `json:"request"`
	Service int   `json:"service"`
	Cost    int64 `json:"cost"`
}

type edgeInfo struct {
	providerID      string
	weeklyCostPence int64
	distanceKm      float64
	overBudget      bool
}

// maxBatch bounds the requests in one batch, which keeps the solver's arithmetic far from
// overflow (see Solve).
const maxBatch = 200_000

// BuildProblem works out which services each request is eligible for, by the same hard rules as
// Match, the cost of each pair (PairCost) and each service's slots. It returns a *FieldError
// naming the first invalid request, such as "requests[3].hours: must be positive", or a
// duplicated request ID.
func (ix *Index) BuildProblem(reqs []Request) (*Problem, error) {
	if len(reqs) > maxBatch {
		return nil, fieldErr("requests", "must hold at most "+strconv.Itoa(maxBatch)+" requests")
	}
	seen := make(map[string]int, len(reqs))
	for i := range reqs {
		if err := reqs[i].validate(); err != nil {
			return nil, within(indexed("requests", i), err)
		}
		if j, dup := seen[reqs[i].ID]; dup {
			return nil, fieldErr(indexed("requests", i)+".id", "duplicates requests["+strconv.Itoa(j)+"].id "+reqs[i].ID)
		}
		seen[reqs[i].ID] = i
	}
	p := &Problem{Requests: make([]string, len(reqs))}
	res := Result{eligibleOnly: true}
	// Per directory service: the largest demand and earliest start among its eligible requests
	// (zero demand: eligible for none).
	services := ix.dir.services
	demand := make([]int64, len(services))
	earliest := make([]Date, len(services))
	for i := range reqs {
		p.Requests[i] = reqs[i].ID
		if err := ix.MatchInto(&reqs[i], &res); err != nil {
			return nil, err
		}
		// Edges go in request then service order; Service holds the directory index until the
		// services of the problem are numbered below.
		slices.SortFunc(res.Ranked, func(a, b Match) int { return cmp.Compare(a.service, b.service) })
		d := reqs[i].demand()
		for _, m := range res.Ranked {
			p.Edges = append(p.Edges, Edge{Request: i, Service: int(m.service), Cost: PairCost(m.Breakdown)})
			p.info = append(p.info, edgeInfo{m.ProviderID, m.WeeklyCostPence, m.DistanceKm, m.OverBudget})
			if demand[m.service] == 0 || reqs[i].StartDate < earliest[m.service] {
				earliest[m.service] = reqs[i].StartDate
			}
			demand[m.service] = max(demand[m.service], d)
		}
	}
	local := make([]int, len(services))
	for s := range services {
		if demand[s] == 0 {
			continue
		}
		local[s] = len(p.Services)
		// Each request in a slot uses at most the largest demand, from the earliest start on, so
		// the slots never promise more than the service has free.
		free, _ := services[s].freeFrom(earliest[s])
		p.Services = append(p.Services, ProblemService{ID: services[s].ID, Slots: int(free / demand[s])})
	}
	for k := range p.Edges {
		p.Edges[k].Service = local[p.Edges[k].Service]
	}
	return p, nil
}

// Validate checks that every edge names a request and a service of the problem, that costs and
// slots are not negative and that no pair appears twice; Solve relies on it.
func (p *Problem) Validate() error {
	if len(p.Requests) > maxBatch {
		return fieldErr("requests", "must hold at most "+strconv.Itoa(maxBatch)+" requests")
	}
	if uint64(len(p.Edges)) >= 1<<32 {
		return fieldErr("edges", "must hold fewer than 4294967296 pairs")
	}
	for i, s := range p.Services {
		if s.Slots < 0 {
			return fieldErr(indexed("services", i)+".slots", "must not be negative")
		}
	}
	for i, e := range p.Edges {
		field, message := "", ""
		switch {
		case e.Request < 0 || e.Request >= len(p.Requests):
			field, message = ".request", "must index requests"
		case e.Service < 0 || e.Service >= len(p.Services):
			field, message = ".service", "must index services"
		case e.Cost < 0 || e.Cost > maxEdgeCost:
			field, message = ".cost", "must be from 0 to "+strconv.Itoa(maxEdgeCost)
		case i > 0 && cmp.Or(cmp.Compare(e.Request, p.Edges[i-1].Request), cmp.Compare(e.Service, p.Edges[i-1].Service)) <= 0:
			message = "must come after edges[" + strconv.Itoa(i-1) + "] in request then service order, without repeats"
		default:
			continue
		}
		return fieldErr(indexed("edges", i)+field, message)
	}
	return nil
}

// maxEdgeCost bounds an edge's cost; PairCost never exceeds 2,000,000 (two weights of at most
// 1000 times 1000).
const maxEdgeCost = 2_000_000
