package providers

import (
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

// RegistrationStatus is a location's standing with the Care Quality Commission.
type RegistrationStatus string

// The registration statuses.
const (
	Registered    RegistrationStatus = "registered"
	Deregistered  RegistrationStatus = "deregistered"
	NotRegistered RegistrationStatus = "not_registered" // a service that needs no CQC registration
)

// Valid reports whether r is one of the registration statuses.
func (r RegistrationStatus) Valid() bool {
	return r == Registered || r == Deregistered || r == NotRegistered
}

// Rating is a CQC rating: the one rating of the directory, the brokerage
// workflow and the pages. The matching engine keeps its own
// (matching.Rating), with the same codes; brokerage converts in one place.
type Rating string

// The CQC ratings.
const (
	NotYetRated         Rating = "not_yet_rated"
	Outstanding         Rating = "outstanding"
	Good                Rating = "good"
	RequiresImprovement Rating = "requires_improvement"
	Inadequate          Rating = "inadequate"
)

// Valid reports whether r is one of the ratings.
func (r Rating) Valid() bool {
	switch r {
	case NotYetRated, Outstanding, Good, RequiresImprovement, Inadequate:
		return true
	}
	return false
}

// English returns the rating as the CQC writes it.
func (r Rating) English() string {
	switch r {
	case Outstanding:
		return "Outstanding"
	case Good:
		return "Good"
	case RequiresImprovement:
		return "Requires improvement"
	case Inadequate:
		return "Inadequate"
	}
	return "Not yet rated"
}

// Where the coordinates of a location came from.
const (
	FromPostcodeLookup = "postcode_lookup"
	FromGivenPoint     = "given"
)

// Location is a place a provider runs services from: a CQC location, or a
// place known by its name and postcode where the source has no CQC id.
type Location struct {
	ID                 uuid.UUID          `json:"id"`
	OrganisationID     uuid.UUID          `json:"organisation_id"`
	Name               string             `json:"name"`
	CQCLocationID      string             `json:"cqc_location_id,omitempty"`
	Address            string             `json:"address"`
	Postcode           string             `json:"postcode"`
	Latitude           float64            `json:"latitude"`
	Longitude          float64            `json:"longitude"`
	CoordinatesSource  string             `json:"coordinates_source"`
	Telephone          string             `json:"telephone,omitempty"`
	Website            string             `json:"website,omitempty"`
	Email              string             `json:"email,omitempty"`
	LocalAuthority     string             `json:"local_authority,omitempty"`
	RegistrationStatus RegistrationStatus `json:"registration_status"`
	Rating             Rating             `json:"rating"`
	RatingDate         day.Date           `json:"rating_date"`
	LastInspectedOn    day.Date           `json:"last_inspected_on"`
	CreatedAt          time.Time          `json:"created_at"`
	UpdatedAt          time.Time          `json:"updated_at"`
}

// NewLocation is what a provider (for its own organisation) or an
// administrator gives to add a location with its services. Latitude and
// longitude are used only when the postcode is not in the postcode lookup.
type NewLocation struct {
	OrganisationID uuid.UUID     `json:"organisation_id"`
	Name           string        `json:"name"`
	CQCLocationID  string        `json:"cqc_location_id,omitempty"`
	Address        string        `json:"address"`
	Postcode       string        `json:"postcode"`
	Latitude       *float64      `json:"latitude,omitempty"`
	Longitude      *float64      `json:"longitude,omitempty"`
	Telephone      string        `json:"telephone,omitempty"`
	Website        string        `json:"website,omitempty"`
	LocalAuthority string        `json:"local_authority,omitempty"`
	ServiceTypes   []ServiceType `json:"service_types"`
}

// Validate normalises the input and returns Invalid naming the first wrong
// field.
func (n *NewLocation) Validate() error {
	n.Name = strings.TrimSpace(n.Name)
	n.Address = strings.TrimSpace(n.Address)
	n.CQCLocationID = strings.TrimSpace(n.CQCLocationID)
	n.LocalAuthority = strings.TrimSpace(n.LocalAuthority)
	if n.OrganisationID == uuid.Nil {
		return errs.InvalidField("organisation_id", "is required")
	}
	if n.Name == "" || len(n.Name) > 300 {
		return errs.InvalidField("name", "must be between 1 and 300 characters")
	}
	if n.CQCLocationID != "" && !cqcID.MatchString(n.CQCLocationID) {
		return errs.InvalidField("cqc_location_id", "must be a CQC location id like 1-123456789")
	}
	if len(n.Address) > 500 {
		return errs.InvalidField("address", "must be at most 500 characters")
	}
	pc, ok := NormalisePostcode(n.Postcode)
	if !ok {
		return errs.InvalidField("postcode", "%q is not a UK postcode like M41 5BU", n.Postcode)
	}
	n.Postcode = pc
	if (n.Latitude == nil) != (n.Longitude == nil) {
		if n.Latitude == nil {
			return errs.InvalidField("latitude", "is required when longitude is given")
		}
		return errs.InvalidField("longitude", "is required when latitude is given")
	}
	if n.Latitude != nil {
		if err := checkCoordinates("latitude", "longitude", *n.Latitude, *n.Longitude); err != nil {
			return err
		}
	}
	if n.Telephone != "" {
		p, ok := NormalisePhone(n.Telephone)
		if !ok {
			return errs.InvalidField("telephone", "must be a UK telephone number like 0161 123 4567")
		}
		n.Telephone = p
	}
	if n.Website = strings.TrimSpace(n.Website); n.Website != "" && !validWebsite(n.Website) {
		return errs.InvalidField("website", "must be a web address starting http:// or https://")
	}
	if len(n.ServiceTypes) == 0 {
		return errs.InvalidField("service_types", "must name at least one service type")
	}
	seen := map[ServiceType]bool{}
	for i, t := range n.ServiceTypes {
		if !t.Valid() {
			return errs.InvalidField(indexed("service_types", i), "%q is not a service type; use one of %s", string(t), ServiceTypeCodes())
		}
		if seen[t] {
			return errs.InvalidField(indexed("service_types", i), "%s is listed twice", t)
		}
		seen[t] = true
	}
	return nil
}

// LocationRating is what an administrator records from a CQC inspection.
type LocationRating struct {
	RegistrationStatus RegistrationStatus `json:"registration_status"`
	Rating             Rating             `json:"rating"`
	RatingDate         day.Date           `json:"rating_date"`
}

// Validate returns Invalid naming the first wrong field.
func (r *LocationRating) Validate(today day.Date) error {
	if !r.RegistrationStatus.Valid() {
		return errs.InvalidField("registration_status", "must be one of registered, deregistered, not_registered")
	}
	if !r.Rating.Valid() {
		return errs.InvalidField("rating", "must be one of not_yet_rated, outstanding, good, requires_improvement, inadequate")
	}
	if (r.Rating == NotYetRated) != r.RatingDate.IsZero() {
		return errs.InvalidField("rating_date", "is required with a rating, and only with one")
	}
	if r.RatingDate.After(today) {
		return errs.InvalidField("rating_date", "must not be in the future")
	}
	return nil
}
