package providers

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
)

// ServiceStatus says whether a service is offered now.
type ServiceStatus string

// The service statuses. A service is never deleted: one that a newer import
// no longer lists becomes inactive, keeping its history.
const (
	ServiceActive   ServiceStatus = "active"
	ServiceInactive ServiceStatus = "inactive"
)

// Service is one service type offered at a location.
type Service struct {
	ID               uuid.UUID     `json:"id"`
	LocationID       uuid.UUID     `json:"location_id"`
	OrganisationID   uuid.UUID     `json:"organisation_id"`
	ServiceType      ServiceType   `json:"service_type"`
	Status           ServiceStatus `json:"status"`
	StatusReason     string        `json:"status_reason,omitempty"`
	Description      string        `json:"description,omitempty"`
	Coverage         Coverage      `json:"coverage"`
	Specialisms      []string      `json:"specialisms"`
	Languages        []string      `json:"languages"`
	CarerGenders     []string      `json:"carer_genders"`
	CreatedAt        time.Time     `json:"created_at"`
	UpdatedAt        time.Time     `json:"updated_at"`
	Location         Location      `json:"location"`
	OrganisationName string        `json:"organisation_name"`
}

// Coverage is where a service takes people from: within a radius of its
// location, or from a list of postcode districts. Neither means the service
// did not say (the matching engine then applies its default radius).
type Coverage struct {
	RadiusKm          float64  `json:"radius_km,omitempty"`
	PostcodeDistricts []string `json:"postcode_districts,omitempty"`
}

// Specialisms are the care needs a service may say it meets: the CQC's specialisms and service
// user bands, and what a home care agency or home must be equipped for (bariatric care, calls
// that need two carers at once). Matching treats a request's care needs among them as hard rules.
var Specialisms = []string{
	"acquired_brain_injury", "autism", "bariatric", "challenging_behaviour", "dementia", "double_handed",
	"end_of_life", "learning_disability", "mental_health", "physical_disability", "sensory_impairment",
	"substance_misuse", "younger_adults",
}

// CarerGenders are the genders of carers a service can send.
var CarerGenders = []string{"female", "male"}

// ServiceChanges is what a provider may change about its own service. Nil
// fields are left as they are; an empty list clears one.
type ServiceChanges struct {
	Description  *string   `json:"description,omitempty"`
	Coverage     *Coverage `json:"coverage,omitempty"`
	Specialisms  *[]string `json:"specialisms,omitempty"`
	Languages    *[]string `json:"languages,omitempty"`
	CarerGenders *[]string `json:"carer_genders,omitempty"`
}

// Validate normalises the changes (languages to title case, districts to
// upper case, lists sorted without repeats) and returns Invalid naming the
// first wrong field.
func (c *ServiceChanges) Validate() error {
	if c.Description == nil && c.Coverage == nil && c.Specialisms == nil && c.Languages == nil && c.CarerGenders == nil {
		return errs.InvalidField("body", "changes nothing; send at least one of description, coverage, specialisms, languages, carer_genders")
	}
	if c.Description != nil {
		d := strings.TrimSpace(*c.Description)
		if len(d) > 4000 {
			return errs.InvalidField("description", "must be at most 4000 characters")
		}
		c.Description = &d
	}
	if c.Coverage != nil {
		if err := c.Coverage.validate("coverage"); err != nil {
			return err
		}
	}
	if c.Specialisms != nil {
		list, err := closedList("specialisms", *c.Specialisms, Specialisms)
		if err != nil {
			return err
		}
		c.Specialisms = &list
	}
	if c.CarerGenders != nil {
		list, err := closedList("carer_genders", *c.CarerGenders, CarerGenders)
		if err != nil {
			return err
		}
		c.CarerGenders = &list
	}
	if c.Languages != nil {
		list, err := languageList("languages", *c.Languages)
		if err != nil {
			return err
		}
		c.Languages = &list
	}
	return nil
}

func (c *Coverage) validate(field string) error {
	if math.IsNaN(c.RadiusKm) || c.RadiusKm < 0 || c.RadiusKm > 500 {
		return errs.InvalidField(field+".radius_km", "must be more than 0 and at most 500")
	}
	if c.RadiusKm > 0 && len(c.PostcodeDistricts) > 0 {
		return errs.InvalidField(field, "must give a radius or postcode districts, not both")
	}
	if len(c.PostcodeDistricts) > 500 {
		return errs.InvalidField(field+".postcode_districts", "must list at most 500 districts")
	}
	out := make([]string, 0, len(c.PostcodeDistricts))
	for i, d := range c.PostcodeDistricts {
		nd, ok := NormaliseDistrict(d)
		if !ok {
			return errs.InvalidField(indexed(field+".postcode_districts", i), "%q is not a postcode district like M14 or SK4", d)
		}
		out = append(out, nd)
	}
	slices.Sort(out)
	c.PostcodeDistricts = slices.Compact(out)
	return nil
}

func closedList(field string, in, allowed []string) ([]string, error) {
	out := make([]string, 0, len(in))
	for i, v := range in {
		v = strings.ToLower(strings.TrimSpace(v))
		if !slices.Contains(allowed, v) {
			return nil, errs.InvalidField(indexed(field, i), "%q is not one of %s", in[i], strings.Join(allowed, ", "))
		}
		out = append(out, v)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// languageList checks language names ("English", "Urdu", "British Sign
// Language") and writes each in title case.
func languageList(field string, in []string) ([]string, error) {
	if len(in) > 50 {
		return nil, errs.InvalidField(field, "must list at most 50 languages")
	}
	out := make([]string, 0, len(in))
	for i, v := range in {
		name, ok := normaliseLanguage(v)
		if !ok {
			return nil, errs.InvalidField(indexed(field, i), "%q is not a language name like English or Urdu", v)
		}
		out = append(out, name)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func normaliseLanguage(s string) (string, bool) {
	words := strings.Fields(s)
	if len(words) == 0 || len(s) > 60 {
		return "", false
	}
	for i, w := range words {
		for _, r := range w {
			if !unicode.IsLetter(r) && r != '-' && r != '(' && r != ')' {
				return "", false
			}
		}
		rs := []rune(strings.ToLower(w))
		rs[0] = unicode.ToUpper(rs[0])
		words[i] = string(rs)
	}
	return strings.Join(words, " "), true
}

func indexed(field string, i int) string { return fmt.Sprintf("%s[%d]", field, i) }
