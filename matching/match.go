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
}

// Exclusion is a service that cannot take the request, with every hard rule it fails.
type Exclusion struct {
	ServiceID   string      `json:"service_id"`
	ProviderID  string      `json:"provider_id"`
	Name        string      `json:"name,omitempty"`
	ServiceType ServiceType `json:"service_type"`
	DistanceKm  float64     `json:"distance_km"`
	Reasons     []Reason    `json:"reasons"`

	service                int32
	reasonsFrom, reasonsTo int32
}

// MatchServices ranks every service in services for the request and explains every exclusion, including
// services of the wrong type. It suits a few hundred services; for a whole directory build an
// Index once and call its Match. It returns a *FieldError if the request, a service or the
// configuration is invalid.
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
	pr := prepare(&req)
	res.begin(&req)
	for i := range services {
		s := &services[i]
		dist := distanceKm(pr.at, pointOf(s.Lat, s.Lon))
		if ok, _ := fits(&req, s.ServiceType); !ok {
			res.excludeFor(s, int32(i), dist, Reason{Code: CodeServiceTypeMismatch, ServiceType: s.ServiceType, RequestedType: req.ServiceType})
			continue
		}
		p.consider(&res, &pr, s, int32(i), dist)
	}
	p.finish(&res, &pr)
	return res, nil
}

func (res *Result) begin(req *Request) {
	res.RequestID = req.ID
	if res.reasons == nil {
		// Never nil, so that empty Notes and Reasons are [] in JSON rather than null.
		res.reasons = make([]Reason, 0, 16)
	}
	if res.Ranked == nil {
		res.Ranked, res.Excluded = []Match{}, []Exclusion{}
	}
	res.Ranked, res.Excluded, res.reasons = res.Ranked[:0], res.Excluded[:0], res.reasons[:0]
}

func (res *Result) excludeFor(s *Service, idx int32, dist float64, r Reason) {
	from := int32(len(res.reasons))
	res.reasons = append(res.reasons, r)
	res.Excluded = append(res.Excluded, Exclusion{ServiceID: s.ID, ProviderID: s.ProviderID, Name: s.Name,
		ServiceType: s.ServiceType, DistanceKm: dist, service: idx, reasonsFrom: from, reasonsTo: from + 1})
}

// consider applies the hard rules to a service of a fitting type and files it as a match or an
// exclusion. Its work per candidate allocates nothing once the Result's slices have grown.
func (p *policy) consider(res *Result, pr *prepared, s *Service, idx int32, dist float64) {
	from := int32(len(res.reasons))
	var weeklyCost int64
	var over bool
	res.reasons, weeklyCost, over = p.check(pr, s, dist, res.reasons)
	if to := int32(len(res.reasons)); to > from {
		res.Excluded = append(res.Excluded, Exclusion{ServiceID: s.ID, ProviderID: s.ProviderID, Name: s.Name,
			ServiceType: s.ServiceType, DistanceKm: dist, service: idx, reasonsFrom: from, reasonsTo: to})
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
func (p *policy) finish(res *Result, pr *prepared) {
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
	slices.SortFunc(res.Ranked, compareMatches)
	for i := range res.Ranked {
		res.Ranked[i].Rank = i + 1
	}
	for i := range res.Excluded {
		e := &res.Excluded[i]
		e.Reasons = res.reasons[e.reasonsFrom:e.reasonsTo:e.reasonsTo]
	}
	slices.SortFunc(res.Excluded, func(a, b Exclusion) int {
		return cmp.Or(cmp.Compare(a.DistanceKm, b.DistanceKm), cmp.Compare(a.ServiceID, b.ServiceID), cmp.Compare(a.service, b.service))
	})
}

func compareMatches(a, b Match) int {
	return cmp.Or(
		-compareBool(a.GenericAlternative, b.GenericAlternative),
		compareBool(a.OverBudget, b.OverBudget),
		cmp.Compare(b.Score, a.Score),
		cmp.Compare(a.WeeklyCostPence, b.WeeklyCostPence),
		cmp.Compare(a.DistanceKm, b.DistanceKm),
		cmp.Compare(a.ServiceID, b.ServiceID),
		cmp.Compare(a.service, b.service),
	)
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
