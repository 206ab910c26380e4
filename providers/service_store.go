package providers

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
)

// serviceRecord is one row of serviceSelect: a service with its location
// and its organisation's name.
type serviceRecord struct {
	ID                 uuid.UUID `gorm:"column:id"`
	LocationID         uuid.UUID `gorm:"column:location_id"`
	OrganisationID     uuid.UUID `gorm:"column:organisation_id"`
	ServiceType        string    `gorm:"column:service_type"`
	Status             string    `gorm:"column:status"`
	StatusReason       string    `gorm:"column:status_reason"`
	Description        string    `gorm:"column:description"`
	CoverageRadiusKm   *float64  `gorm:"column:coverage_radius_km"`
	CoverageDistricts  textArray `gorm:"column:coverage_districts"`
	Specialisms        textArray `gorm:"column:specialisms"`
	Languages          textArray `gorm:"column:languages"`
	CarerGenders       textArray `gorm:"column:carer_genders"`
	CreatedAt          time.Time `gorm:"column:created_at"`
	UpdatedAt          time.Time `gorm:"column:updated_at"`
	OrganisationName   string    `gorm:"column:organisation_name"`
	ContractStatus     string    `gorm:"column:contract_status"`
	LocName            string    `gorm:"column:l_name"`
	LocCQCID           *string   `gorm:"column:l_cqc_location_id"`
	LocAddress         string    `gorm:"column:l_address"`
	LocPostcode        string    `gorm:"column:l_postcode"`
	LocLatitude        float64   `gorm:"column:l_latitude"`
	LocLongitude       float64   `gorm:"column:l_longitude"`
	LocCoordSource     string    `gorm:"column:l_coordinates_source"`
	LocTelephone       string    `gorm:"column:l_telephone"`
	LocWebsite         string    `gorm:"column:l_website"`
	LocEmail           string    `gorm:"column:l_email"`
	LocLocalAuthority  string    `gorm:"column:l_local_authority"`
	LocRegistration    string    `gorm:"column:l_registration_status"`
	LocRating          string    `gorm:"column:l_rating"`
	LocRatingDate      day.Date  `gorm:"column:l_rating_date"`
	LocLastInspectedOn day.Date  `gorm:"column:l_last_inspected_on"`
	LocCreatedAt       time.Time `gorm:"column:l_created_at"`
	LocUpdatedAt       time.Time `gorm:"column:l_updated_at"`
}

// serviceSelect reads serviceRecords; callers add WHERE and ORDER BY.
const serviceSelect = `
SELECT s.id, s.location_id, s.organisation_id, s.service_type, s.status, s.status_reason, s.description,
       s.coverage_radius_km, s.coverage_districts, s.specialisms, s.languages, s.carer_genders,
       s.created_at, s.updated_at, o.name AS organisation_name, o.contract_status,
       l.name AS l_name, l.cqc_location_id AS l_cqc_location_id, l.address AS l_address, l.postcode AS l_postcode,
       l.latitude AS l_latitude, l.longitude AS l_longitude, l.coordinates_source AS l_coordinates_source,
       l.telephone AS l_telephone, l.website AS l_website, l.email AS l_email, l.local_authority AS l_local_authority,
       l.registration_status AS l_registration_status, l.rating AS l_rating, l.rating_date AS l_rating_date,
       l.last_inspected_on AS l_last_inspected_on, l.created_at AS l_created_at, l.updated_at AS l_updated_at
  FROM provider_services s
  JOIN provider_locations l ON l.id = s.location_id
  JOIN provider_organisations o ON o.id = s.organisation_id`

func (r *serviceRecord) location() Location {
	return Location{
		ID: r.LocationID, OrganisationID: r.OrganisationID, Name: r.LocName, CQCLocationID: deref(r.LocCQCID),
		Address: r.LocAddress, Postcode: r.LocPostcode, Latitude: r.LocLatitude, Longitude: r.LocLongitude,
		CoordinatesSource: r.LocCoordSource, Telephone: r.LocTelephone, Website: r.LocWebsite, Email: r.LocEmail,
		LocalAuthority: r.LocLocalAuthority, RegistrationStatus: RegistrationStatus(r.LocRegistration),
		Rating: Rating(r.LocRating), RatingDate: r.LocRatingDate, LastInspectedOn: r.LocLastInspectedOn,
		CreatedAt: r.LocCreatedAt.UTC(), UpdatedAt: r.LocUpdatedAt.UTC(),
	}
}

func (r *serviceRecord) coverage() Coverage {
	c := Coverage{PostcodeDistricts: []string(r.CoverageDistricts)}
	if r.CoverageRadiusKm != nil {
		c.RadiusKm = *r.CoverageRadiusKm
	}
	if len(c.PostcodeDistricts) == 0 {
		c.PostcodeDistricts = nil
	}
	return c
}

func (r *serviceRecord) service() Service {
	return Service{
		ID: r.ID, LocationID: r.LocationID, OrganisationID: r.OrganisationID, ServiceType: ServiceType(r.ServiceType),
		Status: ServiceStatus(r.Status), StatusReason: r.StatusReason, Description: r.Description,
		Coverage: r.coverage(), Specialisms: nonNil(r.Specialisms), Languages: nonNil(r.Languages),
		CarerGenders: nonNil(r.CarerGenders), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		Location: r.location(), OrganisationName: r.OrganisationName,
	}
}

func (r *serviceRecord) candidate() Candidate {
	loc := r.location()
	t := ServiceType(r.ServiceType)
	return Candidate{
		ServiceID: r.ID, ServiceType: t, Status: ServiceStatus(r.Status),
		OrganisationID: r.OrganisationID, OrganisationName: r.OrganisationName,
		LocationID: r.LocationID, LocationName: loc.Name, CQCLocationID: loc.CQCLocationID,
		Postcode: loc.Postcode, PostcodeDistrict: PostcodeDistrict(loc.Postcode),
		Latitude: loc.Latitude, Longitude: loc.Longitude, Coverage: r.coverage(),
		RegistrationStatus: loc.RegistrationStatus, Rating: loc.Rating, RatingDate: loc.RatingDate,
		Languages: nonNil(r.Languages), CarerGenders: nonNil(r.CarerGenders), Specialisms: nonNil(r.Specialisms),
		Capacity: []CapacityStep{}, Rates: []Rate{},
		Compliance: Compliance{
			ContractStatus: ContractStatus(r.ContractStatus), Memberships: []Membership{},
			InsuranceCover: []InsuranceCover{}, Suspensions: []Suspension{}, RequiresCQC: requiresCQC(t),
		},
	}
}

func nonNil(a textArray) []string {
	if a == nil {
		return []string{}
	}
	return []string(a)
}

// Service returns the service with the given id, with its location. It
// returns NotFound if there is none. It does not check who is asking: use
// ServiceFor on behalf of a person.
func (s *Store) Service(ctx context.Context, id uuid.UUID) (Service, error) {
	return s.service(ctx, s.db.Gorm(ctx), id)
}

func (s *Store) service(ctx context.Context, db *gorm.DB, id uuid.UUID) (Service, error) {
	var recs []serviceRecord
	if err := db.WithContext(ctx).Raw(serviceSelect+` WHERE s.id = ?`, id).Scan(&recs).Error; err != nil {
		return Service{}, postgres.Translate(err)
	}
	if len(recs) == 0 {
		return Service{}, errs.NotFoundf("no such service")
	}
	return recs[0].service(), nil
}

// OrganisationServices returns an organisation's services (active and
// inactive) by location name and type.
func (s *Store) OrganisationServices(ctx context.Context, orgID uuid.UUID) ([]Service, error) {
	var recs []serviceRecord
	err := s.db.Gorm(ctx).Raw(serviceSelect+` WHERE s.organisation_id = ? ORDER BY l.name, l.id, s.service_type`, orgID).Scan(&recs).Error
	if err != nil {
		return nil, postgres.Translate(err)
	}
	out := make([]Service, len(recs))
	for i := range recs {
		out[i] = recs[i].service()
	}
	return out, nil
}

// ServiceFor returns the service if the actor may see it; another
// provider's service is NotFound.
func (s *Store) ServiceFor(ctx context.Context, a accounts.Actor, id uuid.UUID) (Service, error) {
	return s.serviceFor(ctx, a, id)
}

func (s *Store) serviceFor(ctx context.Context, a accounts.Actor, id uuid.UUID) (Service, error) {
	svc, err := s.service(ctx, s.db.Gorm(ctx), id)
	if errs.Is(err, errs.NotFound) {
		return Service{}, errs.NotFoundf("no such service, or it is not yours")
	}
	if err != nil {
		return Service{}, err
	}
	if err := mayRead(a, svc.OrganisationID); err != nil {
		if errs.Is(err, errs.NotFound) {
			return Service{}, errs.NotFoundf("no such service, or it is not yours")
		}
		return Service{}, err
	}
	return svc, nil
}
