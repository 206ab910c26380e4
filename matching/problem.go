package matching

import (
	"cmp"
	"runtime"
	"slices"
	"strconv"
	"sync"
)

// Problem is a batch of requests and the services that could take them, in the slot model (see
// the package documentation): each service has a number of slots, each request needs one slot of
// one service it is eligible for, and each eligible pair has a cost. It is what Solve works on, and
// what `solve -problem` writes out for checking against another solver.
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

	providerID string
}

// Edge is an eligible pair: Requests[Request] may be placed with Services[Service] at Cost.
type Edge struct {
	Request int   `json:"request"`
	Service int   `json:"service"`
	Cost    int64 `json:"cost"`
}

type edgeInfo struct {
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
	for i := range reqs {
		p.Requests[i] = reqs[i].ID
	}
	var err error
	if p.Edges, p.info, err = ix.eligiblePairs(reqs); err != nil {
		return nil, err
	}
	// Per directory service: the largest demand and earliest start among its eligible requests
	// (zero demand: eligible for none).
	services := ix.dir.services
	demand := make([]int64, len(services))
	earliest := make([]Date, len(services))
	for _, e := range p.Edges {
		req := &reqs[e.Request]
		if demand[e.Service] == 0 || req.StartDate < earliest[e.Service] {
			earliest[e.Service] = req.StartDate
		}
		demand[e.Service] = max(demand[e.Service], req.demand())
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
		p.Services = append(p.Services, ProblemService{ID: services[s].ID, Slots: int(free / demand[s]),
			providerID: services[s].ProviderID})
	}
	for k := range p.Edges {
		p.Edges[k].Service = local[p.Edges[k].Service]
	}
	return p, nil
}

// pairsPerWorker is the least work worth a goroutine of its own.
const pairsPerWorker = 64

// eligiblePairs matches every request, spreading the requests over the processors in contiguous
// runs so that the edges come out in request order whatever the number of workers. Each edge's
// Service is the directory index of the service.
func (ix *Index) eligiblePairs(reqs []Request) ([]Edge, []edgeInfo, error) {
	workers := max(1, min(runtime.GOMAXPROCS(0), len(reqs)/pairsPerWorker))
	type run struct {
		edges []Edge
		info  []edgeInfo
		err   error
	}
	runs := make([]run, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := len(reqs)*w/workers, len(reqs)*(w+1)/workers
		wg.Go(func() {
			res := Result{eligibleOnly: true}
			out := &runs[w]
			// A guess at the pairs, so the slices rarely grow: about 50 eligible services each.
			out.edges = make([]Edge, 0, (hi-lo)*64)
			out.info = make([]edgeInfo, 0, (hi-lo)*64)
			for i := lo; i < hi; i++ {
				if err := ix.MatchInto(&reqs[i], &res); err != nil {
					out.err = within(indexed("requests", i), err.(*FieldError))
					return
				}
				slices.SortFunc(res.Ranked, func(a, b Match) int { return cmp.Compare(a.service, b.service) })
				for _, m := range res.Ranked {
					out.edges = append(out.edges, Edge{Request: i, Service: int(m.service), Cost: PairCost(m.Breakdown)})
					out.info = append(out.info, edgeInfo{m.WeeklyCostPence, m.DistanceKm, m.OverBudget})
				}
			}
		})
	}
	wg.Wait()
	for _, r := range runs {
		if r.err != nil {
			return nil, nil, r.err
		}
	}
	if workers == 1 {
		return runs[0].edges, runs[0].info, nil
	}
	n := 0
	for _, r := range runs {
		n += len(r.edges)
	}
	edges, info := make([]Edge, 0, n), make([]edgeInfo, 0, n)
	for _, r := range runs {
		edges, info = append(edges, r.edges...), append(info, r.info...)
	}
	return edges, info, nil
}

// Validate checks that every edge names a request and a service of the problem, that costs and
// slots are not negative and that no pair appears twice; Solve relies on it.
func (p *Problem) Validate() error {
	if len(p.Requests) > maxBatch {
		return fieldErr("requests", "must hold at most "+strconv.Itoa(maxBatch)+" requests")
	}
	if uint64(len(p.Edges)) >= 1<<31 {
		return fieldErr("edges", "must hold fewer than 2147483648 pairs")
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
