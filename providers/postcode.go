package providers

import (
	"regexp"
	"strings"

	"github.com/carebroker/carebroker/errs"
)

// ukPostcode matches a normalised UK postcode: the outward code (area,
// district) and the inward code (sector, unit), one space between. It
// follows the Royal Mail format rules: the area's first letter is never Q,
// V or X, its second never I, J or Z, and the unit's letters never C, I,
// K, M, O or V.
var ukPostcode = regexp.MustCompile(`^([A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) [0-9][ABD-HJLNP-UW-Z]{2}$`)

// ukDistrict matches a postcode district (the outward code), such as M14 or SK4.
var ukDistrict = regexp.MustCompile(`^([A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])$`)

// NormalisePostcode returns a UK postcode in its standard form (upper case,
// one space before the inward code: "m41 5bu" becomes "M41 5BU"), and
// whether it is a valid UK postcode.
func NormalisePostcode(s string) (string, bool) {
	compact := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if len(compact) < 5 || len(compact) > 7 {
		return "", false
	}
	pc := compact[:len(compact)-3] + " " + compact[len(compact)-3:]
	if pc == "GIR 0AA" || ukPostcode.MatchString(pc) {
		return pc, true
	}
	return "", false
}

// PostcodeDistrict returns the outward code of a normalised postcode
// ("M41 5BU" gives "M41"), or "" if pc has no space.
func PostcodeDistrict(pc string) string {
	out, _, ok := strings.Cut(pc, " ")
	if !ok {
		return ""
	}
	return out
}

// NormaliseDistrict returns a postcode district in upper case and whether
// it is one ("sk4" gives "SK4").
func NormaliseDistrict(s string) (string, bool) {
	d := strings.ToUpper(strings.TrimSpace(s))
	return d, ukDistrict.MatchString(d)
}

// The United Kingdom's bounds, a little widened: coordinates outside them
// are a mistake for a service an English council arranges.
const (
	minLatitude  = 49.0
	maxLatitude  = 61.0
	minLongitude = -9.0
	maxLongitude = 2.0
)

// checkCoordinates returns an Invalid error naming latField or lonField
// when the coordinates are not a place in the United Kingdom.
func checkCoordinates(latField, lonField string, lat, lon float64) error {
	switch {
	case !(lat >= -90 && lat <= 90):
		return errs.InvalidField(latField, "must be between -90 and 90 degrees, not %g", lat)
	case !(lon >= -180 && lon <= 180):
		return errs.InvalidField(lonField, "must be between -180 and 180 degrees, not %g", lon)
	case lat < minLatitude || lat > maxLatitude:
		return errs.InvalidField(latField, "%g is not in the United Kingdom (49 to 61 degrees north)", lat)
	case lon < minLongitude || lon > maxLongitude:
		return errs.InvalidField(lonField, "%g is not in the United Kingdom (9 degrees west to 2 degrees east)", lon)
	}
	return nil
}
