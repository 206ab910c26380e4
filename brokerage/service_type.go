package brokerage

import (
	"fmt"
	"strings"

	"github.com/carebroker/carebroker/matching"
)

// ServiceType is the kind of service a request asks for, by its code
// ("homecare"). The codes and their properties (hours or places, generic or
// specialist) are the matching package's, shared with the directory.
type ServiceType string

// engine returns the matching package's type for t.
func (t ServiceType) engine() (matching.ServiceType, bool) {
	return matching.ParseServiceType(string(t))
}

// Known reports whether t is a service type the directory knows.
func (t ServiceType) Known() bool { _, ok := t.engine(); return ok }

// HourBased reports whether t is measured in hours a week (care at home)
// rather than places (care homes, day services).
func (t ServiceType) HourBased() bool {
	e, ok := t.engine()
	return ok && e.Unit() == matching.UnitHours
}

// Specialist reports whether only the specialist teams may request t.
func (t ServiceType) Specialist() bool {
	e, ok := t.engine()
	return ok && e.Specialist()
}

// Label is the type as people read it: "specialist homecare".
func (t ServiceType) Label() string { return strings.ReplaceAll(string(t), "_", " ") }

// knownServiceTypes lists the types for error messages.
func knownServiceTypes() string {
	var names []string
	for _, t := range matching.ServiceTypes() {
		names = append(names, t.String())
	}
	return strings.Join(names, ", ")
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
