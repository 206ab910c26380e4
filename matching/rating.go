package matching

import (
	"encoding/json"
	"reflect"
)

// Rating is a Care Quality Commission rating. The zero value is RatingNotYetRated, which is what a
// newly registered service has.
type Rating uint8

// The CQC ratings.
const (
	RatingNotYetRated Rating = iota
	RatingOutstanding
	RatingGood
	RatingRequiresImprovement
	RatingInadequate
	numRatings = iota
)

var ratingCodes = [numRatings]string{"not_yet_rated", "outstanding", "good", "requires_improvement", "inadequate"}
var ratingEnglish = [numRatings]string{"Not yet rated", "Outstanding", "Good", "Requires improvement", "Inadequate"}

// Valid reports whether r is one of the ratings.
func (r Rating) Valid() bool { return r < numRatings }

// String returns the rating's code, such as "requires_improvement".
func (r Rating) String() string {
	if !r.Valid() {
		return "unknown"
	}
	return ratingCodes[r]
}

// English returns the rating as the CQC writes it, such as "Requires improvement".
func (r Rating) English() string {
	if !r.Valid() {
		return "unknown"
	}
	return ratingEnglish[r]
}

// ParseRating returns the rating with the given code.
func ParseRating(code string) (Rating, bool) {
	for r, c := range ratingCodes {
		if c == code {
			return Rating(r), true
		}
	}
	return 0, false
}

// MarshalJSON writes the rating's code.
func (r Rating) MarshalJSON() ([]byte, error) { return []byte(`"` + r.String() + `"`), nil }

// UnmarshalJSON reads a rating's code; "" and null mean not yet rated.
func (r *Rating) UnmarshalJSON(b []byte) error {
	var s string
	if string(b) == "null" {
		*r = RatingNotYetRated
		return nil
	}
	if err := json.Unmarshal(b, &s); err == nil {
		if s == "" {
			*r = RatingNotYetRated
			return nil
		}
		if parsed, ok := ParseRating(s); ok {
			*r = parsed
			return nil
		}
	}
	return &json.UnmarshalTypeError{Value: shorten(string(b)), Type: reflect.TypeFor[Rating]()}
}
