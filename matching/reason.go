package matching

import "encoding/json"

// Code names a reason. Exclusion codes say why a service cannot take a request; note codes say
// something a broker or the person should know about a service that can.
type Code string

// Exclusion codes: a hard rule the service fails.
const (
	CodeServiceTypeMismatch Code = "service_type_mismatch"
	CodeServiceInactive     Code = "service_inactive"
	CodeOutOfArea           Code = "out_of_area"
	CodeDistrictNotCovered  Code = "district_not_covered"
	CodeNoCapacity          Code = "no_capacity"
	CodeNoRate              Code = "no_rate"
	CodeNoFramework         Code = "no_framework"
	CodeContractNotActive   Code = "contract_not_active"
	CodeSuspended           Code = "suspended"
	CodeInsuranceExpired    Code = "insurance_expired"
	CodeNoInsurance         Code = "no_insurance"
	CodeNotCQCRegistered    Code = "not_cqc_registered"
	CodeRatingNotAllowed    Code = "rating_not_allowed"
	// CodeOverBudget excludes a service, or only flags it when the request allows offers over
	// budget for a budget approver to agree.
	CodeOverBudget Code = "over_budget"
)

// Note codes: facts about a service that stays in the ranking.
const (
	CodeGenericAlternative     Code = "generic_alternative"
	CodeLanguageNotOffered     Code = "language_not_offered"
	CodeCarerGenderUnavailable Code = "carer_gender_unavailable"
	CodeCulturalNeedUnmet      Code = "cultural_need_unmet"
	CodeKnownProvider          Code = "known_provider"
)

// Reason is a structured explanation: a code and the numbers behind it, such as
// {Code: "over_budget", WeeklyCostPence: 39200, BudgetPence: 35000, OverPence: 4200}. Only the
// fields that belong to the code are set, and only those are written to JSON. Text renders it in
// plain English.
type Reason struct {
	Code Code
	// ServiceType is the type a service offers (service_type_mismatch, generic_alternative).
	ServiceType ServiceType
	// RequestedType is the type the request asked for (service_type_mismatch).
	RequestedType ServiceType
	// DistanceKm and RadiusKm describe an out_of_area service.
	DistanceKm float64
	RadiusKm   float64
	// PostcodeDistrict is the person's district (district_not_covered).
	PostcodeDistrict string
	// Date is the start date a rule was checked on (no_capacity, no_rate, no_framework,
	// no_insurance), or the day insurance ran out (insurance_expired).
	Date Date
	// Needed and Free are amounts in Unit (no_capacity).
	Needed float64
	Free   float64
	Unit   Unit
	// WeeklyCostPence, BudgetPence and OverPence describe an over_budget service;
	// NeedsApproval says it stays in the ranking for a budget approver to agree.
	WeeklyCostPence int64
	BudgetPence     int64
	OverPence       int64
	NeedsApproval   bool
	// ContractStatus is the provider's contract status (contract_not_active).
	ContractStatus ContractStatus
	// Kind, From, To and Note describe a suspension or embargo (suspended). For no_capacity, From
	// is the later day the shortfall begins, when capacity is enough on the start date but falls
	// below the need afterwards. For no_insurance, From is the first day of the next cover, when
	// evidence begins after the start date.
	Kind string
	From Date
	To   Date
	Note string
	// Rating is the CQC rating (rating_not_allowed).
	Rating Rating
	// Language, CarerGender and Tag are the preference not met.
	Language    string
	CarerGender string
	Tag         string
	// ProviderID is the provider the person already knows (known_provider).
	ProviderID string
}

// reasonJSON is the wire form of a Reason: pointers so that a field is written exactly when it
// belongs to the code, zero values included ("free": 0 matters).
type reasonJSON struct {
	Code             Code            `json:"code"`
	ServiceType      *ServiceType    `json:"service_type,omitempty"`
	RequestedType    *ServiceType    `json:"requested_type,omitempty"`
	DistanceKm       *float64        `json:"distance_km,omitempty"`
	RadiusKm         *float64        `json:"radius_km,omitempty"`
	PostcodeDistrict *string         `json:"postcode_district,omitempty"`
	Date             *Date           `json:"date,omitempty"`
	Needed           *float64        `json:"needed,omitempty"`
	Free             *float64        `json:"free,omitempty"`
	Unit             *Unit           `json:"unit,omitempty"`
	WeeklyCostPence  *int64          `json:"weekly_cost_pence,omitempty"`
	BudgetPence      *int64          `json:"budget_pence,omitempty"`
	OverPence        *int64          `json:"over_pence,omitempty"`
	NeedsApproval    *bool           `json:"needs_approval,omitempty"`
	ContractStatus   *ContractStatus `json:"contract_status,omitempty"`
	Kind             *string         `json:"kind,omitempty"`
	From             *Date           `json:"from,omitempty"`
	To               *Date           `json:"to,omitempty"`
	Note             *string         `json:"note,omitempty"`
	Rating           *Rating         `json:"rating,omitempty"`
	Language         *string         `json:"language,omitempty"`
	CarerGender      *string         `json:"carer_gender,omitempty"`
	Tag              *string         `json:"tag,omitempty"`
	ProviderID       *string         `json:"provider_id,omitempty"`
}

// MarshalJSON writes the code and the fields that belong to it, in snake_case.
func (r Reason) MarshalJSON() ([]byte, error) {
	j := reasonJSON{Code: r.Code}
	switch r.Code {
	case CodeServiceTypeMismatch:
		j.ServiceType, j.RequestedType = &r.ServiceType, &r.RequestedType
	case CodeGenericAlternative:
		j.ServiceType = &r.ServiceType
	case CodeOutOfArea:
		j.DistanceKm, j.RadiusKm = &r.DistanceKm, &r.RadiusKm
	case CodeDistrictNotCovered:
		j.PostcodeDistrict = &r.PostcodeDistrict
	case CodeNoCapacity:
		j.Date, j.Needed, j.Free, j.Unit = &r.Date, &r.Needed, &r.Free, &r.Unit
		if !r.From.IsZero() {
			j.From = &r.From
		}
	case CodeNoRate, CodeNoFramework, CodeInsuranceExpired:
		j.Date = &r.Date
	case CodeNoInsurance:
		j.Date = &r.Date
		if !r.From.IsZero() {
			j.From = &r.From
		}
	case CodeContractNotActive:
		j.ContractStatus = &r.ContractStatus
	case CodeSuspended:
		j.Kind, j.From, j.Note = &r.Kind, &r.From, &r.Note
		if !r.To.IsZero() {
			j.To = &r.To
		}
	case CodeRatingNotAllowed:
		j.Rating = &r.Rating
	case CodeOverBudget:
		j.WeeklyCostPence, j.BudgetPence, j.OverPence, j.NeedsApproval = &r.WeeklyCostPence, &r.BudgetPence, &r.OverPence, &r.NeedsApproval
	case CodeLanguageNotOffered:
		j.Language = &r.Language
	case CodeCarerGenderUnavailable:
		j.CarerGender = &r.CarerGender
	case CodeCulturalNeedUnmet:
		j.Tag = &r.Tag
	case CodeKnownProvider:
		j.ProviderID = &r.ProviderID
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the form MarshalJSON writes.
func (r *Reason) UnmarshalJSON(b []byte) error {
	var j reasonJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*r = Reason{Code: j.Code}
	set(&r.ServiceType, j.ServiceType)
	set(&r.RequestedType, j.RequestedType)
	set(&r.DistanceKm, j.DistanceKm)
	set(&r.RadiusKm, j.RadiusKm)
	set(&r.PostcodeDistrict, j.PostcodeDistrict)
	set(&r.Date, j.Date)
	set(&r.Needed, j.Needed)
	set(&r.Free, j.Free)
	set(&r.Unit, j.Unit)
	set(&r.WeeklyCostPence, j.WeeklyCostPence)
	set(&r.BudgetPence, j.BudgetPence)
	set(&r.OverPence, j.OverPence)
	set(&r.NeedsApproval, j.NeedsApproval)
	set(&r.ContractStatus, j.ContractStatus)
	set(&r.Kind, j.Kind)
	set(&r.From, j.From)
	set(&r.To, j.To)
	set(&r.Note, j.Note)
	set(&r.Rating, j.Rating)
	set(&r.Language, j.Language)
	set(&r.CarerGender, j.CarerGender)
	set(&r.Tag, j.Tag)
	set(&r.ProviderID, j.ProviderID)
	return nil
}

func set[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}
