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

// compliance appends a reason for every compliance rule c fails over the span a placement
// starting on day must stay compliant for (Config.ComplianceWeeks): the service is offered; a
// framework, contract or DPS membership is in force on every day of the span (one after another
// will do); the contract is active; no suspension or embargo touches the span; accepted insurance
// evidence covers every day of it; the service is registered with the CQC and its rating is not
// disallowed, as the policy says. A reason about a day names the first day of the span that
// fails. It is the one compliance rule set: matching and Rules.ComplianceOn both call it.
func (p *policy) compliance(c *Compliance, day Date, reasons []Reason) []Reason {
	last := day
	if p.ComplianceWeeks > 0 {
		last = day.AddDays(7*p.ComplianceWeeks - 1)
	}
	if c.Inactive {
		reasons = append(reasons, Reason{Code: CodeServiceInactive})
	}
	if gap, ok := firstUncovered(c.Memberships, day, last); ok {
		reasons = append(reasons, Reason{Code: CodeNoFramework, Date: gap})
	}
	if c.ContractStatus != ContractActive {
		reasons = append(reasons, Reason{Code: CodeContractNotActive, ContractStatus: c.ContractStatus})
	}
	for i := range c.Suspensions {
		if sus := &c.Suspensions[i]; sus.From <= last && (sus.To == 0 || day <= sus.To) {
			reasons = append(reasons, Reason{Code: CodeSuspended, Kind: sus.Kind, From: sus.From, To: sus.To, Note: sus.Reason})
		}
	}
	if gap, ok := firstUncovered(c.Insurance, day, last); ok {
		reasons = append(reasons, insuranceGap(c.Insurance, gap))
	}
	if p.Ratings.RequireRegistration && !c.CQCRegistered {
		reasons = append(reasons, Reason{Code: CodeNotCQCRegistered})
	}
	if p.disallowed&(1<<c.CQCRating) != 0 {
		reasons = append(reasons, Reason{Code: CodeRatingNotAllowed, Rating: c.CQCRating})
	}
	return reasons
}

// inForce is a membership or a cover: in force from one day to another (to zero: open-ended).
type inForce interface{ inForce() (from, to Date) }

func (m Membership) inForce() (from, to Date) { return m.From, m.To }
func (c Cover) inForce() (from, to Date)      { return c.From, c.To }

// firstUncovered returns the first day from first to last that none of spans covers, if there is
// one. Spans may follow one another: cover to 31 March and cover from 1 April leave no gap.
func firstUncovered[S inForce](spans []S, first, last Date) (Date, bool) {
	day := first
	for {
		reach, found := Date(0), false // the furthest day covered on from day
		for i := range spans {
			from, to := spans[i].inForce()
			if covers(from, to, day) {
				if to == 0 {
					return 0, false
				}
				reach, found = max(reach, to), true
			}
		}
		if !found {
			return day, true
		}
		if reach >= last {
			return 0, false
		}
		day = reach.AddDays(1)
	}
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
