// Package providers is the provider directory: organisations, their
// locations and the services each location offers, with capacity by date,
// rates and compliance (framework memberships, contract status, insurance
// evidence, suspensions). It imports CQC-style CSV and Open Referral UK JSON
// and answers the matching engine's questions (Candidates, Eligible) in a
// few queries. It owns the provider_*, framework_* and postcode_lookup
// tables; other packages reach them only through Store.
package providers

import (
	"strings"
)

// ServiceType is a kind of care service. It is the one service type of the
// directory, the brokerage workflow and the pages; the matching engine keeps
// its own (matching.ServiceType), and brokerage converts between the two in
// one place (engineServiceType, whose test checks the two agree). The codes
// are the contract, stored in the database and spoken by the API.
type ServiceType string

// The service types the council brokers.
const (
	Homecare                     ServiceType = "homecare"
	SpecialistHomecare           ServiceType = "specialist_homecare"
	ResidentialCare              ServiceType = "residential_care"
	NursingCare                  ServiceType = "nursing_care"
	SpecialistResidentialNursing ServiceType = "specialist_residential_nursing"
	SupportedLiving              ServiceType = "supported_living"
	Respite                      ServiceType = "respite"
	SpecialistRespite            ServiceType = "specialist_respite"
	DayServices                  ServiceType = "day_services"
	SpecialistDayServices        ServiceType = "specialist_day_services"
	SharedLives                  ServiceType = "shared_lives"
	Reablement                   ServiceType = "reablement"
)

// ServiceTypes lists every service type in a stable order.
var ServiceTypes = []ServiceType{
	Homecare, SpecialistHomecare, ResidentialCare, NursingCare, SpecialistResidentialNursing,
	SupportedLiving, Respite, SpecialistRespite, DayServices, SpecialistDayServices, SharedLives, Reablement,
}

var serviceTypeEnglish = map[ServiceType]string{
	Homecare:                     "Homecare",
	SpecialistHomecare:           "Specialist homecare",
	ResidentialCare:              "Residential care",
	NursingCare:                  "Nursing care",
	SpecialistResidentialNursing: "Specialist residential or nursing care",
	SupportedLiving:              "Supported living",
	Respite:                      "Respite",
	SpecialistRespite:            "Specialist respite",
	DayServices:                  "Day services",
	SpecialistDayServices:        "Specialist day services",
	SharedLives:                  "Shared lives",
	Reablement:                   "Reablement",
}

// ParseServiceType returns the type with the given code; ok is false for
// anything else.
func ParseServiceType(code string) (ServiceType, bool) {
	t := ServiceType(strings.TrimSpace(code))
	return t, t.Valid()
}

// Valid reports whether t is one of the service types.
func (t ServiceType) Valid() bool {
	_, ok := serviceTypeEnglish[t]
	return ok
}

// HourBased reports whether t's capacity and requests are counted in hours
// a week (care at home, supported living, reablement) rather than places.
func (t ServiceType) HourBased() bool {
	switch t {
	case Homecare, SpecialistHomecare, SupportedLiving, Reablement:
		return true
	}
	return false
}

// Specialist reports whether t is a specialist service, normally arranged
// only by the Life Planning and Mental Health teams: the four specialist_*
// types and supported living.
func (t ServiceType) Specialist() bool {
	switch t {
	case SpecialistHomecare, SpecialistResidentialNursing, SupportedLiving, SpecialistRespite, SpecialistDayServices:
		return true
	}
	return false
}

// Unit returns what t's capacity is counted in: "hours" (a week) or "places".
func (t ServiceType) Unit() string {
	if t.HourBased() {
		return "hours"
	}
	return "places"
}

// RateUnit returns what t's rates are priced per: "hour" or "week" (a place
// a week).
func (t ServiceType) RateUnit() string {
	if t.HourBased() {
		return "hour"
	}
	return "week"
}

// English returns the type's name for people, such as "Specialist homecare".
func (t ServiceType) English() string {
	if s, ok := serviceTypeEnglish[t]; ok {
		return s
	}
	return "unknown service type"
}

// Label returns the type's code as words, for the middle of a sentence:
// "specialist homecare".
func (t ServiceType) Label() string { return strings.ReplaceAll(string(t), "_", " ") }

// ServiceTypeCodes returns the codes joined for error messages.
func ServiceTypeCodes() string {
	codes := make([]string, len(ServiceTypes))
	for i, t := range ServiceTypes {
		codes[i] = string(t)
	}
	return strings.Join(codes, ", ")
}

// cqcServiceTypes maps the CQC's service type names (as written in CQC open
// data, compared case-insensitively) to ours.
var cqcServiceTypes = map[string]ServiceType{
	"residential homes":               ResidentialCare,
	"nursing homes":                   NursingCare,
	"homecare agencies":               Homecare,
	"supported living":                SupportedLiving,
	"shared lives":                    SharedLives,
	"rehabilitation (illness/injury)": Reablement,
}

// cqcNotBrokered are CQC service types that are not adult social care the
// council brokers. An importer reports them as skipped values.
var cqcNotBrokered = map[string]bool{
	"hospice":                          true,
	"diagnosis/screening":              true,
	"long-term conditions":             true,
	"education disability services":    true,
	"rehabilitation (substance abuse)": true,
}

// FromCQC maps a CQC service type name to ours. brokered is false (and t
// empty) for a known CQC type the council does not broker; known is false
// for a name that is not a CQC service type at all.
func FromCQC(name string) (t ServiceType, brokered, known bool) {
	key := strings.ToLower(strings.Join(strings.Fields(name), " "))
	if t, ok := cqcServiceTypes[key]; ok {
		return t, true, true
	}
	if cqcNotBrokered[key] {
		return "", false, true
	}
	return "", false, false
}
