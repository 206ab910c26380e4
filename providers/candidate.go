package providers

import (
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/internal/day"
)

// Candidate is everything matching needs about one active service, read in
// a few queries by Store.Candidates.
type Candidate struct {
	ServiceID          uuid.UUID          `json:"service_id"`
	ServiceType        ServiceType        `json:"service_type"`
	Status             ServiceStatus      `json:"status"`
	OrganisationID     uuid.UUID          `json:"organisation_id"`
	OrganisationName   string             `json:"organisation_name"`
	LocationID         uuid.UUID          `json:"location_id"`
	LocationName       string             `json:"location_name"`
	CQCLocationID      string             `json:"cqc_location_id,omitempty"`
	Postcode           string             `json:"postcode"`
	PostcodeDistrict   string             `json:"postcode_district"`
	Latitude           float64            `json:"latitude"`
	Longitude          float64            `json:"longitude"`
	Coverage           Coverage           `json:"coverage"`
	RegistrationStatus RegistrationStatus `json:"registration_status"`
	Rating             Rating             `json:"rating"`
	RatingDate         day.Date           `json:"rating_date"`
	Languages          []string           `json:"languages"`
	CarerGenders       []string           `json:"carer_genders"`
	Specialisms        []string           `json:"specialisms"`
	// Capacity is the calendar in date order; see CapacityStep and FreeFrom.
	Capacity []CapacityStep `json:"capacity"`
	// Rates are in date order; see RateOn.
	Rates      []Rate     `json:"rates"`
	Compliance Compliance `json:"compliance"`
}

// Compliance is what the council knows about a service's standing on its
// contracts. Memberships are only those whose lot covers the service's type;
// Suspensions are the organisation's and the service's own. The rules that
// judge these facts are the matching engine's, asked through brokerage.
type Compliance struct {
	ContractStatus ContractStatus `json:"contract_status"`
	Memberships    []Membership   `json:"memberships"`
	// InsuranceCover is every piece of accepted insurance evidence; one
	// must cover the day asked about (a gap in cover counts).
	InsuranceCover []InsuranceCover `json:"insurance_cover"`
	Suspensions    []Suspension     `json:"suspensions"`
	RequiresCQC    bool             `json:"requires_cqc"`
}

// InsuranceCover is the span of one piece of accepted insurance evidence.
type InsuranceCover struct {
	From day.Date `json:"from"`
	To   day.Date `json:"to"`
}

// requiresCQC reports whether a service of type t must be registered with
// the CQC: every type but day services, which carry on no regulated
// activity.
func requiresCQC(t ServiceType) bool {
	return t != DayServices && t != SpecialistDayServices
}
