package matching

import "strings"

// prepared is a request made ready for the hot loop, so that nothing is worked out twice per
// candidate.
type prepared struct {
	req      *Request
	at       point
	demand   int64 // hundredths of hours or places
	district string
}

func prepare(req *Request) prepared {
	return prepared{req: req, at: pointOf(req.Lat, req.Lon), demand: req.demand(),
		district: strings.TrimSpace(req.PostcodeDistrict)}
}

// fits reports whether a service of type t may meet the request, and whether it does so as the
// generic alternative to a specialist request. Specialist services are candidates only for
// requests of their own specialist type; generic services only for their own type or as the
// generic alternative the practitioner named.
func fits(req *Request, t ServiceType) (ok, generic bool) {
	switch {
	case t == req.ServiceType:
		return true, false
	case req.GenericAlternative != 0 && t == req.GenericAlternative:
		return true, true
	}
	return false, false
}

// coverage reports whether the service covers the person, given their distance from it.
func (p *policy) covers(s *Service, pr *prepared, distKm float64) bool {
	if len(s.Coverage.PostcodeDistricts) > 0 {
		return listsDistrict(s, pr.district)
	}
	return distKm <= p.radiusOf(s)
}

func listsDistrict(s *Service, district string) bool {
	if district == "" {
		return false
	}
	for _, d := range s.Coverage.PostcodeDistricts {
		if strings.EqualFold(strings.TrimSpace(d), district) {
			return true
		}
	}
	return false
}

// check applies every hard rule but the service type to one service, appending a reason for each
// rule it fails. It returns the weekly cost (when a rate is in force) and whether it is over
// budget; the service is eligible when no reason was appended. An over-budget service is a hard
// failure only when the request does not allow offers over budget.
func (p *policy) check(pr *prepared, s *Service, distKm float64, reasons []Reason) (out []Reason, weeklyCost int64, overBudget bool) {
	req := pr.req
	day := req.StartDate
	if !p.covers(s, pr, distKm) {
		if len(s.Coverage.PostcodeDistricts) > 0 {
			reasons = append(reasons, Reason{Code: CodeDistrictNotCovered, PostcodeDistrict: pr.district})
		} else {
			reasons = append(reasons, Reason{Code: CodeOutOfArea, DistanceKm: distKm, RadiusKm: p.radiusOf(s)})
		}
	}
	if free, from := s.freeFrom(day); free < pr.demand {
		r := Reason{Code: CodeNoCapacity, Date: day, Needed: float64(pr.demand) / 100,
			Free: float64(free) / 100, Unit: s.ServiceType.Unit()}
		if from != day {
			r.From = from
		}
		reasons = append(reasons, r)
	}
	reasons = p.compliance(&s.Compliance, day, reasons)
	rate, ok := s.rateOn(day)
	if !ok {
		return append(reasons, Reason{Code: CodeNoRate, Date: day}), 0, false
	}
	weeklyCost = (rate*pr.demand + 50) / 100
	if !req.SelfFunded && weeklyCost > req.BudgetPence {
		overBudget = true
		if !req.AllowOverBudget {
			reasons = append(reasons, overBudgetReason(weeklyCost, req.BudgetPence, false))
		}
	}
	return reasons, weeklyCost, overBudget
}

func overBudgetReason(weeklyCost, budget int64, approval bool) Reason {
	return Reason{Code: CodeOverBudget, WeeklyCostPence: weeklyCost, BudgetPence: budget,
		OverPence: weeklyCost - budget, NeedsApproval: approval}
}
