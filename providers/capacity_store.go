package providers

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
)

// capacityRow is a row of provider_capacity.
type capacityRow struct {
	ServiceID     uuid.UUID  `gorm:"column:service_id;type:uuid;primaryKey"`
	FromDate      day.Date   `gorm:"column:from_date;primaryKey"`
	Units         int        `gorm:"column:units"`
	ReservedUnits int        `gorm:"column:reserved_units"`
	UpdatedAt     time.Time  `gorm:"column:updated_at"`
	UpdatedBy     *uuid.UUID `gorm:"column:updated_by;type:uuid"`
}

func (capacityRow) TableName() string { return "provider_capacity" }

func (r capacityRow) step() CapacityStep {
	return CapacityStep{From: r.FromDate, Units: r.Units, Reserved: r.ReservedUnits, Free: r.Units - r.ReservedUnits}
}

// lockedService is the service row locked FOR UPDATE: every change to a
// service's calendar or rates takes this lock first, so they queue up per
// service and each sees the others' committed rows.
type lockedService struct {
	ID             uuid.UUID `gorm:"column:id"`
	OrganisationID uuid.UUID `gorm:"column:organisation_id"`
	ServiceType    string    `gorm:"column:service_type"`
	Status         string    `gorm:"column:status"`
}

func lockService(ctx context.Context, tx *gorm.DB, id uuid.UUID) (lockedService, error) {
	var rows []lockedService
	err := tx.WithContext(ctx).Raw(`SELECT id, organisation_id, service_type, status FROM provider_services WHERE id = ? FOR UPDATE`, id).Scan(&rows).Error
	if err != nil {
		return lockedService{}, postgres.Translate(err)
	}
	if len(rows) == 0 {
		return lockedService{}, errs.NotFoundf("no such service")
	}
	return rows[0], nil
}

// ReserveCapacity takes units (hours a week or places) of the service's
// capacity from day from onwards, inside the caller's transaction tx. It
// locks the service and its capacity rows in effect from `from` onwards
// (SELECT ... FOR UPDATE), starts a calendar step on `from` if none starts
// there (a copy of the step in force), and adds units to reserved_units of
// that step and every later one: reservations are open-ended because care
// continues after its start date. It returns Invalid for units below 1,
// NotFound for an unknown service, and Conflict naming the first date with
// too little free capacity (or none recorded); the CHECK constraint on the
// table refuses over-commitment even if this code were wrong, and that is
// reported as Conflict too.
func (s *Store) ReserveCapacity(ctx context.Context, tx *postgres.Tx, serviceID uuid.UUID, from day.Date, units int) error {
	if units < 1 {
		return errs.InvalidField("units", "must be at least 1 to reserve")
	}
	return s.changeReserved(ctx, tx, serviceID, from, units)
}

// ReleaseCapacity gives back units reserved from day from onwards, inside
// the caller's transaction tx: the inverse of ReserveCapacity with the same
// arguments. It returns Invalid for units below 1, NotFound for an unknown
// service, and Conflict when fewer units than that are reserved from `from`.
func (s *Store) ReleaseCapacity(ctx context.Context, tx *postgres.Tx, serviceID uuid.UUID, from day.Date, units int) error {
	if units < 1 {
		return errs.InvalidField("units", "must be at least 1 to release")
	}
	return s.changeReserved(ctx, tx, serviceID, from, -units)
}

func (s *Store) changeReserved(ctx context.Context, tx *postgres.Tx, serviceID uuid.UUID, from day.Date, delta int) error {
	db := tx.Gorm(ctx)
	if from.IsZero() {
		return errs.InvalidField("from", "is required")
	}
	svc, err := lockService(ctx, db, serviceID)
	if err != nil {
		return err
	}
	var rows []capacityRow
	err = db.Raw(`SELECT * FROM provider_capacity WHERE service_id = ? AND from_date >= COALESCE(
			(SELECT max(from_date) FROM provider_capacity WHERE service_id = ? AND from_date <= ?), ?)
		ORDER BY from_date FOR UPDATE`, serviceID, serviceID, from, from).Scan(&rows).Error
	if err != nil {
		return postgres.Translate(err)
	}
	unit := ServiceType(svc.ServiceType).Unit()
	if delta > 0 && svc.Status != string(ServiceActive) {
		return errs.Conflictf("the service is no longer offered; its capacity cannot be reserved")
	}
	if len(rows) == 0 || rows[0].FromDate.After(from) {
		if delta > 0 {
			return errs.Conflictf("no capacity is recorded for this service on %s", from.UK())
		}
		return errs.Conflictf("nothing is reserved for this service on %s", from.UK())
	}
	for _, r := range rows {
		after := r.ReservedUnits + delta
		switch {
		case after > r.Units:
			return errs.Conflictf("only %d %s free from %s; %d needed", r.Units-r.ReservedUnits, unit, laterOf(r.FromDate, from).UK(), delta)
		case after < 0:
			return errs.Conflictf("only %d %s are reserved from %s; cannot release %d", r.ReservedUnits, unit, laterOf(r.FromDate, from).UK(), -delta)
		}
	}
	if rows[0].FromDate.Before(from) {
		// Start a step on `from`, so the days before it keep their capacity free.
		split := capacityRow{ServiceID: serviceID, FromDate: from, Units: rows[0].Units, ReservedUnits: rows[0].ReservedUnits, UpdatedAt: s.clock()}
		if err := db.Create(&split).Error; err != nil {
			return postgres.Translate(err)
		}
	}
	err = db.Exec(`UPDATE provider_capacity SET reserved_units = reserved_units + ?, updated_at = now()
		WHERE service_id = ? AND from_date >= ?`, delta, serviceID, from).Error
	if errors.Is(err, gorm.ErrCheckConstraintViolated) && postgres.ConstraintName(err) == "provider_capacity_reserved_within" {
		return errs.Conflictf("the service does not have %d %s free from %s", delta, unit, from.UK())
	}
	if err != nil {
		return postgres.Translate(err)
	}
	action := "provider_capacity.reserve"
	if delta < 0 {
		action = "provider_capacity.release"
	}
	return audit.Record(ctx, tx, audit.Entry{
		Actor: accounts.SystemActor, Action: action, ObjectType: "provider_service", ObjectID: serviceID.String(),
		Summary: map[string]any{"from": from, "units": abs(delta), "unit": unit},
	})
}

func laterOf(a, b day.Date) day.Date {
	if a.After(b) {
		return a
	}
	return b
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// Capacity returns the service's capacity calendar in date order, if the
// actor may see the service (another provider's service is NotFound).
func (s *Store) Capacity(ctx context.Context, a accounts.Actor, serviceID uuid.UUID) ([]CapacityStep, error) {
	if _, err := s.serviceFor(ctx, a, serviceID); err != nil {
		return nil, err
	}
	return s.capacity(ctx, s.db.Gorm(ctx), serviceID)
}

func (s *Store) capacity(ctx context.Context, db *gorm.DB, serviceID uuid.UUID) ([]CapacityStep, error) {
	var rows []capacityRow
	if err := db.WithContext(ctx).Where("service_id = ?", serviceID).Order("from_date").Find(&rows).Error; err != nil {
		return nil, postgres.Translate(err)
	}
	steps := make([]CapacityStep, len(rows))
	for i, r := range rows {
		steps[i] = r.step()
	}
	return steps, nil
}

// SetCapacity records how much the service has from a day: it sets the
// step starting on c.From, or adds one carrying the reservations in force
// then. It never lets units fall below what is already reserved. It returns
// Invalid naming the field, NotFound for a service the actor may not see,
// Forbidden for a role that may not change it, and Conflict (field
// "units") when units would fall below the reserved amount.
func (s *Store) SetCapacity(ctx context.Context, a accounts.Actor, serviceID uuid.UUID, c CapacityChange) ([]CapacityStep, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	var steps []CapacityStep
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		svc, err := lockService(ctx, db, serviceID)
		if err != nil {
			return err
		}
		if err := mayEdit(a, svc.OrganisationID); err != nil {
			return err
		}
		if svc.Status != string(ServiceActive) {
			return errs.Conflictf("the service is no longer offered; its capacity cannot change")
		}
		current, err := s.capacity(ctx, db, serviceID)
		if err != nil {
			return err
		}
		before, existed := StepOn(current, c.From)
		reserved := 0
		if existed {
			reserved = before.Reserved
		}
		unit := ServiceType(svc.ServiceType).Unit()
		if c.Units < reserved {
			return &errs.Error{Code: errs.Conflict, Field: "units", Message: fmt.Sprintf(
				"%d %s are already reserved from %s by agreed care; capacity cannot be less", reserved, unit, c.From.UK())}
		}
		row := capacityRow{ServiceID: serviceID, FromDate: c.From, Units: c.Units, ReservedUnits: reserved, UpdatedAt: s.clock(), UpdatedBy: actorID(a)}
		if existed && before.From == c.From {
			err = db.Model(&capacityRow{}).Where("service_id = ? AND from_date = ?", serviceID, c.From).
				Updates(map[string]any{"units": c.Units, "updated_at": row.UpdatedAt, "updated_by": row.UpdatedBy}).Error
		} else {
			err = db.Create(&row).Error
		}
		if err != nil {
			return err
		}
		summary := map[string]any{"from": c.From, "units": c.Units, "unit": unit, "reserved": reserved}
		if existed && before.From == c.From {
			summary["units_before"] = before.Units
		}
		if err := audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "provider_capacity.set", ObjectType: "provider_service", ObjectID: serviceID.String(), Summary: summary}); err != nil {
			return err
		}
		steps, err = s.capacity(ctx, db, serviceID)
		return err
	})
	if errors.Is(err, gorm.ErrCheckConstraintViolated) {
		return nil, &errs.Error{Code: errs.Conflict, Field: "units", Message: "capacity cannot be less than what is already reserved"}
	}
	return steps, postgres.Translate(err)
}
