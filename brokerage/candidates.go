package brokerage

import (
	"slices"
	"strings"

	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/matching"
	"github.com/carebroker/carebroker/plans"
	"github.com/carebroker/carebroker/providers"
)

// The adapters between the directory's words and the matching engine's:
// the one place a providers.ServiceType, providers.Rating,
// providers.ContractStatus or day.Date becomes the engine's, and where the
// engine's answers about contracts are worded back (markNoContract).

// engineServiceType converts a service type; ok is false for a code the
// engine does not know.
func engineServiceType(t providers.ServiceType) (matching.ServiceType, bool) {
	return matching.ParseServiceType(string(t))
}

// engineRating converts a CQC rating; ok is false for a code the engine
// does not know.
func engineRating(r providers.Rating) (matching.Rating, bool) {
	return matching.ParseRating(string(r))
}

// engineContractStatus converts a contract status. The engine knows no
// "none": a provider without a contract is one whose contract is not
// active, as an expired one is; markNoContract words it properly.
func engineContractStatus(c providers.ContractStatus) matching.ContractStatus {
	if c == providers.ContractNone {
		return matching.ContractExpired
	}
	return matching.ContractStatus(c)
}

// noContractStatus marks, in the engine's reasons, a provider the council
// has no contract with; explain words it "no contract with the council".
const noContractStatus matching.ContractStatus = "none"

// markNoContract words the contract reason of a provider the council has
// no contract with at all, which the engine knows only as "not active".
func markNoContract(reasons []matching.Reason) {
	for i := range reasons {
		if reasons[i].Code == matching.CodeContractNotActive {
			reasons[i].ContractStatus = noContractStatus
		}
	}
}

// engineDate converts a day; the zero day stays "no date".
func engineDate(d day.Date) matching.Date {
	if d.IsZero() {
		return 0
	}
	return matching.DateOf(d.Year, int(d.Month), d.Day)
}

func laterDay(a, b day.Date) day.Date {
	if a.After(b) {
		return a
	}
	return b
}

// earlierEnd returns the earlier of two span ends, zero meaning open-ended.
func earlierEnd(a, b day.Date) day.Date {
	switch {
	case a.IsZero():
		return b
	case b.IsZero() || a.Before(b):
		return a
	}
	return b
}

// engineService converts a directory candidate into the engine's Service.
// ok is false for a candidate the engine cannot use (an unknown type or
// rating); the caller leaves it out and says so.
func engineService(c providers.Candidate) (matching.Service, bool) {
	st, ok := engineServiceType(c.ServiceType)
	if !ok {
		return matching.Service{}, false
	}
	compliance, ok := engineCompliance(c)
	if !ok {
		return matching.Service{}, false
	}
	s := matching.Service{
		ID: c.ServiceID.String(), ProviderID: c.OrganisationID.String(), Name: c.LocationName, ServiceType: st,
		Lat: c.Latitude, Lon: c.Longitude,
		Coverage:     matching.Coverage{RadiusKm: c.Coverage.RadiusKm, PostcodeDistricts: c.Coverage.PostcodeDistricts},
		Languages:    c.Languages,
		CarerGenders: c.CarerGenders,
		Tags:         c.Specialisms,
		CaresFor:     c.Specialisms,
		Compliance:   compliance,
	}
	for _, step := range c.Capacity {
		s.Capacity = append(s.Capacity, matching.CapacityStep{From: engineDate(step.From), Free: float64(max(step.Free, 0))})
	}
	for _, r := range c.Rates {
		s.Rates = append(s.Rates, matching.Rate{Pence: r.Pence, From: engineDate(r.ValidFrom), To: engineDate(r.ValidTo)})
	}
	if s.Validate() != nil {
		return matching.Service{}, false
	}
	return s, true
}

// engineCompliance converts a candidate's standing into the engine's
// Compliance: the one place the directory's compliance facts become the
// matcher's, for matching and for eligibility alike. ok is false for a
// rating the engine does not know.
func engineCompliance(c providers.Candidate) (matching.Compliance, bool) {
	rating, ok := engineRating(c.Rating)
	if !ok {
		return matching.Compliance{}, false
	}
	out := matching.Compliance{
		Inactive:       c.Status != providers.ServiceActive,
		ContractStatus: engineContractStatus(c.Compliance.ContractStatus),
		// A service that needs no CQC registration (day services) is not
		// held to it, unless the CQC has deregistered it.
		CQCRegistered: c.RegistrationStatus == providers.Registered ||
			(!c.Compliance.RequiresCQC && c.RegistrationStatus != providers.Deregistered),
		CQCRating: rating,
	}
	for _, m := range c.Compliance.Memberships {
		if !m.Covers(c.ServiceType) {
			continue // a lot for other service types
		}
		from := laterDay(m.StartsOn, m.FrameworkStartsOn)
		to := earlierEnd(m.EndsOn, m.FrameworkEndsOn)
		if !to.IsZero() && to.Before(from) {
			continue // the membership and its framework never overlap
		}
		out.Memberships = append(out.Memberships, matching.Membership{
			Kind: string(m.Kind), Name: strings.TrimSpace(m.FrameworkName + " " + m.LotName), From: engineDate(from), To: engineDate(to),
		})
	}
	for _, sus := range c.Compliance.Suspensions {
		out.Suspensions = append(out.Suspensions, matching.Suspension{
			Kind: sus.Kind, From: engineDate(sus.StartsOn), To: engineDate(sus.EndsOn), Reason: sus.Reason,
		})
	}
	for _, cover := range c.Compliance.InsuranceCover {
		out.Insurance = append(out.Insurance, matching.Cover{From: engineDate(cover.From), To: engineDate(cover.To)})
	}
	return out, true
}

// engineRequest converts a request, at the given coordinates, into the
// engine's Request. Over-budget services stay in the ranking, flagged, so a
// budget approver can agree to them. The needs written on the request, one per
// comma-separated item, are care needs when they name one of the directory's
// specialisms ("dementia", "learning disability"): a service must say it meets
// every one. The rest (halal food, a faith) are preferences, matched against
// the services' specialisms and tags.
func engineRequest(r Request, lat, lon float64) (matching.Request, bool) {
	st, ok := engineServiceType(r.ServiceType)
	if !ok {
		return matching.Request{}, false
	}
	mr := matching.Request{
		ID: r.ID.String(), ServiceType: st, Hours: float64(r.HoursPerWeek), Places: r.Places, Lat: lat, Lon: lon,
		PostcodeDistrict: plans.PostcodeDistrict(r.Postcode), StartDate: engineDate(r.StartDate), BudgetPence: r.BudgetWeeklyPence,
		AllowOverBudget: true, SelfFunded: r.Funding == SelfFunded,
		Preferences: matching.Preferences{Language: r.Preferences.Language, CarerGender: r.Preferences.CarerGender},
	}
	for _, tag := range strings.Split(r.Preferences.CulturalNeeds, ",") {
		tag = strings.TrimSpace(tag)
		if need := strings.ReplaceAll(strings.ToLower(tag), " ", "_"); slices.Contains(providers.Specialisms, need) {
			mr.CareNeeds = append(mr.CareNeeds, need)
		} else if tag != "" {
			mr.Preferences.CulturalTags = append(mr.Preferences.CulturalTags, tag)
		}
	}
	return mr, true
}
