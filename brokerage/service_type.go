package brokerage

import (
	"fmt"
	"strings"
)

// ServiceType is the kind of service a request asks for. The directory
// (providers) holds the same set; brokerage keeps what it needs to check a
// plan: whether a type is measured in hours or places, and whether it is
// specialist.
type ServiceType string

// serviceTypes lists every known type with its two properties.
var serviceTypes = map[ServiceType]struct{ hourBased, specialist bool }{
	"homecare":                       {hourBased: true},
	"specialist_homecare":            {hourBased: true, specialist: true},
	"residential_care":               {},
	"nursing_care":                   {},
	"specialist_residential_nursing": {specialist: true},
	"supported_living":               {hourBased: true, specialist: true},
	"respite":                        {},
	"specialist_respite":             {specialist: true},
	"day_services":                   {},
	"specialist_day_services":        {specialist: true},
	"shared_lives":                   {},
	"reablement":                     {hourBased: true},
}

// Known reports whether t is a service type the directory knows.
func (t ServiceType) Known() bool { _, ok := serviceTypes[t]; return ok }

// HourBased reports whether t is measured in hours a week (care at home)
// rather than places (care homes, day services).
func (t ServiceType) HourBased() bool { return serviceTypes[t].hourBased }

// Specialist reports whether only the specialist teams may request t.
func (t ServiceType) Specialist() bool { return serviceTypes[t].specialist }

// Label is the type as people read it: "specialist homecare".
func (t ServiceType) Label() string { return strings.ReplaceAll(string(t), "_", " ") }

// knownServiceTypes lists the types for error messages.
func knownServiceTypes() string {
	return "homecare, specialist_homecare, residential_care, nursing_care, specialist_residential_nursing, " +
		"supported_living, respite, specialist_respite, day_services, specialist_day_services, shared_lives, reablement"
}

// amount describes hours or places: "14 hours a week", "1 place".
func amount(hours, places int) string {
	switch {
	case hours == 1:
		return "1 hour a week"
	case hours > 0:
		return fmt.Sprintf("%d hours a week", hours)
	case places == 1:
		return "1 place"
	}
	return fmt.Sprintf("%d places", places)
}
