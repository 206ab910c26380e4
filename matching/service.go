package matching

import (
	"math"
	"strings"
)

// Service is one care service in the provider directory: a service type offered by a provider
// organisation at a place, with its coverage, capacity, rates, compliance and what it offers.
type Service struct {
	ID          string      `json:"id"`
	ProviderID  string      `json:"provider_id"`
	Name        string      `json:"name,omitempty"`
	ServiceType ServiceType `json:"service_type"`
	Lat         float64     `json:"lat"`
	Lon         float64     `json:"lon"`
	Coverage    Coverage    `json:"coverage"`
	// Capacity is the service's calendar of free capacity, in date order: each step says how much
	// is free from its date until the next step. Nothing is free before the first step.
	Capacity []CapacityStep `json:"capacity"`
	// Rates are the service's prices: pence an hour for hour-based types, pence a place a week
	// for place-based types.
	Rates        []Rate     `json:"rates"`
	Compliance   Compliance `json:"compliance"`
	Languages    []string   `json:"languages,omitempty"`
	CarerGenders []string   `json:"carer_genders,omitempty"`
	// Tags are the specialisms and cultural or spiritual needs the service says it meets.
	Tags []string `json:"tags,omitempty"`
	// CaresFor are the care needs the service says it can meet (CQC specialisms and service
	// user bands, nursing, bariatric care, double-handed calls, ...): a request's CareNeeds must
	// all be among them.
	CaresFor []string `json:"cares_for,omitempty"`
}

// Coverage is where a service will take people from: within a radius of its location, or from a
// list of postcode districts. A service that states neither covers Config.DefaultRadiusKm.
type Coverage struct {
	RadiusKm          float64  `json:"radius_km,omitempty"`
	PostcodeDistricts []string `json:"postcode_districts,omitempty"`
}

// CapacityStep says how much is free from a date: hours a week or places, by the service's type.
type CapacityStep struct {
	From Date    `json:"from"`
	Free float64 `json:"free"`
}

// Rate is a price in force from one day to another (To zero meaning open-ended).
type Rate struct {
	Pence int64 `json:"pence"`
	From  Date  `json:"from"`
	To    Date  `json:"to,omitempty"`
}

// maxRadiusKm bounds a coverage radius; no council arranges care at home from further away.
const maxRadiusKm = 500

// maxFree bounds the free amount in a capacity step.
const maxFree = 1_000_000

// maxRatePence bounds a rate, at £100,000 an hour or a week.
const maxRatePence = 10_000_000

// Validate checks the service and returns a *FieldError naming the first field that is wrong.
func (s *Service) Validate() error {
	if err := s.validate(); err != nil {
		return err
	}
	return nil
}

func (s *Service) validate() *FieldError {
	switch {
	case strings.TrimSpace(s.ID) == "":
		return fieldErr("id", "must not be empty")
	case strings.TrimSpace(s.ProviderID) == "":
		return fieldErr("provider_id", "must not be empty")
	case !s.ServiceType.Valid():
		return fieldErr("service_type", "must be a known service type")
	}
	if err := validateLatLon(s.Lat, s.Lon); err != nil {
		return err
	}
	c := s.Coverage
	switch {
	case math.IsNaN(c.RadiusKm) || c.RadiusKm < 0 || c.RadiusKm > maxRadiusKm:
		return fieldErr("coverage.radius_km", "must be from 0 to 500")
	case c.RadiusKm > 0 && len(c.PostcodeDistricts) > 0:
		return fieldErr("coverage", "must give a radius or postcode districts, not both")
	}
	for i, d := range c.PostcodeDistricts {
		if !validDistrict(d) {
			return fieldErr(indexed("coverage.postcode_districts", i), "must be a postcode district such as M14 or SK4")
		}
	}
	for i, step := range s.Capacity {
		f := indexed("capacity", i)
		switch {
		case step.From.IsZero():
			return fieldErr(f+".from", "must be set")
		case i > 0 && step.From <= s.Capacity[i-1].From:
			return fieldErr(f+".from", "must be after the date of the step before")
		case math.IsNaN(step.Free) || step.Free < 0 || step.Free > maxFree:
			return fieldErr(f+".free", "must be from 0 to 1000000")
		}
	}
	for i, r := range s.Rates {
		f := indexed("rates", i)
		switch {
		case r.Pence <= 0 || r.Pence > maxRatePence:
			return fieldErr(f+".pence", "must be from 1 to 10000000")
		case r.From.IsZero():
			return fieldErr(f+".from", "must be set")
		case !r.To.IsZero() && r.To < r.From:
			return fieldErr(f+".to", "must not be before from")
		}
	}
	return within("compliance", s.Compliance.validate())
}

func (c *Compliance) validate() *FieldError {
	for i, m := range c.Memberships {
		f := indexed("memberships", i)
		switch {
		case !contains(membershipKinds, m.Kind):
			return fieldErr(f+".kind", oneOf(membershipKinds))
		case m.From.IsZero():
			return fieldErr(f+".from", "must be set")
		case !m.To.IsZero() && m.To < m.From:
			return fieldErr(f+".to", "must not be before from")
		}
	}
	if !contains(contractStatuses, string(c.ContractStatus)) {
		return fieldErr("contract_status", oneOf(contractStatuses))
	}
	for i, sus := range c.Suspensions {
		f := indexed("suspensions", i)
		switch {
		case !contains(suspensionKinds, sus.Kind):
			return fieldErr(f+".kind", oneOf(suspensionKinds))
		case sus.From.IsZero():
			return fieldErr(f+".from", "must be set")
		case !sus.To.IsZero() && sus.To < sus.From:
			return fieldErr(f+".to", "must not be before from")
		}
	}
	for i, cv := range c.Insurance {
		f := indexed("insurance", i)
		switch {
		case cv.From.IsZero():
			return fieldErr(f+".from", "must be set")
		case !cv.To.IsZero() && cv.To < cv.From:
			return fieldErr(f+".to", "must not be before from")
		}
	}
	if !c.CQCRating.Valid() {
		return fieldErr("cqc_rating", "must be a known rating")
	}
	return nil
}

// freeFrom returns the least capacity free on any day from day onwards, in hundredths, and the
// first day that least amount applies. Care is ongoing, so a step that lowers capacity after the
// start date limits the service as much as one in force on the start date.
func (s *Service) freeFrom(day Date) (free int64, limiting Date) {
	free, limiting = 0, day
	started := false
	for i := range s.Capacity {
		step := &s.Capacity[i]
		if step.From <= day {
			// The last step on or before day is in force on day; later ones replace it.
			free, started = centi(step.Free), true
			continue
		}
		f := centi(step.Free)
		if !started || f < free {
			if !started {
				// Nothing is free on day itself, so the service is limited from day.
				return 0, day
			}
			free, limiting = f, step.From
		}
	}
	return free, limiting
}

// rateOn returns the rate in force on day, preferring the one that started most recently.
func (s *Service) rateOn(day Date) (pence int64, ok bool) {
	var from Date
	for i := range s.Rates {
		r := &s.Rates[i]
		if covers(r.From, r.To, day) && (!ok || r.From >= from) {
			pence, from, ok = r.Pence, r.From, true
		}
	}
	return pence, ok
}
