package matching

import (
	"cmp"
	"slices"
)

// Result is the outcome of matching one request: the services that can take it, best first, and
// the services that cannot, each with its reasons.
type Result struct {
	RequestID string      `json:"request_id"`
	Ranked    []Match     `json:"ranked"`
	Excluded  []Exclusion `json:"excluded"`

	// reasons backs every Match.Notes and Exclusion.Reasons, so one match allocates nothing per
	// candidate once the Result has grown to size.
	reasons []Reason
	// pending holds exclusions in compact form until they are sorted; order and spare are
	// scratch space for sorting the ranked matches.
	pending []pendingExclusion
	order   []int32
	spare   []Match
	// eligibleOnly skips exclusions, for batch work that needs only the eligible services.
	eligibleOnly bool
}

type pendingExclusion struct {
	dist     float64
	service  int32
	from, to int32
}

// Match is a service that can take the request, with its place in the ranking and why.
type Match struct {
	Rank        int         `json:"rank"`
	ServiceID   string      `json:"service_id"`
	ProviderID  string      `json:"provider_id"`
	Name        string      `json:"name,omitempty"`
	ServiceType ServiceType `json:"service_type"`
	// GenericAlternative marks a generic service meeting a specialist request; these rank first.
	GenericAlternative bool `json:"generic_alternative"`
	// Score is the total of the breakdown, in thousandths of a point.
	Score           int64     `json:"score"`
	Breakdown       Breakdown `json:"breakdown"`
	WeeklyCostPence int64     `json:"weekly_cost_pence"`
	DistanceKm      float64   `json:"distance_km"`
	// OverBudget marks a service above the budget, kept because the request allows it: a budget
	// approver must agree before it is offered.
	OverBudget bool `json:"over_budget"`
	// Notes are what a broker or the person should know: unmet preferences, budget approval,
	// a generic alternative, a provider the person already uses.
	Notes []Reason `json:"notes"`

	service            int32 // index of the service in its directory
	notesFrom, notesTo int32
	prefMet, prefAsked int64
	knownProvider      bool
	qualityValue       int64
	batchCost          int64 // rankCost, set for a batch only
}

// Exclusion is a service that cannot take the request, with every hard rule it fails.
type Exclusion struct {
	ServiceID   string      `json:"service_id"`
	ProviderID  string      `json:"provider_id"`
	Name        string      `json:"name,omitempty"`
	ServiceType ServiceType `json:"service_type"`
	DistanceKm  float64     `json:"distance_km"`
	Reasons     []Reason    `json:"reasons"`

	service int32
}

// MatchServices ranks every service in services for the request and explains every exclusion,
// including services of the wrong type. It suits a few hundred services; for a whole directory
// build an Index once and call its Match. It returns a *FieldError if the request, a service or
// the configuration is invalid.
func MatchServices(req Request, services []Service, cfg Config) (Result, error) {
	p, err := compile(cfg)
	if err != nil {
		return Result{}, err
	}
	if err := req.validate(); err != nil {
		return Result{}, within("request", err)
	}
	for i := range services {
		if err := services[i].validate(); err != nil {
			return Result{}, within(indexed("services", i), err)
		}
	}
	var res Result
	dir := newDirectory(services)
	pr := prepare(&req)
	res.begin(&req)
	for i := range services {
		s := &services[i]
		dist := distanceKm(pr.at, pointOf(s.Lat, s.Lon))
		if ok, _ := fits(&req, s.ServiceType); !ok {
			from := int32(len(res.reasons))
			res.reasons = append(res.reasons, Reason{Code: CodeServiceTypeMismatch, ServiceType: s.ServiceType, RequestedType: req.ServiceType})
			res.pending = append(res.pending, pendingExclusion{dist: dist, service: int32(i), from: from, to: from + 1})
			continue
		}
		p.consider(&res, &pr, s, int32(i), dist)
	}
	p.finish(&res, &pr, &dir)
	return res, nil
}

// directory is a list of services with each one's place in ID order, so that ties in a ranking
// are broken by ID without comparing strings in the hot path.
type directory struct {
	services []Service
	idRank   []int32 // position of each service when sorted by ID, then by index
}

func newDirectory(services []Service) directory {
	order := make([]int32, len(services))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		return cmp.Or(cmp.Compare(services[a].ID, services[b].ID), cmp.Compare(a, b))
	})
	rank := make([]int32, len(services))
	for pos, i := range order {
		rank[i] = int32(pos)
	}
	return directory{services: services, idRank: rank}
}

// compareRank is the ranking's order: generic alternatives first, then services within budget,
// then the higher score, then the cheaper, the nearer and the service ID. The batch's cost
// (rankCost) follows the same order.
func (dir *directory) compareRank(x, y *Match) int {
	return cmp.Or(
		-compareBool(x.GenericAlternative, y.GenericAlternative),
		compareBool(x.OverBudget, y.OverBudget),
		cmp.Compare(y.Score, x.Score),
		cmp.Compare(x.WeeklyCostPence, y.WeeklyCostPence),
		cmp.Compare(x.DistanceKm, y.DistanceKm),
		cmp.Compare(dir.idRank[x.service], dir.idRank[y.service]),
	)
}

func (res *Result) begin(req *Request) {
	res.RequestID = req.ID
	if res.reasons == nil {
		// Never nil, so that empty Notes and Reasons are [] in JSON rather than null.
		res.reasons = make([]Reason, 0, 16)
	}
	if res.Ranked == nil {
		res.Ranked, res.Excluded, res.spare = []Match{}, []Exclusion{}, []Match{}
	}
	res.Ranked, res.Excluded, res.reasons, res.pending = res.Ranked[:0], res.Excluded[:0], res.reasons[:0], res.pending[:0]
}

// consider applies the hard rules to a service of a fitting type and files it as a match or an
// exclusion. Its work per candidate allocates nothing once the Result's slices have grown.
func (p *policy) consider(res *Result, pr *prepared, s *Service, idx int32, dist float64) {
	from := int32(len(res.reasons))
	var weeklyCost int64
	var over bool
	res.reasons, weeklyCost, over = p.check(pr, s, dist, res.reasons)
	if to := int32(len(res.reasons)); to > from {
		if res.eligibleOnly {
			res.reasons = res.reasons[:from]
		} else {
			res.pending = append(res.pending, pendingExclusion{dist: dist, service: idx, from: from, to: to})
		}
		return
	}
	_, generic := fits(pr.req, s.ServiceType)
	if generic {
		res.reasons = append(res.reasons, Reason{Code: CodeGenericAlternative, ServiceType: s.ServiceType})
	}
	if over {
		res.reasons = append(res.reasons, overBudgetReason(weeklyCost, pr.req.BudgetPence, true))
	}
	m := Match{ServiceID: s.ID, ProviderID: s.ProviderID, Name: s.Name, ServiceType: s.ServiceType,
		GenericAlternative: generic, WeeklyCostPence: weeklyCost, DistanceKm: dist, OverBudget: over,
		service: idx, qualityValue: p.quality[s.Compliance.CQCRating]}
	res.reasons, m.prefMet, m.prefAsked = preferenceFit(pr, s, res.reasons)
	if m.knownProvider = knows(pr, s); m.knownProvider {
		res.reasons = append(res.reasons, Reason{Code: CodeKnownProvider, ProviderID: s.ProviderID})
	}
	m.notesFrom, m.notesTo = from, int32(len(res.reasons))
	res.Ranked = append(res.Ranked, m)
}

// finish scores the matches, ranks them and points every match and exclusion at its reasons.
// Ranking: generic alternatives first (generic services are considered before specialist ones),
// then services within budget before those needing a budget approver, then by score (highest
// first), weekly cost, distance and service ID, so equal scores always come out in one order.
func (p *policy) finish(res *Result, pr *prepared, dir *directory) {
	reference := pr.req.BudgetPence
	if pr.req.SelfFunded {
		reference = 0
		for i := range res.Ranked {
			reference = max(reference, res.Ranked[i].WeeklyCostPence)
		}
	}
	w := p.Weights
	for i := range res.Ranked {
		m := &res.Ranked[i]
		prefValue := int64(1000)
		if m.prefAsked > 0 {
			prefValue = m.prefMet * 1000 / m.prefAsked
		}
		priceV := int64(0)
		if !m.OverBudget {
			priceV = priceValue(m.WeeklyCostPence, reference)
		}
		continuity := int64(0)
		if m.knownProvider {
			continuity = 1000
		}
		m.Breakdown = Breakdown{
			Distance:   part(w.Distance, p.distanceValue(m.DistanceKm)),
			Quality:    part(w.Quality, m.qualityValue),
			Price:      part(w.Price, priceV),
			Preference: part(w.Preference, prefValue),
			Continuity: part(w.Continuity, continuity),
		}
		m.Score = m.Breakdown.Total()
		m.Notes = res.reasons[m.notesFrom:m.notesTo:m.notesTo]
	}
	if res.eligibleOnly {
		return // a batch needs the scores, not the order
	}
	// Sort positions rather than the large Match values, then lay the matches out in order.
	res.order = res.order[:0]
	for i := range res.Ranked {
		res.order = append(res.order, int32(i))
	}
	slices.SortFunc(res.order, func(a, b int32) int {
		return dir.compareRank(&res.Ranked[a], &res.Ranked[b])
	})
	res.spare = res.spare[:0]
	for rank, i := range res.order {
		m := res.Ranked[i]
		m.Rank = rank + 1
		res.spare = append(res.spare, m)
	}
	res.Ranked, res.spare = res.spare, res.Ranked

	slices.SortFunc(res.pending, func(a, b pendingExclusion) int {
		if a.dist != b.dist {
			if a.dist < b.dist {
				return -1
			}
			return 1
		}
		return cmp.Compare(dir.idRank[a.service], dir.idRank[b.service])
	})
	for _, e := range res.pending {
		s := &dir.services[e.service]
		res.Excluded = append(res.Excluded, Exclusion{ServiceID: s.ID, ProviderID: s.ProviderID, Name: s.Name,
			ServiceType: s.ServiceType, DistanceKm: e.dist, service: e.service,
			Reasons: res.reasons[e.from:e.to:e.to]})
	}
}

// compareBool orders false before true.
func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
