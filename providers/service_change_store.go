package providers

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

// ChangeService applies a provider's changes to its service: description,
// coverage, specialisms, languages, carer genders. It returns Invalid
// naming the field, NotFound for a service the actor may not see, and
// Forbidden for a role that may not change it.
func (s *Store) ChangeService(ctx context.Context, a accounts.Actor, serviceID uuid.UUID, c ServiceChanges) (Service, error) {
	if err := c.Validate(); err != nil {
		return Service{}, err
	}
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		svc, err := lockService(ctx, db, serviceID)
		if err != nil {
			return err
		}
		if err := mayEdit(a, svc.OrganisationID); err != nil {
			if errs.Is(err, errs.NotFound) {
				return errs.NotFoundf("no such service, or it is not yours")
			}
			return err
		}
		before, err := s.service(ctx, db, serviceID)
		if err != nil {
			return err
		}
		cols := map[string]any{"updated_at": s.clock()}
		changed := map[string]any{}
		if c.Description != nil {
			cols["description"], changed["description"] = *c.Description, *c.Description
		}
		if c.Coverage != nil {
			var radius *float64
			if c.Coverage.RadiusKm > 0 {
				radius = &c.Coverage.RadiusKm
			}
			cols["coverage_radius_km"], cols["coverage_districts"] = radius, textArray(nonNilStrings(c.Coverage.PostcodeDistricts))
			changed["coverage"] = map[string]any{"before": before.Coverage, "after": c.Coverage}
		}
		if c.Specialisms != nil {
			cols["specialisms"] = textArray(*c.Specialisms)
			changed["specialisms"] = map[string]any{"before": before.Specialisms, "after": *c.Specialisms}
		}
		if c.Languages != nil {
			cols["languages"] = textArray(*c.Languages)
			changed["languages"] = map[string]any{"before": before.Languages, "after": *c.Languages}
		}
		if c.CarerGenders != nil {
			cols["carer_genders"] = textArray(*c.CarerGenders)
			changed["carer_genders"] = map[string]any{"before": before.CarerGenders, "after": *c.CarerGenders}
		}
		if err := db.Model(&serviceRow{}).Where("id = ?", serviceID).Updates(cols).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "provider_service.change", ObjectType: "provider_service", ObjectID: serviceID.String(), Summary: changed})
	})
	if err != nil {
		return Service{}, postgres.Translate(err)
	}
	return s.Service(ctx, serviceID)
}

func nonNilStrings(a []string) []string {
	if a == nil {
		return []string{}
	}
	return a
}

// NewService adds a service type at an existing location.
type NewService struct {
	ServiceType ServiceType `json:"service_type"`
}

// AddService adds a service type at a location, or offers again one that
// was inactive. It returns Invalid naming "service_type" for an unknown
// type, NotFound for a location the actor may not see, and Conflict when
// the location already offers that type.
func (s *Store) AddService(ctx context.Context, a accounts.Actor, locationID uuid.UUID, n NewService) (Service, error) {
	if !n.ServiceType.Valid() {
		return Service{}, errs.InvalidField("service_type", "%q is not a service type; use one of %s", string(n.ServiceType), ServiceTypeCodes())
	}
	var id uuid.UUID
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		var loc locationRow
		if err := db.Raw(`SELECT * FROM provider_locations WHERE id = ? FOR UPDATE`, locationID).Scan(&loc).Error; err != nil {
			return err
		}
		if loc.ID == uuid.Nil {
			return errs.NotFoundf("no such location, or it is not yours")
		}
		if err := mayEdit(a, loc.OrganisationID); err != nil {
			if errs.Is(err, errs.NotFound) {
				return errs.NotFoundf("no such location, or it is not yours")
			}
			return err
		}
		var existing serviceRow
		err := db.Where("location_id = ? AND service_type = ?", locationID, n.ServiceType).Take(&existing).Error
		switch {
		case err == nil && existing.Status == string(ServiceActive):
			return &errs.Error{Code: errs.Conflict, Field: "service_type", Message: "this location already offers " + n.ServiceType.English()}
		case err == nil:
			id = existing.ID
			if err := db.Model(&serviceRow{}).Where("id = ?", id).Updates(map[string]any{"status": ServiceActive, "status_reason": "", "updated_at": s.clock()}).Error; err != nil {
				return err
			}
		case errors.Is(err, gorm.ErrRecordNotFound):
			row := newServiceRow(loc, n.ServiceType)
			if err := createService(db, &row); err != nil {
				return err
			}
			id = row.ID
		default:
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "provider_service.add", ObjectType: "provider_service", ObjectID: id.String(),
			Summary: map[string]any{"location_id": locationID, "service_type": n.ServiceType}})
	})
	if err != nil {
		return Service{}, postgres.Translate(err)
	}
	return s.Service(ctx, id)
}
