package matching

import (
	"cmp"
	"runtime"
	"slices"
	"strconv"
	"sync"
)

// Problem is a batch of requests and the services that could take them. Each eligible pair has a
// cost, the ranking's order as a number (rankCost), so that the least total cost gives each person
// the service ranked highest for them wherever nothing is contested. Capacity is given twice: as
// real calendars (Demands, Starts and each service's Calendar), which Allocate fills, and as the
// slot model (each service's Slots), which Solve and SolveGreedy solve exactly and which never
// promises more than the calendars hold (see the package documentation). It is what Allocate works
// on, and what `solve -problem` writes out for checking against another solver.
type Problem struct {
	// Requests are the request IDs, in input order.
	Requests []string `json:"requests"`
	// Demands are the requests' hours a week or places, in hundredths; Starts their start dates.
	// Both are empty in a problem of the slot model only.
	Demands []int64 `json:"demands,omitempty"`
	Starts  []Date  `json:"starts,omitempty"`
	// Services are the services eligible for at least one request, in directory order.
	Services []ProblemService `json:"services"`
	// Edges are the eligible pairs, ordered by request then service.
	Edges []Edge `json:"edges"`

	info    []edgeInfo // per edge: what the assignment reports besides its cost
	edgeAt  []int32    // per edge: the checkpoint of the request's start in its service's ledger
	ledgers []ledger   // per service: its real capacity
}

// ProblemService is a service, its free capacity over the batch's dates and how many requests it
// can take in the slot model.
type ProblemService struct {
	ID       string          `json:"id"`
	Slots    int             `json:"slots"`
	Calendar []CalendarPoint `json:"calendar,omitempty"`

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
	score           int64 // the ranking's score, in thousandths of a point
	rank            int32 // the service's place in the request's ranking, from 1
	priceDistance   int64 // PairCost: the objective before December 2026, kept for comparison
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
	p.Demands, p.Starts = make([]int64, len(reqs)), make([]Date, len(reqs))
	for i := range reqs {
		p.Demands[i], p.Starts[i] = reqs[i].demand(), reqs[i].StartDate
	}
	// Per directory service: the starts of its eligible requests, and the largest demand among them
	// (zero demand: eligible for none).
	services := ix.dir.services
	demand := make([]int64, len(services))
	starts := make([][]Date, len(services))
	for _, e := range p.Edges {
		starts[e.Service] = append(starts[e.Service], p.Starts[e.Request])
		demand[e.Service] = max(demand[e.Service], p.Demands[e.Request])
	}
	local := make([]int, len(services))
	for s := range services {
		if demand[s] == 0 {
			continue
		}
		local[s] = len(p.Services)
		l := newLedger(&services[s], starts[s])
		// In the slot model each request uses at most the largest demand, from the earliest start
		// on, so the slots never promise more than the service has free.
		free, _ := services[s].freeFrom(l.dates[0])
		p.Services = append(p.Services, ProblemService{ID: services[s].ID, Slots: int(free / demand[s]),
			Calendar: l.calendar(), providerID: services[s].ProviderID})
		p.ledgers = append(p.ledgers, l)
	}
	p.edgeAt = make([]int32, len(p.Edges))
	for k := range p.Edges {
		e := &p.Edges[k]
		e.Service = local[e.Service]
		p.edgeAt[k] = p.ledgers[e.Service].at(p.Starts[e.Request])
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
				ix.rankCosts(&res, reqs[i].GenericAlternative != 0)
				slices.SortFunc(res.Ranked, func(a, b Match) int { return cmp.Compare(a.service, b.service) })
				for _, m := range res.Ranked {
					out.edges = append(out.edges, Edge{Request: i, Service: int(m.service), Cost: m.batchCost})
					out.info = append(out.info, edgeInfo{weeklyCostPence: m.WeeklyCostPence, distanceKm: m.DistanceKm,
						overBudget: m.OverBudget, score: m.Score, rank: int32(m.Rank), priceDistance: PairCost(m.Breakdown)})
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
	if n := len(p.Demands); (n != 0 || len(p.Starts) != 0) && (n != len(p.Requests) || len(p.Starts) != n) {
		return fieldErr("demands", "must give one demand and one start per request, or none")
	}
	var most int64
	for i, e := range p.Edges {
		most = max(most, e.Cost)
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
	// The solver's potentials reach about 2 x requests² x the dearest edge (see newSolver).
	if n := float64(len(p.Requests) + 1); 2*n*n*float64(most+1) >= 1<<62 {
		return fieldErr("edges", "cost too much for a batch of "+strconv.Itoa(len(p.Requests))+" requests: use smaller weights or a smaller batch")
	}
	return nil
}

// maxEdgeCost bounds an edge's cost; rankCost stays below 2^31 with weights of at most 1000.
const maxEdgeCost = 1<<31 - 1
