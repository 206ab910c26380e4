package plans

import (
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

// Person is someone care is arranged for. Practitioners see the people of
// their own team; a client user is bound to one person.
type Person struct {
	ID                 uuid.UUID  `json:"id"`
	Name               string     `json:"name"`
	DateOfBirth        day.Date   `json:"date_of_birth"`
	Address            string     `json:"address"`
	Postcode           string     `json:"postcode"`
	Latitude           *float64   `json:"latitude,omitempty"`
	Longitude          *float64   `json:"longitude,omitempty"`
	Team               string     `json:"team"`
	RepresentativeName string     `json:"representative_name"`
	ContactBy          ContactBy  `json:"contact_by"`
	ContactEmail       string     `json:"contact_email,omitempty"`
	CreatedBy          *uuid.UUID `json:"-"`
	CreatedAt          time.Time  `json:"created_at"`
}

// NewPerson is what a practitioner gives to record a person. The team is
// the practitioner's own.
type NewPerson struct {
	Name               string   `json:"name"`
	DateOfBirth        day.Date `json:"date_of_birth"`
	Address            string   `json:"address"`
	Postcode           string   `json:"postcode"`
	Latitude           *float64 `json:"latitude"`
	Longitude          *float64 `json:"longitude"`
	RepresentativeName string   `json:"representative_name"`
	// ContactBy is how the person (or their representative) wants to hear
	// about their care; "email" needs ContactEmail. Empty is "not_said".
	ContactBy    ContactBy `json:"contact_by"`
	ContactEmail string    `json:"contact_email"`
}

// ContactBy is how someone said they want to hear from us.
type ContactBy string

// The ways to hear. Only ContactByEmail sends email.
const (
	ContactNotSaid  ContactBy = "not_said"
	ContactByEmail  ContactBy = "email"
	ContactByPhone  ContactBy = "phone"
	ContactByLetter ContactBy = "letter"
)

var emailShape = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// validateContact tidies and checks a contact preference (Invalid naming
// contact_by or contact_email).
func validateContact(by *ContactBy, email *string) error {
	*email = strings.ToLower(strings.TrimSpace(*email))
	if *by == "" {
		*by = ContactNotSaid
	}
	switch *by {
	case ContactNotSaid, ContactByPhone, ContactByLetter:
		if *email != "" {
			return errs.InvalidField("contact_email", "give an email address only when contact_by is email")
		}
	case ContactByEmail:
		if !emailShape.MatchString(*email) || len(*email) > 254 {
			return errs.InvalidField("contact_email", "must be an email address like name@example.com when contact_by is email")
		}
	default:
		return errs.InvalidField("contact_by", "must be one of not_said, email, phone, letter")
	}
	return nil
}

var postcodeShape = regexp.MustCompile(`^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$`)

// NormalisePostcode upper-cases a UK postcode and puts the one space before
// the inward code: "m1 1ae" and "M11AE" become "M1 1AE".
func NormalisePostcode(s string) string {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if len(s) > 3 {
		s = s[:len(s)-3] + " " + s[len(s)-3:]
	}
	return s
}

// PostcodeDistrict is the outward part of a postcode ("M1" of "M1 1AE"):
// enough to say where someone lives without saying which street.
func PostcodeDistrict(postcode string) string {
	out, _, _ := strings.Cut(NormalisePostcode(postcode), " ")
	return out
}

// Validate tidies the new person and checks it against today, naming the
// first field that is wrong (Invalid).
func (n *NewPerson) Validate(today day.Date) error {
	n.Name = strings.TrimSpace(n.Name)
	n.Address = strings.TrimSpace(n.Address)
	n.RepresentativeName = strings.TrimSpace(n.RepresentativeName)
	n.Postcode = NormalisePostcode(n.Postcode)
	switch {
	case n.Name == "" || len(n.Name) > 200:
		return errs.InvalidField("name", "must be between 1 and 200 characters")
	case n.DateOfBirth.IsZero():
		return errs.InvalidField("date_of_birth", "is required, like 1948-03-21")
	case !n.DateOfBirth.Before(today):
		return errs.InvalidField("date_of_birth", "must be in the past")
	case n.DateOfBirth.Before(today.AddMonths(-12 * 125)):
		return errs.InvalidField("date_of_birth", "is more than 125 years ago")
	case n.Address == "" || len(n.Address) > 500:
		return errs.InvalidField("address", "must be between 1 and 500 characters")
	case !postcodeShape.MatchString(n.Postcode):
		return errs.InvalidField("postcode", "must be a UK postcode like M1 1AE")
	case (n.Latitude == nil) != (n.Longitude == nil):
		return errs.InvalidField("longitude", "give latitude and longitude together, or neither")
	case n.Latitude != nil && (*n.Latitude < 49.8 || *n.Latitude > 60.9):
		return errs.InvalidField("latitude", "must be in the United Kingdom (49.8 to 60.9)")
	case n.Longitude != nil && (*n.Longitude < -8.7 || *n.Longitude > 1.8):
		return errs.InvalidField("longitude", "must be in the United Kingdom (-8.7 to 1.8)")
	case len(n.RepresentativeName) > 200:
		return errs.InvalidField("representative_name", "must be at most 200 characters")
	}
	return validateContact(&n.ContactBy, &n.ContactEmail)
}
