package matching

// Solution assigns each request of a Problem to at most one service.
type Solution struct {
	// Edge holds, for each request, the index in Problem.Edges of its assignment, or -1.
	Edge []int
	// Served is the number of requests assigned and Cost the sum of their edges' costs.
	Served int
	Cost   int64
}

// Solve finds the exact optimum of the problem: the most requests served and, among the ways to
// serve that many, the least total cost. It returns a *FieldError if the problem is invalid.
//
// The method is successive shortest paths with potentials (Dijkstra on reduced costs), adding one
// request at a time. Serving a request is worth a bonus B larger than any difference in total
// cost, so minimising cost minus B per request served maximises the number served first. Requests
// become the arcs hub->request of a circulation through a hub node that also collects every
// service's free slots. After each request is added the circulation is optimal (no negative
// cycle), so adding the next request needs only the cheapest cycle through its new arc: the
// shortest path from the request back to the hub, either to a free slot (serve one more) or to a
// served request that is dropped (a swap, taken only if it lowers the cost). Dijkstra stops when it
// reaches the hub and only the nodes it settled have their potentials changed, so a request in an
// uncontested area costs little more than a scan of its own edges.
func (p *Problem) Solve() (Solution, error) {
	if err := p.Validate(); err != nil {
		return Solution{}, err
	}
	s := newSolver(p)
	for r := range p.Requests {
		s.add(r)
	}
	return s.solution(), nil
}

type solver struct {
	p          *Problem
	nReq, hub  int
	edgeStart  []int32 // edges of request r are edgeStart[r]:edgeStart[r+1]
	slots      []int32
	used       []int32
	assigned   []int32 // per request: edge index or -1
	head       []int32 // per service: first assigned edge, -1 when none
	next, prev []int32 // per edge: neighbours in its service's list of assigned edges
	pot        []int64
	bonus      int64 // B: the worth of serving one request
	added      int   // requests added so far

	// Dijkstra state, reset lazily by stamp.
	dist    []int64
	via     []int32 // edge (or -1 for the drop arc) that reached the node
	from    []int32 // node the edge came from
	stamp   []uint32
	done    []uint32
	round   uint32
	heap    nodeHeap
	settled []int32
}

func newSolver(p *Problem) *solver {
	nReq, nSvc := len(p.Requests), len(p.Services)
	n := nReq + nSvc + 1
	s := &solver{p: p, nReq: nReq, hub: nReq + nSvc,
		edgeStart: make([]int32, nReq+1), slots: make([]int32, nSvc), used: make([]int32, nSvc),
		assigned: make([]int32, nReq), head: make([]int32, nSvc),
		next: make([]int32, len(p.Edges)), prev: make([]int32, len(p.Edges)),
		pot: make([]int64, n), dist: make([]int64, n), via: make([]int32, n), from: make([]int32, n),
		stamp: make([]uint32, n), done: make([]uint32, n)}
	for _, e := range p.Edges {
		s.edgeStart[e.Request+1]++
	}
	for r := 0; r < nReq; r++ {
		s.edgeStart[r+1] += s.edgeStart[r]
	}
	for i, svc := range p.Services {
		s.slots[i] = int32(min(svc.Slots, nReq)) // more slots than requests change nothing
		s.head[i] = -1
	}
	var maxCost int64
	for _, e := range p.Edges {
		maxCost = max(maxCost, e.Cost)
	}
	// Any path's cost lies within ±nReq*maxCost, so a bonus of twice that (plus slack) makes every
	// path to a free slot cheaper than any path that drops a request, and one more request served
	// worth more than any saving in cost. Validate keeps 2*(nReq+1)²*(maxCost+1) below 2^62, so
	// the potentials stay below nReq*bonus < 2^63.
	s.bonus = 2 * int64(nReq+1) * (maxCost + 1)
	for r := range s.assigned {
		s.assigned[r] = -1
	}
	return s
}

func (s *solver) svcNode(svc int) int { return s.nReq + svc }

// add brings request r into the circulation and restores optimality.
func (s *solver) add(r int) {
	s.added = r + 1
	edges := s.p.Edges[s.edgeStart[r]:s.edgeStart[r+1]]
	if len(edges) == 0 {
		return
	}
	// A potential for r that makes every arc out of it non-negative in reduced cost.
	best := int64(-1 << 62)
	for _, e := range edges {
		best = max(best, s.pot[s.svcNode(e.Service)]-e.Cost)
	}
	s.pot[r] = best
	if !s.search(r) {
		return // r cannot reach a free slot nor a request worth dropping: it stays unserved
	}
	d := s.dist[s.hub]
	if d-s.pot[r]+s.pot[s.hub] >= s.bonus {
		// The best cycle swaps r for a served request without lowering the cost.
		s.repot(d)
		return
	}
	s.repot(d)
	s.augment(r)
}

// search runs Dijkstra on reduced costs from request r until it settles the hub. It reports
// whether the hub was reached.
func (s *solver) search(r int) bool {
	s.round++
	s.heap = s.heap[:0]
	s.settled = s.settled[:0]
	s.relax(r, 0, -1, -1)
	for len(s.heap) > 0 {
		top := s.heap.pop()
		v := int(top.node)
		if s.done[v] == s.round || top.dist > s.dist[v] {
			continue
		}
		if v == s.hub {
			return true
		}
		s.done[v] = s.round
		s.settled = append(s.settled, int32(v))
		d := top.dist
		if v < s.nReq {
			for e := s.edgeStart[v]; e < s.edgeStart[v+1]; e++ {
				if s.assigned[v] == e {
					continue
				}
				edge := &s.p.Edges[e]
				w := s.svcNode(edge.Service)
				s.relax(w, d+edge.Cost+s.pot[v]-s.pot[w], e, v)
			}
			if v != r && s.assigned[v] >= 0 {
				// Drop v: give up the bonus of serving it.
				s.relax(s.hub, d+s.bonus+s.pot[v]-s.pot[s.hub], -1, v)
			}
			continue
		}
		svc := v - s.nReq
		if s.used[svc] < s.slots[svc] {
			s.relax(s.hub, d+s.pot[v]-s.pot[s.hub], -1, v)
		}
		for e := s.head[svc]; e >= 0; e = s.next[e] {
			u := s.p.Edges[e].Request
			s.relax(u, d-s.p.Edges[e].Cost+s.pot[v]-s.pot[u], e, v)
		}
	}
	return false
}

func (s *solver) relax(v int, d int64, via int32, from int) {
	if s.stamp[v] == s.round && s.dist[v] <= d {
		return
	}
	s.stamp[v], s.dist[v], s.via[v], s.from[v] = s.round, d, via, int32(from)
	s.heap.push(heapItem{dist: d, node: int32(v)})
}

// repot lowers the potential of every node settled closer than d, which keeps every reduced cost
// non-negative and makes the shortest path's arcs exactly zero.
func (s *solver) repot(d int64) {
	for _, v := range s.settled {
		s.pot[v] -= d - s.dist[v]
	}
}

// augment pushes one unit round the cycle hub -> r -> ... -> hub found by search.
func (s *solver) augment(r int) {
	v := s.hub
	for v != r {
		u := int(s.from[v])
		e := s.via[v]
		switch {
		case e < 0 && u >= s.nReq:
			// A free slot of service u: linking the edge into u below uses it.
		case e < 0:
			s.assigned[u] = -1 // u is dropped; its old edge is unlinked when its service is reached
		case u < s.nReq:
			s.link(e) // forward arc: request u now takes service v
			s.assigned[u] = e
		default:
			s.unlink(e) // backward arc: request v leaves service u
			if s.assigned[v] == e {
				s.assigned[v] = -1
			}
		}
		v = u
	}
}

func (s *solver) link(e int32) {
	svc := s.p.Edges[e].Service
	s.next[e], s.prev[e] = s.head[svc], -1
	if s.head[svc] >= 0 {
		s.prev[s.head[svc]] = e
	}
	s.head[svc] = e
	s.used[svc]++
}

func (s *solver) unlink(e int32) {
	svc := s.p.Edges[e].Service
	if s.prev[e] >= 0 {
		s.next[s.prev[e]] = s.next[e]
	} else {
		s.head[svc] = s.next[e]
	}
	if s.next[e] >= 0 {
		s.prev[s.next[e]] = s.prev[e]
	}
	s.used[svc]--
}

func (s *solver) solution() Solution {
	sol := Solution{Edge: make([]int, s.nReq)}
	for r, e := range s.assigned {
		sol.Edge[r] = int(e)
		if e >= 0 {
			sol.Served++
			sol.Cost += s.p.Edges[e].Cost
		}
	}
	return sol
}

type heapItem struct {
	dist int64
	node int32
}

// nodeHeap is a binary min-heap by distance, then node, so that ties settle in one order.
type nodeHeap []heapItem

func (h nodeHeap) less(i, j int) bool {
	return h[i].dist < h[j].dist || (h[i].dist == h[j].dist && h[i].node < h[j].node)
}

func (h *nodeHeap) push(it heapItem) {
	*h = append(*h, it)
	a := *h
	for i := len(a) - 1; i > 0; {
		parent := (i - 1) / 2
		if !a.less(i, parent) {
			break
		}
		a[i], a[parent] = a[parent], a[i]
		i = parent
	}
}

func (h *nodeHeap) pop() heapItem {
	a := *h
	top := a[0]
	last := len(a) - 1
	a[0] = a[last]
	a = a[:last]
	for i := 0; ; {
		l, smallest := 2*i+1, i
		if l < len(a) && a.less(l, smallest) {
			smallest = l
		}
		if l+1 < len(a) && a.less(l+1, smallest) {
			smallest = l + 1
		}
		if smallest == i {
			break
		}
		a[i], a[smallest] = a[smallest], a[i]
		i = smallest
	}
	*h = a
	return top
}
