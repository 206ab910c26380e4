package agreements

import (
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

// Funding says who pays for the service and so what finance must do.
type Funding string

// The fundings.
const (
	// CouncilFunded: the council pays; finance runs the financial assessment.
	CouncilFunded Funding = "council"
	// SelfFunded: the person pays the provider; no financial assessment.
	SelfFunded Funding = "self_funded"
	// IndividualServiceFund: the council pays the provider, who manages the
	// fund for the person.
	IndividualServiceFund Funding = "individual_service_fund"
)

// Valid reports whether f is one of the fundings.
func (f Funding) Valid() bool {
	return f == CouncilFunded || f == SelfFunded || f == IndividualServiceFund
}

// Describe says in words what the funding means for the person and finance.
func (f Funding) Describe() string {
	switch f {
	case CouncilFunded:
		return "Council-funded: the council pays the provider; a financial assessment decides the person's contribution"
	case SelfFunded:
		return "Self-funded: the person pays the provider; no financial assessment"
	case IndividualServiceFund:
		return "Individual service fund: the council pays the provider, who manages the fund with the person"
	}
	return string(f)
}

// Payer says who pays the provider under funding f: the person for a
// self-funder, otherwise the council (for an individual service fund, into
// the fund the provider manages).
func (f Funding) Payer() string {
	if f == SelfFunded {
		return "person"
	}
	return "council"
}

// ProviderManagesFund reports whether the provider holds the budget.
func (f Funding) ProviderManagesFund() bool { return f == IndividualServiceFund }

// Status is where an agreement is in its life.
type Status string

// The statuses. Variation (issue 9) ends an agreement as varied and starts
// its successor.
const (
	Active Status = "active"
	Ended  Status = "ended"
	Varied Status = "varied"
)

// TermsVersion is the version of the standard terms new agreements are made
// on. Changing the terms means a new version, never editing an old one.
const TermsVersion = "CB-2026.1"

// NewAgreement is what the brokerage gives Create when a start date is
// agreed. Exactly one of HoursPerWeek and Places is set, in whole units.
type NewAgreement struct {
	RequestID, OfferID, PlanID, PersonID, ProviderOrgID, ServiceID uuid.UUID

	PersonName, ProviderName, ServiceName, ServiceType, Team string

	HoursPerWeek, Places int

	HourlyRatePence, WeeklyCostPence int64

	StartDate day.Date
	Funding   Funding

	// OutOfArea flags a placement in another council's area, HostArea.
	OutOfArea bool
	HostArea  string

	// Where the service is registered with the CQC: the location's id,
	// name and address (with its postcode).
	CQCLocationID, LocationName, LocationAddress string
	// OverBudgetPence is how much over the budget a budget approver allowed
	// (ApproverName, at ApprovedAt); 0 when the offer was within budget.
	OverBudgetPence int64
	ApproverName    string
	ApprovedAt      *time.Time
	// CouncilAcceptedBy names who agreed the start date for the council.
	CouncilAcceptedBy string

	InformationPack InformationPack
}

// Agreement is a service agreement between the council, a provider
// organisation and a person.
type Agreement struct {
	ID            uuid.UUID `json:"id"`
	Reference     string    `json:"reference"`
	RequestID     uuid.UUID `json:"request_id"`
	OfferID       uuid.UUID `json:"offer_id"`
	PlanID        uuid.UUID `json:"plan_id"`
	PersonID      uuid.UUID `json:"person_id"`
	ProviderOrgID uuid.UUID `json:"provider_org_id"`
	ServiceID     uuid.UUID `json:"service_id"`

	PersonName   string `json:"person_name"`
	ProviderName string `json:"provider_name"`
	ServiceName  string `json:"service_name"`
	ServiceType  string `json:"service_type"`
	Team         string `json:"team"`

	HoursPerWeek    int   `json:"hours_per_week"`
	Places          int   `json:"places"`
	HourlyRatePence int64 `json:"hourly_rate_pence"`
	WeeklyCostPence int64 `json:"weekly_cost_pence"`

	StartDate day.Date       `json:"start_date"`
	Reviews   ReviewSchedule `json:"reviews"`

	TermsVersion string  `json:"terms_version"`
	Funding      Funding `json:"funding"`
	// Payer says who pays the provider: the council or, for a self-funder,
	// the person; ProviderManagesFund that the provider holds the budget as
	// an individual service fund.
	Payer               string `json:"payer"`
	ProviderManagesFund bool   `json:"provider_manages_fund"`
	Status              Status `json:"status"`

	// OutOfArea flags a placement in another council's area, HostArea.
	OutOfArea bool   `json:"out_of_area"`
	HostArea  string `json:"host_area,omitempty"`
	// EndsOn is the last day of an agreement that ended or was varied, and
	// EndReason why; ReplacedBy names the agreement that replaced a varied one.
	EndsOn     day.Date   `json:"ends_on,omitzero"`
	EndReason  string     `json:"end_reason,omitempty"`
	ReplacedBy *uuid.UUID `json:"replaced_by,omitempty"`

	// InformationPack is what the provider needs from the plan. It is empty
	// when the actor reading the agreement is finance, who has no need of it.
	InformationPack *InformationPack `json:"information_pack,omitempty"`

	CreatedAt time.Time  `json:"created_at"`
	CreatedBy *uuid.UUID `json:"created_by,omitempty"`
	EndedAt   *time.Time `json:"ended_at,omitempty"`

	CQCLocationID   string `json:"cqc_location_id,omitempty"`
	LocationName    string `json:"location_name,omitempty"`
	LocationAddress string `json:"location_address,omitempty"`
	// OverBudget is the amount over the budget a budget approver allowed.
	OverBudget *OverBudget `json:"over_budget,omitempty"`
	// Acceptance records each party's acceptance of the agreement.
	Acceptance Acceptance `json:"acceptance"`
}

// OverBudget is a weekly amount over the person's budget that a budget
// approver allowed, and who.
type OverBudget struct {
	WeeklyPence int64      `json:"weekly_pence"`
	ApprovedBy  string     `json:"approved_by"`
	ApprovedAt  *time.Time `json:"approved_at,omitempty"`
}

// Acceptance is when and by whom each party accepted the agreement: the
// council when its start date was agreed, the provider from its portal.
type Acceptance struct {
	CouncilBy    string     `json:"council_by,omitempty"`
	CouncilAt    time.Time  `json:"council_at"`
	ProviderBy   string     `json:"provider_by,omitempty"`
	ProviderByID *uuid.UUID `json:"provider_by_id,omitempty"`
	ProviderAt   *time.Time `json:"provider_at,omitempty"`
}

// HourBased reports whether the service is counted in hours per week
// (care at home) rather than places (care homes, day services).
func (a Agreement) HourBased() bool { return a.HoursPerWeek > 0 }

// Limits on free text, so documents and notifications stay readable.
const (
	maxName = 200
	maxText = 2000
)

// Validate checks n and normalises its text (trimmed, postcode in capitals),
// naming the first field that is wrong. It copies the information pack
// before normalising it, so the caller's slices are never written. It
// returns Invalid.
func (n *NewAgreement) Validate() error {
	n.InformationPack = n.InformationPack.clone()
	ids := []struct {
		field string
		id    uuid.UUID
	}{
		{"request_id", n.RequestID}, {"offer_id", n.OfferID}, {"plan_id", n.PlanID},
		{"person_id", n.PersonID}, {"provider_org_id", n.ProviderOrgID}, {"service_id", n.ServiceID},
	}
	for _, x := range ids {
		if x.id == uuid.Nil {
			return errs.InvalidField(x.field, "is required")
		}
	}
	names := []struct {
		field string
		value *string
	}{
		{"person_name", &n.PersonName}, {"provider_name", &n.ProviderName},
		{"service_name", &n.ServiceName}, {"service_type", &n.ServiceType},
	}
	for _, x := range names {
		*x.value = strings.TrimSpace(*x.value)
		if *x.value == "" || len(*x.value) > maxName {
			return errs.InvalidField(x.field, "must be between 1 and %d characters", maxName)
		}
	}
	if !accounts.ValidTeam(n.Team) {
		return errs.InvalidField("team", "is not a known team")
	}
	switch {
	case n.HoursPerWeek < 0 || n.HoursPerWeek > 168:
		return errs.InvalidField("hours_per_week", "must be between 1 and 168")
	case n.Places < 0 || n.Places > 1000:
		return errs.InvalidField("places", "must be between 1 and 1000")
	case (n.HoursPerWeek > 0) == (n.Places > 0):
		return errs.InvalidField("hours_per_week", "give either hours per week or places, not both or neither")
	case n.HourlyRatePence < 0:
		return errs.InvalidField("hourly_rate_pence", "must not be negative")
	case n.HoursPerWeek > 0 && n.HourlyRatePence == 0:
		return errs.InvalidField("hourly_rate_pence", "is required for a service counted in hours")
	case n.WeeklyCostPence <= 0:
		return errs.InvalidField("weekly_cost_pence", "must be more than zero")
	case n.StartDate.IsZero():
		return errs.InvalidField("start_date", "is required")
	case !n.Funding.Valid():
		return errs.InvalidField("funding", "must be council, self_funded or individual_service_fund")
	case n.OutOfArea != (strings.TrimSpace(n.HostArea) != ""):
		return errs.InvalidField("host_area", "names the host council of an out-of-area placement, and only then")
	}
	n.HostArea = strings.TrimSpace(n.HostArea)
	return n.InformationPack.validate("information_pack")
}
