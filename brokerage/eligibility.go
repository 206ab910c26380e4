package brokerage

import (
	"context"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/matching"
	"github.com/carebroker/carebroker/providers"
)

// Eligibility says whether a service is compliant with the council's
// contractual requirements on a day, and if not, every reason why. The
// answer is the matcher's: the match, this answer and the check made
// before an invitation ask the same rules (matching.Rules) of the same
// facts (engineCompliance), so they cannot disagree.
type Eligibility struct {
	ServiceID uuid.UUID           `json:"service_id"`
	On        day.Date            `json:"on"`
	Compliant bool                `json:"compliant"`
	Reasons   []EligibilityReason `json:"reasons"`
}

// EligibilityReason is one cause of non-compliance: the matcher's code and
// its sentence, as the match explains it.
type EligibilityReason struct {
	Code   string `json:"code"`
	Detail string `json:"detail"`
}

// Eligibility says, for each of the given services, whether it is
// compliant on day on, and if not why. Ids that name no service are left
// out of the map. The caller decides who may ask about which service. It
// returns Invalid naming "on" for the zero day.
func (s *Service) Eligibility(ctx context.Context, on day.Date, serviceIDs []uuid.UUID) (map[uuid.UUID]Eligibility, error) {
	if on.IsZero() {
		return nil, errs.InvalidField("on", "is required")
	}
	out := make(map[uuid.UUID]Eligibility, len(serviceIDs))
	if len(serviceIDs) == 0 {
		return out, nil
	}
	if s.dir == nil {
		return nil, errs.Internalf(nil, "brokerage has no provider directory configured")
	}
	rules, err := matching.NewRules(s.matching)
	if err != nil {
		return nil, errs.Internalf(err, "the matching policy")
	}
	cands, err := s.dir.CandidatesByID(ctx, serviceIDs)
	if err != nil {
		return nil, err
	}
	for _, c := range cands {
		e, err := eligibilityOf(rules, c, on)
		if err != nil {
			return nil, err
		}
		out[c.ServiceID] = e
	}
	return out, nil
}

// eligibilityOf asks the matcher's rules about one directory candidate.
func eligibilityOf(rules *matching.Rules, c providers.Candidate, on day.Date) (Eligibility, error) {
	compliance, ok := engineCompliance(c)
	if !ok {
		return Eligibility{}, errs.Internalf(nil, "service %s: CQC rating %q is unknown to the matcher", c.ServiceID, c.Rating)
	}
	reasons := rules.ComplianceOn(&compliance, engineDate(on))
	if c.Compliance.ContractStatus == providers.ContractNone {
		markNoContract(reasons)
	}
	e := Eligibility{ServiceID: c.ServiceID, On: on, Compliant: len(reasons) == 0, Reasons: make([]EligibilityReason, len(reasons))}
	for i, x := range explain(reasons) {
		e.Reasons[i] = EligibilityReason{Code: x.Code, Detail: x.Text}
	}
	return e, nil
}

// refusal says why a service may not be invited for a request starting on
// day on, given its eligibility (found false when the directory has no
// such service), or "" when it may. A match run ranks services as the
// directory stood when it ran; eligibility asks again as it stands now, so
// a service suspended, or whose insurance was withdrawn, since the match
// is not invited.
func refusal(e Eligibility, found bool, on day.Date) string {
	switch {
	case !found:
		return "is not a service in the directory"
	case e.Compliant:
		return ""
	}
	why := ""
	for i, r := range e.Reasons {
		if i > 0 {
			why += "; "
		}
		why += r.Detail
	}
	return "is not compliant on the start date, " + on.UK() + ": " + why + "; run the matcher again"
}
