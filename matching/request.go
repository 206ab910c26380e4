package matching

import (
	"math"
	"strings"
)

// Request is one part of a person's Care and Support Plan that brokerage must arrange.
type Request struct {
	ID string `json:"id"`
	// ServiceType is the type asked for. A specialist type means the practitioner judged that
	// generic services cannot meet the need, unless GenericAlternative says otherwise.
	ServiceType ServiceType `json:"service_type"`
	// GenericAlternative, for a specialist request only, names the generic type the practitioner
	// says could also meet the need (for example homecare for specialist homecare). Generic
	// services are then considered first, as the care brokerage procedure asks.
	GenericAlternative ServiceType `json:"generic_alternative,omitempty"`
	// Hours is the hours of care a week, for hour-based types (homecare, specialist homecare,
	// supported living, reablement).
	Hours float64 `json:"hours,omitempty"`
	// Places is the number of places, for place-based types (care homes, respite, day services,
	// shared lives).
	Places int `json:"places,omitempty"`
	// Lat and Lon are where the person lives.
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
	// PostcodeDistrict is the outward part of the person's postcode, such as "M14".
	PostcodeDistrict string `json:"postcode_district,omitempty"`
	// StartDate is the day the care should start.
	StartDate Date `json:"start_date"`
	// BudgetPence is the most the personal budget allows a week, in pence.
	BudgetPence int64 `json:"budget_pence"`
	// AllowOverBudget keeps services above the budget in the ranking, flagged for a budget
	// approver, instead of excluding them.
	AllowOverBudget bool `json:"allow_over_budget,omitempty"`
	// SelfFunded means the person pays for their own care: there is no budget cap.
	SelfFunded bool `json:"self_funded,omitempty"`
	// CareNeeds decide whether a service can care for the person at all (dementia, a learning
	// disability, nursing, double-handed calls, ...): a service must list every one in its
	// CaresFor. They are hard rules; tastes are Preferences.
	CareNeeds   []string    `json:"care_needs,omitempty"`
	Preferences Preferences `json:"preferences"`
}

// Preferences are what the person would like from a service. They rank services; they never
// exclude one.
type Preferences struct {
	Language     string   `json:"language,omitempty"`
	CarerGender  string   `json:"carer_gender,omitempty"`
	CulturalTags []string `json:"cultural_tags,omitempty"`
	// KnownProviderIDs are provider organisations the person already knows or uses.
	KnownProviderIDs []string `json:"known_provider_ids,omitempty"`
}

// maxHoursPerWeek is the number of hours in a week.
const maxHoursPerWeek = 168

// maxPlaces bounds a request's places; a request is for one person, or a few sharing a service.
const maxPlaces = 100

// Unit returns what the request's demand is counted in.
func (r *Request) Unit() Unit { return r.ServiceType.Unit() }

// demand returns the request's need in hundredths of its unit.
func (r *Request) demand() int64 {
	if r.ServiceType.Unit() == UnitPlaces {
		return int64(r.Places) * 100
	}
	return centi(r.Hours)
}

// centi converts an amount of hours or places into hundredths, the engine's exact counting unit.
func centi(x float64) int64 { return int64(math.Round(x * 100)) }

// Validate checks the request and returns a *FieldError naming the first field that is wrong.
func (r *Request) Validate() error {
	if err := r.validate(); err != nil {
		return err
	}
	return nil
}

func (r *Request) validate() *FieldError {
	switch {
	case strings.TrimSpace(r.ID) == "":
		return fieldErr("id", "must not be empty")
	case !r.ServiceType.Valid():
		return fieldErr("service_type", "must be a known service type")
	}
	if r.GenericAlternative != 0 {
		if !r.ServiceType.Specialist() {
			return fieldErr("generic_alternative", "only a specialist request may name a generic alternative")
		}
		ok := false
		for _, g := range r.ServiceType.GenericAlternatives() {
			ok = ok || g == r.GenericAlternative
		}
		if !ok {
			return fieldErr("generic_alternative", r.GenericAlternative.String()+" cannot stand in for "+r.ServiceType.String())
		}
	}
	if r.Unit() == UnitHours {
		switch {
		case math.IsNaN(r.Hours) || r.Hours <= 0:
			return fieldErr("hours", "must be positive")
		case r.Hours > maxHoursPerWeek:
			return fieldErr("hours", "must be at most 168 (the hours in a week)")
		case centi(r.Hours) == 0:
			return fieldErr("hours", "must be at least 0.01")
		case r.Places != 0:
			return fieldErr("places", "must be empty for "+r.ServiceType.String()+", which is counted in hours")
		}
	} else {
		switch {
		case r.Places <= 0:
			return fieldErr("places", "must be positive")
		case r.Places > maxPlaces:
			return fieldErr("places", "must be at most 100")
		case r.Hours != 0:
			return fieldErr("hours", "must be empty for "+r.ServiceType.String()+", which is counted in places")
		}
	}
	if err := validateLatLon(r.Lat, r.Lon); err != nil {
		return err
	}
	switch {
	case r.PostcodeDistrict != "" && !validDistrict(r.PostcodeDistrict):
		return fieldErr("postcode_district", "must be a postcode district such as M14 or SK4")
	case r.StartDate.IsZero():
		return fieldErr("start_date", "must be set")
	case r.BudgetPence < 0:
		return fieldErr("budget_pence", "must not be negative")
	case r.BudgetPence == 0 && !r.SelfFunded:
		return fieldErr("budget_pence", "must be positive unless the person is self-funded")
	}
	for i, need := range r.CareNeeds {
		if need == "" || strings.TrimSpace(need) != need {
			return fieldErr(indexed("care_needs", i), "must be a need such as dementia, without spaces round it")
		}
	}
	for i, tag := range r.Preferences.CulturalTags {
		if strings.TrimSpace(tag) == "" {
			return fieldErr(indexed("preferences.cultural_tags", i), "must not be empty")
		}
	}
	return nil
}

func validateLatLon(lat, lon float64) *FieldError {
	switch {
	case math.IsNaN(lat) || lat < -90 || lat > 90:
		return fieldErr("lat", "must be a latitude from -90 to 90")
	case math.IsNaN(lon) || lon < -180 || lon > 180:
		return fieldErr("lon", "must be a longitude from -180 to 180")
	}
	return nil
}

// validDistrict reports whether s looks like the outward part of a UK postcode, such as "M14",
// "SK4" or "EC1A": one or two letters, a digit, then at most one letter or digit. Keeping
// districts to ASCII makes case-insensitive comparison and index keys agree exactly.
func validDistrict(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) < 2 || len(s) > 4 || !isLetter(s[0]) {
		return false
	}
	i := 1
	if isLetter(s[1]) {
		i = 2
	}
	if i >= len(s) || !isDigit(s[i]) {
		return false
	}
	for _, c := range []byte(s[i+1:]) {
		if !isLetter(c) && !isDigit(c) {
			return false
		}
	}
	return len(s)-i <= 2
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
