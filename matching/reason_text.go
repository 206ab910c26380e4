package matching

import "strings"

// Text renders the reason in plain English for brokers and the people they work for, such as
// "£392.00 a week, £42.00 over the £350.00 budget", "CQC rating Inadequate" or
// "12.4 km away; covers 10 km".
func (r Reason) Text() string {
	switch r.Code {
	case CodeServiceTypeMismatch:
		return "provides " + lowerFirst(r.ServiceType.English()) + ", not " + lowerFirst(r.RequestedType.English())
	case CodeOutOfArea:
		return formatKm(r.DistanceKm) + " away; covers " + formatKm(r.RadiusKm)
	case CodeDistrictNotCovered:
		if r.PostcodeDistrict == "" {
			return "covers listed postcode districts only, and the person's district is not known"
		}
		return "does not cover postcode district " + r.PostcodeDistrict
	case CodeNoCapacity:
		when := "on " + r.Date.English()
		if !r.From.IsZero() {
			when = "from " + r.From.English()
		}
		return "no capacity " + when + " (needs " + formatAmount(centi(r.Needed), r.Unit) +
			", " + formatFree(r.Free) + " free)"
	case CodeNoRate:
		return "no rate in force on " + r.Date.English()
	case CodeNoFramework:
		return "not on a framework or contract on " + r.Date.English()
	case CodeContractNotActive:
		return "contract is " + string(r.ContractStatus) + ", not active"
	case CodeSuspended:
		return suspensionText(r)
	case CodeInsuranceExpired:
		return "insurance expired on " + r.Date.English()
	case CodeNoInsurance:
		s := "no accepted insurance evidence covers " + r.Date.English()
		if !r.From.IsZero() {
			s += "; the next cover starts on " + r.From.English()
		}
		return s
	case CodeServiceInactive:
		return "the service is no longer offered"
	case CodeNotCQCRegistered:
		return "not registered with the CQC"
	case CodeRatingNotAllowed:
		return "CQC rating " + r.Rating.English()
	case CodeOverBudget:
		s := FormatPence(r.WeeklyCostPence) + " a week, " + FormatPence(r.OverPence) + " over the " +
			FormatPence(r.BudgetPence) + " budget"
		if r.NeedsApproval {
			s += "; needs a budget approver to agree"
		}
		return s
	case CodeGenericAlternative:
		return "generic " + lowerFirst(r.ServiceType.English()) + ", considered before specialist services"
	case CodeLanguageNotOffered:
		return "does not offer " + r.Language
	case CodeCarerGenderUnavailable:
		return "no " + r.CarerGender + " carers"
	case CodeCulturalNeedUnmet:
		return "does not list " + r.Tag
	case CodeKnownProvider:
		return "the person already uses this provider"
	}
	return string(r.Code)
}

func suspensionText(r Reason) string {
	what := "suspended by the council"
	if r.Kind == "embargo" {
		what = "under a council embargo"
	}
	s := what + " from " + r.From.English()
	if r.To.IsZero() {
		s += " until further notice"
	} else {
		s += " to " + r.To.English()
	}
	if r.Note != "" {
		s += ": " + r.Note
	}
	return s
}

func formatFree(free float64) string {
	x := centi(free)
	s := formatAmount(x, UnitHours) // "12 hours a week"
	return s[:strings.IndexByte(s, ' ')]
}

// lowerFirst lowers the first letter of a service type's name for use mid-sentence.
func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}
