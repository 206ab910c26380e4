package plans

import (
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/providers"
)

// PlanKind says whose plan it is: the person's Care and Support Plan, or a
// carer's Support Plan.
type PlanKind string

// The kinds of plan.
const (
	CareAndSupport PlanKind = "care_and_support"
	CarersSupport  PlanKind = "carers_support"
)

// PlanStatus is draft until sign-off; a signed-off plan is frozen. A plan
// above the council's four-eyes amount (Settings) waits, frozen, for a
// second practitioner's sign-off between the two.
type PlanStatus string

// The plan statuses.
const (
	PlanDraft                 PlanStatus = "draft"
	PlanAwaitingSecondSignOff PlanStatus = "awaiting_second_sign_off"
	PlanSignedOff             PlanStatus = "signed_off"
)

// HowMet is how a need will be met.
type HowMet string

// The ways a need is met, whose fields Need carries. Each is a Route
// registered in brokerage/routes.go; only the arranged ones (the first two)
// become brokerage requests.
const (
	CouncilArranged    HowMet = "council_arranged"
	ISF                HowMet = "individual_service_fund"
	DirectPayment      HowMet = "direct_payment"
	OwnResources       HowMet = "own_resources"
	AlternativeService HowMet = "alternative_service"
)

// Plan is a Care and Support Plan with its personal budget and needs.
type Plan struct {
	ID                uuid.UUID  `json:"id"`
	PersonID          uuid.UUID  `json:"person_id"`
	Kind              PlanKind   `json:"kind"`
	Team              string     `json:"team"`
	Status            PlanStatus `json:"status"`
	BudgetWeeklyPence int64      `json:"personal_budget_weekly_pence"`
	ContingencyPence  int64      `json:"contingency_pence"`
	SelfFunded        bool       `json:"self_funded"`
	OutOfArea         bool       `json:"out_of_area"`
	HostArea          string     `json:"host_area"`
	SubmittedBy       uuid.UUID  `json:"submitted_by"`
	SubmittedAt       time.Time  `json:"submitted_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
	SignedOffBy       *uuid.UUID `json:"signed_off_by,omitempty"`
	SignedOffAt       *time.Time `json:"signed_off_at,omitempty"`
	// FirstSignedOffBy and FirstSignedOffAt are, on a plan that needed two
	// sign-offs, the first practitioner's; SignedOffBy is then the second.
	FirstSignedOffBy *uuid.UUID `json:"first_signed_off_by,omitempty"`
	FirstSignedOffAt *time.Time `json:"first_signed_off_at,omitempty"`
	// Interim: urgent or interim support arranged before the full plan (or
	// while an alternative service is late); never a statement of all needs.
	Interim bool `json:"interim"`
	// CaredForPersonID is, on a carer's support plan, the person cared for:
	// services other than a direct payment are arranged for them.
	CaredForPersonID *uuid.UUID `json:"cared_for_person_id,omitempty"`
	// SupersedesPlanID is the plan this version replaced at a review.
	SupersedesPlanID *uuid.UUID `json:"supersedes_plan_id,omitempty"`
	// CoversNeedID is, on an interim plan, the alternative-service need whose
	// delay it bridges.
	CoversNeedID *uuid.UUID `json:"covers_need_id,omitempty"`

	Needs []Need `json:"needs"`
}

// Need is one eligible need of a plan. RequestID is set, on reading, for an
// arranged need of a signed-off plan.
type Need struct {
	ID                 uuid.UUID             `json:"id"`
	PlanID             uuid.UUID             `json:"-"`
	Position           int                   `json:"-"`
	Outcome            string                `json:"outcome"`
	HowMet             HowMet                `json:"how_met"`
	WeeklyBudgetPence  int64                 `json:"weekly_budget_pence"`
	ServiceType        providers.ServiceType `json:"service_type,omitempty"`
	Specialist         bool                  `json:"specialist"`
	HoursPerWeek       int                   `json:"hours_per_week,omitempty"`
	Places             int                   `json:"places,omitempty"`
	StartDate          day.Date              `json:"start_date"`
	Urgency            Urgency               `json:"urgency,omitempty"`
	AlternativeService string                `json:"alternative_service,omitempty"`
	Preferences        Preferences           `json:"preferences"`
	RequestID          *uuid.UUID            `json:"request_id,omitempty"`

	// PreviousNeedID is the need of an earlier plan (the version a review
	// replaced, or an interim plan) that this one follows on from.
	PreviousNeedID *uuid.UUID `json:"previous_need_id,omitempty"`
	// DirectPayment is, for a direct payment, its terms and the legal
	// restrictions checked when it was recorded.
	DirectPayment *DirectPaymentRecord `json:"direct_payment,omitempty"`
	// AlternativeArrangedBy and AlternativeDueBy say, for an alternative
	// service, who arranges it and by when.
	AlternativeArrangedBy string   `json:"alternative_arranged_by,omitempty"`
	AlternativeDueBy      day.Date `json:"alternative_due_by,omitzero"`
}

// PlanContent is everything a practitioner writes in a plan, apart from
// whose plan it is.
type PlanContent struct {
	Kind                      PlanKind `json:"kind"`
	PersonalBudgetWeeklyPence int64    `json:"personal_budget_weekly_pence"`
	ContingencyPence          int64    `json:"contingency_pence"`
	SelfFunded                bool     `json:"self_funded"`
	OutOfArea                 bool     `json:"out_of_area"`
	HostArea                  string   `json:"host_area"`
	// CaredForPersonID is required on a carer's support plan: the person
	// cared for, for whom the carer's services are arranged.
	CaredForPersonID *uuid.UUID `json:"cared_for_person_id,omitempty"`
	Needs            []NewNeed  `json:"needs"`
}

// NewPlan is a plan as submitted for a person.
type NewPlan struct {
	PersonID uuid.UUID `json:"person_id"`
	PlanContent
}

// NewNeed is a need as written in a plan.
type NewNeed struct {
	Outcome            string                `json:"outcome"`
	HowMet             HowMet                `json:"how_met"`
	WeeklyBudgetPence  int64                 `json:"weekly_budget_pence"`
	ServiceType        providers.ServiceType `json:"service_type"`
	HoursPerWeek       int                   `json:"hours_per_week"`
	Places             int                   `json:"places"`
	StartDate          day.Date              `json:"start_date"`
	Urgency            Urgency               `json:"urgency"`
	AlternativeService string                `json:"alternative_service"`
	Preferences        Preferences           `json:"preferences"`

	// PreviousNeedID names the need of an earlier plan this one follows on
	// from: a need of the interim plan it replaces or, at a review, of the
	// plan being changed. At a review a need giving only previous_need_id
	// continues that need unchanged.
	PreviousNeedID *uuid.UUID `json:"previous_need_id,omitempty"`
	// DirectPayment is required for a direct payment: the amount, how often,
	// and what it buys, so the legal restrictions can be checked.
	DirectPayment *DirectPaymentTerms `json:"direct_payment,omitempty"`
	// AlternativeArrangedBy and AlternativeDueBy are required for an
	// alternative service: who arranges it (the person, a family member, an
	// advocate, the practitioner) and by when it should be in place.
	AlternativeArrangedBy string   `json:"alternative_arranged_by"`
	AlternativeDueBy      day.Date `json:"alternative_due_by"`
}

// Preferences are what the person wants from whoever provides the care.
type Preferences struct {
	Language        string `json:"language"`
	CarerGender     string `json:"carer_gender"` // "", "female" or "male"
	CulturalNeeds   string `json:"cultural_needs"`
	ImportantToThem string `json:"important_to_them"`
}

// Urgency says how soon a need must be met; it sets the response deadline
// providers are given.
type Urgency string

// The urgencies, from the council's procedures.
const (
	Urgent   Urgency = "urgent"
	Interim  Urgency = "interim"
	Standard Urgency = "standard"
)

// Valid reports whether u is one of the urgencies.
func (u Urgency) Valid() bool { return u == Urgent || u == Interim || u == Standard }

// RecipientID is whom the plan's arranged services are for: the person
// cared for on a carer's support plan, otherwise the plan's own person.
func (p Plan) RecipientID() uuid.UUID {
	if p.Kind == CarersSupport && p.CaredForPersonID != nil {
		return *p.CaredForPersonID
	}
	return p.PersonID
}

// Tidy returns the need as Validate would leave it, for comparing.
func (n NewNeed) Tidy() NewNeed {
	n.Outcome, n.AlternativeService = strings.TrimSpace(n.Outcome), strings.TrimSpace(n.AlternativeService)
	n.AlternativeArrangedBy = strings.TrimSpace(n.AlternativeArrangedBy)
	n.Preferences.Language = strings.TrimSpace(n.Preferences.Language)
	n.Preferences.CulturalNeeds = strings.TrimSpace(n.Preferences.CulturalNeeds)
	n.Preferences.ImportantToThem = strings.TrimSpace(n.Preferences.ImportantToThem)
	if n.DirectPayment != nil {
		t := *n.DirectPayment
		t.ExceptionalCircumstancesDecision = strings.TrimSpace(t.ExceptionalCircumstancesDecision)
		t.EquipmentException = strings.TrimSpace(t.EquipmentException)
		n.DirectPayment = &t
	}
	return n
}
