package providers

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/money"
	"github.com/carebroker/carebroker/internal/postgres"
)

// rateRow is a row of provider_rates (ServiceType is read by joins only).
type rateRow struct {
	ID          uuid.UUID  `gorm:"column:id;type:uuid;primaryKey;default:gen_random_uuid()"`
	ServiceID   uuid.UUID  `gorm:"column:service_id;type:uuid"`
	Pence       int64      `gorm:"column:pence"`
	ValidFrom   day.Date   `gorm:"column:valid_from"`
	ValidTo     day.Date   `gorm:"column:valid_to"`
	CreatedAt   time.Time  `gorm:"column:created_at"`
	CreatedBy   *uuid.UUID `gorm:"column:created_by;type:uuid"`
	ServiceType string     `gorm:"column:service_type;->"`
}

func (rateRow) TableName() string { return "provider_rates" }

func (r rateRow) rate() Rate {
	return Rate{ID: r.ID, ServiceID: r.ServiceID, Pence: r.Pence, Unit: ServiceType(r.ServiceType).RateUnit(),
		ValidFrom: r.ValidFrom, ValidTo: r.ValidTo, CreatedAt: r.CreatedAt.UTC()}
}

// Rates returns the service's rates in date order, if the actor may see
// the service (another provider's service is NotFound).
func (s *Store) Rates(ctx context.Context, a accounts.Actor, serviceID uuid.UUID) ([]Rate, error) {
	if _, err := s.serviceFor(ctx, a, serviceID); err != nil {
		return nil, err
	}
	return s.rates(ctx, s.db.Gorm(ctx), serviceID)
}

func (s *Store) rates(ctx context.Context, db *gorm.DB, serviceID uuid.UUID) ([]Rate, error) {
	var rows []rateRow
	err := db.WithContext(ctx).Raw(`SELECT r.*, s.service_type FROM provider_rates r JOIN provider_services s ON s.id = r.service_id
		WHERE r.service_id = ? ORDER BY r.valid_from`, serviceID).Scan(&rows).Error
	if err != nil {
		return nil, postgres.Translate(err)
	}
	out := make([]Rate, len(rows))
	for i, r := range rows {
		out[i] = r.rate()
	}
	return out, nil
}

// AddRate adds a price for the service from r.ValidFrom. An open-ended rate
// that started earlier is closed the day before; any other overlap is
// refused. It returns Invalid naming the field (a rate of 0, an end before
// the start), NotFound for a service the actor may not see, Forbidden for a
// role that may not change it, and Conflict (field "valid_from") for an
// overlap.
func (s *Store) AddRate(ctx context.Context, a accounts.Actor, serviceID uuid.UUID, r NewRate) (Rate, error) {
	if err := r.Validate(); err != nil {
		return Rate{}, err
	}
	var added Rate
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		svc, err := lockService(ctx, db, serviceID)
		if err != nil {
			return err
		}
		if err := mayEdit(a, svc.OrganisationID); err != nil {
			return err
		}
		existing, err := s.rates(ctx, db, serviceID)
		if err != nil {
			return err
		}
		var closed *Rate
		for i, e := range existing {
			if !spansOverlap(e.ValidFrom, e.ValidTo, r.ValidFrom, r.ValidTo) {
				continue
			}
			if e.ValidFrom.Before(r.ValidFrom) && e.ValidTo.IsZero() {
				closed = &existing[i]
				continue
			}
			return &errs.Error{Code: errs.Conflict, Field: "valid_from", Message: fmt.Sprintf(
				"overlaps the rate of %s a %s %s; end that rate first or choose other days", money.Format(e.Pence), e.Unit, spanText(e.ValidFrom, e.ValidTo))}
		}
		if closed != nil {
			end := r.ValidFrom.AddDays(-1)
			if err := db.Model(&rateRow{}).Where("id = ?", closed.ID).Update("valid_to", end).Error; err != nil {
				return err
			}
		}
		row := rateRow{ServiceID: serviceID, Pence: r.Pence, ValidFrom: r.ValidFrom, ValidTo: r.ValidTo, CreatedAt: s.clock(), CreatedBy: actorID(a)}
		if err := db.Omit("id", "service_type").Create(&row).Error; err != nil {
			return err
		}
		row.ServiceType = svc.ServiceType
		added = row.rate()
		summary := map[string]any{"pence": r.Pence, "unit": added.Unit, "valid_from": r.ValidFrom, "valid_to": r.ValidTo}
		if closed != nil {
			summary["closed_rate_id"] = closed.ID
			summary["closed_rate_valid_to"] = r.ValidFrom.AddDays(-1)
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "provider_rate.add", ObjectType: "provider_service", ObjectID: serviceID.String(), Summary: summary})
	})
	return added, postgres.Translate(err)
}

// spansOverlap reports whether two spans of days (zero end meaning
// open-ended) share a day.
func spansOverlap(aFrom, aTo, bFrom, bTo day.Date) bool {
	aEndsBeforeB := !aTo.IsZero() && aTo.Before(bFrom)
	bEndsBeforeA := !bTo.IsZero() && bTo.Before(aFrom)
	return !aEndsBeforeB && !bEndsBeforeA
}

func spanText(from, to day.Date) string {
	if to.IsZero() {
		return "from " + from.UK()
	}
	return "from " + from.UK() + " to " + to.UK()
}
