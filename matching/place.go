package matching

import (
	"cmp"
	"slices"
	"strconv"
)

// placer holds an allocation on the real calendars of a Problem: which edge each request is
// placed on, what each service's ledger has used, and the totals. Every change goes through place
// and unplace, so the ledgers and totals never disagree with the assignments.
type placer struct {
	p       *Problem
	ledgers []ledger  // the problem's ledgers, copied so a placer never changes the problem
	byCost  [][]int32 // per request: its edges, cheapest (highest ranked) first
	members [][]int32 // per service: the requests placed with it
	edge    []int32   // per request: the edge it is placed on, or -1
	served  int
	cost    int64
}

func newPlacer(p *Problem) *placer {
	pl := &placer{p: p, ledgers: make([]ledger, len(p.ledgers)), byCost: make([][]int32, len(p.Requests)),
		members: make([][]int32, len(p.Services)), edge: make([]int32, len(p.Requests))}
	for i, l := range p.ledgers {
		pl.ledgers[i] = ledger{dates: l.dates, free: l.free, used: make([]int64, len(l.used))}
	}
	for k, e := range p.Edges {
		pl.byCost[e.Request] = append(pl.byCost[e.Request], int32(k))
	}
	for _, edges := range pl.byCost {
		slices.SortStableFunc(edges, func(a, b int32) int { return cmp.Compare(p.Edges[a].Cost, p.Edges[b].Cost) })
	}
	for r := range pl.edge {
		pl.edge[r] = -1
	}
	return pl
}

func (pl *placer) fits(k int32) bool {
	e := &pl.p.Edges[k]
	return pl.ledgers[e.Service].fits(pl.p.edgeAt[k], pl.p.Demands[e.Request])
}

func (pl *placer) place(k int32) {
	e := &pl.p.Edges[k]
	pl.ledgers[e.Service].take(pl.p.edgeAt[k], pl.p.Demands[e.Request])
	pl.members[e.Service] = append(pl.members[e.Service], int32(e.Request))
	pl.edge[e.Request] = k
	pl.served++
	pl.cost += e.Cost
}

func (pl *placer) unplace(r int32) {
	k := pl.edge[r]
	e := &pl.p.Edges[k]
	pl.ledgers[e.Service].take(pl.p.edgeAt[k], -pl.p.Demands[r])
	m := pl.members[e.Service]
	i := slices.Index(m, r)
	m[i] = m[len(m)-1]
	pl.members[e.Service] = m[:len(m)-1]
	pl.edge[r] = -1
	pl.served--
	pl.cost -= e.Cost
}

// insert places request r on its cheapest edge that fits, reporting whether one did.
func (pl *placer) insert(r int32) bool {
	for _, k := range pl.byCost[r] {
		if pl.fits(k) {
			pl.place(k)
			return true
		}
	}
	return false
}

// insertByMoving places unplaced request r by moving one request already placed with a service of
// r's to another service where it fits, cheapest first for r. It reports whether it did.
func (pl *placer) insertByMoving(r int32) bool {
	for _, k := range pl.byCost[r] {
		svc := pl.p.Edges[k].Service
		for i := 0; i < len(pl.members[svc]); i++ {
			v := pl.members[svc][i]
			back := pl.edge[v]
			pl.unplace(v)
			if pl.fits(k) {
				pl.place(k)
				for _, k2 := range pl.byCost[v] {
					if pl.p.Edges[k2].Service != svc && pl.fits(k2) {
						pl.place(k2)
						return true
					}
				}
				pl.unplace(r)
			}
			pl.place(back)
		}
	}
	return false
}

// cheapen moves placed request r to a cheaper edge that fits, reporting whether it did.
func (pl *placer) cheapen(r int32) bool {
	back := pl.edge[r]
	pl.unplace(r)
	for _, k := range pl.byCost[r] {
		if pl.p.Edges[k].Cost >= pl.p.Edges[back].Cost {
			break
		}
		if pl.fits(k) {
			pl.place(k)
			return true
		}
	}
	pl.place(back)
	return false
}

// solution reports the placer's allocation as a Solution.
func (pl *placer) solution() Solution {
	sol := Solution{Edge: make([]int, len(pl.edge)), Served: pl.served, Cost: pl.cost}
	for r, k := range pl.edge {
		sol.Edge[r] = int(k)
	}
	return sol
}

// adopt places the assignments of sol, which must fit the calendars.
func (pl *placer) adopt(sol Solution) error {
	for r, k := range sol.Edge {
		if k < 0 {
			continue
		}
		if !pl.fits(int32(k)) {
			return fieldErr(indexed("solution", r), "does not fit the calendar of service "+pl.p.Services[pl.p.Edges[k].Service].ID)
		}
		pl.place(int32(k))
	}
	return nil
}

// better reports whether (served, cost) beats (served0, cost0): more served, or as many for less.
func better(served int, cost int64, served0 int, cost0 int64) bool {
	return served > served0 || served == served0 && cost < cost0
}

// SolveFirstFit is the baseline a broker working down a list would reach on the real calendars:
// each request in turn, in input order, goes to its highest ranked service that still has room
// for it on every day from its start.
func (p *Problem) SolveFirstFit() (Solution, error) {
	if err := p.checkCalendars(); err != nil {
		return Solution{}, err
	}
	pl := newPlacer(p)
	for r := range p.Requests {
		pl.insert(int32(r))
	}
	return pl.solution(), nil
}

// Feasible checks a solution against the real calendars: every request on at most one of its
// edges and no service over its free capacity on any day. It returns a *FieldError naming the
// first service that is over.
func (p *Problem) Feasible(sol Solution) error {
	if err := p.checkCalendars(); err != nil {
		return err
	}
	if len(sol.Edge) != len(p.Requests) {
		return fieldErr("solution", "must assign each of the "+strconv.Itoa(len(p.Requests))+" requests or none")
	}
	for r, k := range sol.Edge {
		if k >= len(p.Edges) || k >= 0 && p.Edges[k].Request != r {
			return fieldErr(indexed("solution", r), "must be one of the request's edges")
		}
	}
	return newPlacer(p).adopt(sol)
}

// checkCalendars reports a problem built without real calendars (read from a file, say).
func (p *Problem) checkCalendars() error {
	if len(p.ledgers) != len(p.Services) || len(p.Demands) != len(p.Requests) {
		return fieldErr("services", "have no calendars: build the problem with Index.BuildProblem")
	}
	return nil
}
