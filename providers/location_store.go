package providers

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
)

// locationRow is a row of provider_locations.
type locationRow struct {
	ID                 uuid.UUID `gorm:"column:id;type:uuid;primaryKey;default:gen_random_uuid()"`
	OrganisationID     uuid.UUID `gorm:"column:organisation_id;type:uuid"`
	Name               string    `gorm:"column:name"`
	CQCLocationID      *string   `gorm:"column:cqc_location_id"`
	Address            string    `gorm:"column:address"`
	Postcode           string    `gorm:"column:postcode"`
	Latitude           float64   `gorm:"column:latitude"`
	Longitude          float64   `gorm:"column:longitude"`
	CoordinatesSource  string    `gorm:"column:coordinates_source"`
	Telephone          string    `gorm:"column:telephone"`
	Website            string    `gorm:"column:website"`
	Email              string    `gorm:"column:email"`
	LocalAuthority     string    `gorm:"column:local_authority"`
	RegistrationStatus string    `gorm:"column:registration_status"`
	Rating             string    `gorm:"column:rating"`
	RatingDate         day.Date  `gorm:"column:rating_date"`
	LastInspectedOn    day.Date  `gorm:"column:last_inspected_on"`
	CreatedAt          time.Time `gorm:"column:created_at"`
	UpdatedAt          time.Time `gorm:"column:updated_at"`
}

func (locationRow) TableName() string { return "provider_locations" }

func (r locationRow) location() Location {
	return Location{
		ID: r.ID, OrganisationID: r.OrganisationID, Name: r.Name, CQCLocationID: deref(r.CQCLocationID),
		Address: r.Address, Postcode: r.Postcode, Latitude: r.Latitude, Longitude: r.Longitude,
		CoordinatesSource: r.CoordinatesSource, Telephone: r.Telephone, Website: r.Website, Email: r.Email,
		LocalAuthority: r.LocalAuthority, RegistrationStatus: RegistrationStatus(r.RegistrationStatus),
		Rating: Rating(r.Rating), RatingDate: r.RatingDate, LastInspectedOn: r.LastInspectedOn,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
}

// serviceRow is a row of provider_services.
type serviceRow struct {
	ID                uuid.UUID `gorm:"column:id;type:uuid;primaryKey;default:gen_random_uuid()"`
	LocationID        uuid.UUID `gorm:"column:location_id;type:uuid"`
	OrganisationID    uuid.UUID `gorm:"column:organisation_id;type:uuid"`
	ServiceType       string    `gorm:"column:service_type"`
	Status            string    `gorm:"column:status"`
	StatusReason      string    `gorm:"column:status_reason"`
	Description       string    `gorm:"column:description"`
	CoverageRadiusKm  *float64  `gorm:"column:coverage_radius_km"`
	CoverageDistricts textArray `gorm:"column:coverage_districts"`
	Specialisms       textArray `gorm:"column:specialisms"`
	Languages         textArray `gorm:"column:languages"`
	CarerGenders      textArray `gorm:"column:carer_genders"`
	CreatedAt         time.Time `gorm:"column:created_at"`
	UpdatedAt         time.Time `gorm:"column:updated_at"`
}

func (serviceRow) TableName() string { return "provider_services" }

func newServiceRow(loc locationRow, t ServiceType) serviceRow {
	return serviceRow{
		LocationID: loc.ID, OrganisationID: loc.OrganisationID, ServiceType: string(t), Status: string(ServiceActive),
		CoverageDistricts: textArray{}, Specialisms: textArray{}, Languages: textArray{}, CarerGenders: textArray{},
	}
}

func createService(tx *gorm.DB, row *serviceRow) error {
	return tx.Omit("id", "created_at", "updated_at").Create(row).Error
}

// locate works out a location's coordinates: from the postcode lookup,
// falling back to the coordinates given. It returns Invalid naming
// "postcode" when neither is available.
func locate(ctx context.Context, db *gorm.DB, postcode string, lat, lon *float64) (float64, float64, string, error) {
	glat, glon, found, err := geocode(ctx, db, postcode)
	switch {
	case err != nil:
		return 0, 0, "", err
	case found:
		return glat, glon, FromPostcodeLookup, nil
	case lat != nil && lon != nil:
		return *lat, *lon, FromGivenPoint, nil
	}
	return 0, 0, "", errs.InvalidField("postcode", "%s is not in the postcode lookup; give latitude and longitude", postcode)
}

// CreateLocation adds a location and its services to an organisation. A
// provider user may add only to its own organisation. The coordinates come
// from the postcode lookup, falling back to those given. It returns Invalid
// naming the field (a bad postcode, latitude out of range, an unknown
// service type), NotFound for an organisation the actor may not see, and
// Conflict when the CQC location id (or the name at that postcode) is
// already in the directory.
func (s *Store) CreateLocation(ctx context.Context, a accounts.Actor, n NewLocation) (Location, []Service, error) {
	if err := n.Validate(); err != nil {
		return Location{}, nil, err
	}
	if err := mayEdit(a, n.OrganisationID); err != nil {
		return Location{}, nil, err
	}
	if _, err := s.Organisation(ctx, n.OrganisationID); err != nil {
		return Location{}, nil, &errs.Error{Code: errs.NotFound, Field: "organisation_id", Message: "no such provider"}
	}
	var loc locationRow
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		lat, lon, source, err := locate(ctx, db, n.Postcode, n.Latitude, n.Longitude)
		if err != nil {
			return err
		}
		status := Registered
		if n.CQCLocationID == "" {
			status = NotRegistered
		}
		loc = locationRow{
			OrganisationID: n.OrganisationID, Name: n.Name, CQCLocationID: nullIfEmpty(n.CQCLocationID), Address: n.Address,
			Postcode: n.Postcode, Latitude: lat, Longitude: lon, CoordinatesSource: source, Telephone: n.Telephone,
			Website: n.Website, LocalAuthority: n.LocalAuthority, RegistrationStatus: string(status), Rating: string(NotYetRated),
		}
		if err := db.Omit("id", "created_at", "updated_at").Create(&loc).Error; err != nil {
			return err
		}
		for _, t := range n.ServiceTypes {
			row := newServiceRow(loc, t)
			if err := createService(db, &row); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "provider_location.create", ObjectType: "provider_location", ObjectID: loc.ID.String(), Summary: n})
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		field := "name"
		if postgres.ConstraintName(err) == "provider_locations_cqc_key" {
			field = "cqc_location_id"
		}
		return Location{}, nil, &errs.Error{Code: errs.Conflict, Field: field, Message: "this location is already in the directory"}
	}
	if err != nil {
		return Location{}, nil, postgres.Translate(err)
	}
	var stored locationRow
	if err := s.db.Gorm(ctx).Where("id = ?", loc.ID).Take(&stored).Error; err != nil {
		return Location{}, nil, postgres.Translate(err)
	}
	services, err := s.locationServices(ctx, loc.ID)
	return stored.location(), services, err
}

func (s *Store) locationServices(ctx context.Context, locationID uuid.UUID) ([]Service, error) {
	var recs []serviceRecord
	if err := s.db.Gorm(ctx).Raw(serviceSelect+` WHERE s.location_id = ? ORDER BY s.service_type`, locationID).Scan(&recs).Error; err != nil {
		return nil, postgres.Translate(err)
	}
	out := make([]Service, len(recs))
	for i := range recs {
		out[i] = recs[i].service()
	}
	return out, nil
}

// SetLocationRating records a location's CQC registration and rating.
// Only brokers and administrators may. It returns Invalid naming the
// field, NotFound for an unknown location.
func (s *Store) SetLocationRating(ctx context.Context, a accounts.Actor, locationID uuid.UUID, r LocationRating) (Location, error) {
	if err := mayManage(a); err != nil {
		return Location{}, err
	}
	if err := r.Validate(s.today()); err != nil {
		return Location{}, err
	}
	var loc locationRow
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		if err := db.Raw(`SELECT * FROM provider_locations WHERE id = ? FOR UPDATE`, locationID).Scan(&loc).Error; err != nil {
			return err
		}
		if loc.ID == uuid.Nil {
			return errs.NotFoundf("no such location")
		}
		before := LocationRating{RegistrationStatus: RegistrationStatus(loc.RegistrationStatus), Rating: Rating(loc.Rating), RatingDate: loc.RatingDate}
		loc.RegistrationStatus, loc.Rating, loc.RatingDate, loc.UpdatedAt = string(r.RegistrationStatus), string(r.Rating), r.RatingDate, s.clock()
		if err := db.Model(&locationRow{}).Where("id = ?", locationID).Updates(map[string]any{
			"registration_status": loc.RegistrationStatus, "rating": loc.Rating, "rating_date": r.RatingDate, "updated_at": loc.UpdatedAt,
		}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "provider_location.rate", ObjectType: "provider_location", ObjectID: locationID.String(),
			Summary: map[string]any{"before": before, "after": r}})
	})
	if err != nil {
		return Location{}, postgres.Translate(err)
	}
	return loc.location(), nil
}
