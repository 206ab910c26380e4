package matching

// Rules are the engine's compliance rules under one policy, for callers that ask whether a
// service is compliant without matching a request: the directory's eligibility answer and the
// check made again before a service is invited. Matching applies exactly the same rules, so a
// service is never compliant to one and not to the other. A Rules is read-only and safe for
// concurrent use.
type Rules struct{ p *policy }

// NewRules returns the compliance rules of the policy cfg. It returns a *FieldError naming the
// first invalid field of the configuration.
func NewRules(cfg Config) (*Rules, error) {
	p, err := compile(cfg)
	if err != nil {
		return nil, err
	}
	return &Rules{p: p}, nil
}

// ComplianceOn returns a reason for every compliance rule c fails on day, in the order matching
// lists them; none means compliant. It allocates only the slice it returns.
func (r *Rules) ComplianceOn(c *Compliance, day Date) []Reason {
	return r.p.compliance(c, day, nil)
}

// compliance appends a reason for every compliance rule c fails on day: the service is offered;
// a framework, contract or DPS membership is in force; the contract is active; no suspension or
// embargo covers the day; accepted insurance evidence covers the day; the service is registered
// with the CQC and its rating is not disallowed, as the policy says. It is the one compliance
// rule set: matching and Rules.ComplianceOn both call it.
//
// Each rule asks about one day. Checking a span of days later means asking each rule whether
// the span lies inside what it needs (one membership, one cover, no suspension overlapping),
// which these spans already allow.
func (p *policy) compliance(c *Compliance, day Date, reasons []Reason) []Reason {
	if c.Inactive {
		reasons = append(reasons, Reason{Code: CodeServiceInactive})
	}
	member := false
	for i := range c.Memberships {
		member = member || covers(c.Memberships[i].From, c.Memberships[i].To, day)
	}
	if !member {
		reasons = append(reasons, Reason{Code: CodeNoFramework, Date: day})
	}
	if c.ContractStatus != ContractActive {
		reasons = append(reasons, Reason{Code: CodeContractNotActive, ContractStatus: c.ContractStatus})
	}
	for i := range c.Suspensions {
		if sus := &c.Suspensions[i]; covers(sus.From, sus.To, day) {
			reasons = append(reasons, Reason{Code: CodeSuspended, Kind: sus.Kind, From: sus.From, To: sus.To, Note: sus.Reason})
		}
	}
	insured := false
	for i := range c.Insurance {
		if covers(c.Insurance[i].From, c.Insurance[i].To, day) {
			insured = true
			break
		}
	}
	if !insured {
		reasons = append(reasons, insuranceGap(c.Insurance, day))
	}
	if p.Ratings.RequireRegistration && !c.CQCRegistered {
		reasons = append(reasons, Reason{Code: CodeNotCQCRegistered})
	}
	if p.disallowed&(1<<c.CQCRating) != 0 {
		reasons = append(reasons, Reason{Code: CodeRatingNotAllowed, Rating: c.CQCRating})
	}
	return reasons
}

// insuranceGap says why no cover includes day, when none does. When every
// cover ended before day the insurance expired on the last of their ends;
// otherwise (no evidence at all, evidence that begins later, or a gap
// between two covers) nothing covers the day, and From names the first
// later cover's first day, if there is one.
func insuranceGap(cover []Cover, day Date) Reason {
	var lastEnd, nextStart Date
	ended := len(cover) > 0
	for i := range cover {
		if cv := &cover[i]; cv.From > day {
			ended = false
			if nextStart == 0 || cv.From < nextStart {
				nextStart = cv.From
			}
		} else {
			lastEnd = max(lastEnd, cv.To) // it does not cover day, so it ended before it
		}
	}
	if ended {
		return Reason{Code: CodeInsuranceExpired, Date: lastEnd}
	}
	return Reason{Code: CodeNoInsurance, Date: day, From: nextStart}
}
