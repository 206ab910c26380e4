package matching

import (
	"encoding/json"
	"reflect"
	"strconv"
)

// ServiceType is a kind of care service. Its codes are shared with the provider directory, so the
// strings below are the contract: "homecare", "specialist_homecare" and so on. The zero value is
// not a valid type.
type ServiceType uint8

// The service types. Specialist types are the four specialist_* types and supported living, as the
// care brokerage procedure lists them.
const (
	Homecare ServiceType = iota + 1
	SpecialistHomecare
	ResidentialCare
	NursingCare
	SpecialistResidentialNursing
	SupportedLiving
	Respite
	SpecialistRespite
	DayServices
	SpecialistDayServices
	SharedLives
	Reablement
	numServiceTypes = iota + 1
)

// Unit is what capacity and demand are counted in for a service type.
type Unit uint8

// The units: hours a week for care at home, places for care homes, day services and the like.
const (
	UnitHours Unit = iota + 1
	UnitPlaces
)

// String returns "hours" or "places".
func (u Unit) String() string {
	if u == UnitPlaces {
		return "places"
	}
	return "hours"
}

// MarshalJSON writes the unit as "hours" or "places".
func (u Unit) MarshalJSON() ([]byte, error) { return []byte(`"` + u.String() + `"`), nil }

type serviceTypeInfo struct {
	code       string
	english    string
	unit       Unit
	specialist bool
	// generic lists the generic types a practitioner may accept in place of this specialist type.
	generic []ServiceType
}

var serviceTypes = [numServiceTypes]serviceTypeInfo{
	Homecare:                     {"homecare", "Homecare", UnitHours, false, nil},
	SpecialistHomecare:           {"specialist_homecare", "Specialist homecare", UnitHours, true, []ServiceType{Homecare}},
	ResidentialCare:              {"residential_care", "Residential care", UnitPlaces, false, nil},
	NursingCare:                  {"nursing_care", "Nursing care", UnitPlaces, false, nil},
	SpecialistResidentialNursing: {"specialist_residential_nursing", "Specialist residential or nursing care", UnitPlaces, true, []ServiceType{ResidentialCare, NursingCare}},
	SupportedLiving:              {"supported_living", "Supported living", UnitHours, true, []ServiceType{Homecare}},
	Respite:                      {"respite", "Respite", UnitPlaces, false, nil},
	SpecialistRespite:            {"specialist_respite", "Specialist respite", UnitPlaces, true, []ServiceType{Respite}},
	DayServices:                  {"day_services", "Day services", UnitPlaces, false, nil},
	SpecialistDayServices:        {"specialist_day_services", "Specialist day services", UnitPlaces, true, []ServiceType{DayServices}},
	SharedLives:                  {"shared_lives", "Shared lives", UnitPlaces, false, nil},
	Reablement:                   {"reablement", "Reablement", UnitHours, false, nil},
}

// ServiceTypes returns every service type in a fixed order.
func ServiceTypes() []ServiceType {
	out := make([]ServiceType, 0, numServiceTypes-1)
	for t := ServiceType(1); t < numServiceTypes; t++ {
		out = append(out, t)
	}
	return out
}

// ParseServiceType returns the type with the given code, such as "specialist_homecare".
func ParseServiceType(code string) (ServiceType, bool) {
	for t := ServiceType(1); t < numServiceTypes; t++ {
		if serviceTypes[t].code == code {
			return t, true
		}
	}
	return 0, false
}

// Valid reports whether t is one of the service types.
func (t ServiceType) Valid() bool { return t > 0 && t < numServiceTypes }

// String returns the type's code, such as "homecare".
func (t ServiceType) String() string {
	if !t.Valid() {
		return "service_type(" + strconv.Itoa(int(t)) + ")"
	}
	return serviceTypes[t].code
}

// English returns the type's name for people, such as "Specialist homecare".
func (t ServiceType) English() string {
	if !t.Valid() {
		return "unknown service type"
	}
	return serviceTypes[t].english
}

// Specialist reports whether t is a specialist service, normally arranged only by the Life
// Planning and Mental Health teams.
func (t ServiceType) Specialist() bool { return t.Valid() && serviceTypes[t].specialist }

// Unit returns what the type's capacity and demand are counted in: hours a week or places.
func (t ServiceType) Unit() Unit {
	if !t.Valid() {
		return UnitHours
	}
	return serviceTypes[t].unit
}

// GenericAlternatives returns the generic types that may stand in for specialist type t when the
// practitioner says a generic service could meet the need. It is empty for generic types.
func (t ServiceType) GenericAlternatives() []ServiceType {
	if !t.Valid() {
		return nil
	}
	return serviceTypes[t].generic
}

// MarshalJSON writes the type's code.
func (t ServiceType) MarshalJSON() ([]byte, error) {
	if !t.Valid() {
		return []byte(`""`), nil
	}
	return []byte(`"` + serviceTypes[t].code + `"`), nil
}

// UnmarshalJSON reads a type's code. An unknown code is a *json.UnmarshalTypeError, so the
// decoder names the field.
func (t *ServiceType) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		if parsed, ok := ParseServiceType(s); ok {
			*t = parsed
			return nil
		}
	}
	return &json.UnmarshalTypeError{Value: shorten(string(b)), Type: reflect.TypeFor[ServiceType]()}
}

// shorten cuts s to a length fit for an error message.
func shorten(s string) string {
	const limit = 40
	if len(s) > limit {
		return s[:limit] + "..."
	}
	return s
}

// UnmarshalJSON reads "hours" or "places".
func (u *Unit) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"hours"`:
		*u = UnitHours
	case `"places"`:
		*u = UnitPlaces
	default:
		return &json.UnmarshalTypeError{Value: shorten(string(b)), Type: reflect.TypeFor[Unit]()}
	}
	return nil
}
