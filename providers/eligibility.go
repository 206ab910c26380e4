package providers

import (
	"fmt"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/internal/day"
)

// Eligibility says whether a service is compliant with the council's
// contractual requirements on a day, and if not, every reason why.
type Eligibility struct {
	ServiceID uuid.UUID `json:"service_id"`
	On        day.Date  `json:"on"`
	Compliant bool      `json:"compliant"`
	Reasons   []Reason  `json:"reasons"`
}

// Reason is one cause of non-compliance: a stable code and a sentence.
type Reason struct {
	Code   string `json:"code"`
	Detail string `json:"detail"`
}

// The reason codes.
const (
	ReasonInactive          = "service_inactive"
	ReasonNotRegistered     = "cqc_not_registered"
	ReasonNoFramework       = "no_framework"
	ReasonContractNotActive = "contract_not_active"
	ReasonNoInsurance       = "no_insurance"
	ReasonInsuranceExpired  = "insurance_expired"
	ReasonSuspended         = "suspended"
	ReasonEmbargoed         = "embargoed"
)

// EligibleOn evaluates the candidate's compliance on day on. It needs no
// database, so a caller holding candidates need not ask the store again.
func (c *Candidate) EligibleOn(on day.Date) Eligibility {
	e := Eligibility{ServiceID: c.ServiceID, On: on, Reasons: []Reason{}}
	add := func(code, format string, args ...any) {
		e.Reasons = append(e.Reasons, Reason{Code: code, Detail: fmt.Sprintf(format, args...)})
	}
	if c.Status != ServiceActive {
		add(ReasonInactive, "the service is no longer offered")
	}
	if c.RegistrationStatus != Registered && (c.Compliance.RequiresCQC || c.RegistrationStatus == Deregistered) {
		add(ReasonNotRegistered, "the location is not registered with the CQC (%s)", c.RegistrationStatus)
	}
	if !onFramework(c.Compliance.Memberships, c.ServiceType, on) {
		add(ReasonNoFramework, "not on a framework or DPS lot for %s on %s", c.ServiceType.English(), on.UK())
	}
	if c.Compliance.ContractStatus != ContractActive {
		add(ReasonContractNotActive, "the contract status is %s, not active", c.Compliance.ContractStatus)
	}
	insured := false
	for _, cover := range c.Compliance.InsuranceCover {
		insured = insured || covers(cover.From, cover.To, on)
	}
	switch {
	case insured:
	case c.Compliance.InsuranceExpires.IsZero():
		add(ReasonNoInsurance, "no accepted insurance evidence")
	case c.Compliance.InsuranceExpires.Before(on):
		add(ReasonInsuranceExpired, "insurance expired on %s", c.Compliance.InsuranceExpires.UK())
	default:
		add(ReasonNoInsurance, "no accepted insurance evidence covers %s", on.UK())
	}
	for _, s := range c.Compliance.Suspensions {
		if !covers(s.StartsOn, s.EndsOn, on) {
			continue
		}
		code, what := ReasonSuspended, "suspended"
		if s.Kind == "embargo" {
			code, what = ReasonEmbargoed, "under embargo"
		}
		scope := "the provider is"
		if s.ServiceID != uuid.Nil {
			scope = "the service is"
		}
		until := "until further notice"
		if !s.EndsOn.IsZero() {
			until = "until " + s.EndsOn.UK()
		}
		add(code, "%s %s from %s %s: %s", scope, what, s.StartsOn.UK(), until, s.Reason)
	}
	e.Compliant = len(e.Reasons) == 0
	return e
}

func onFramework(ms []Membership, t ServiceType, on day.Date) bool {
	for _, m := range ms {
		if m.Covers(t) && m.InForce(on) {
			return true
		}
	}
	return false
}
