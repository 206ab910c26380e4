package brokerage

import (
	"context"
	"time"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/google/uuid"
)

// monitoringRow is a row of direct_payment_monitoring: a Monitoring,
// converted by plain struct conversion.
type monitoringRow struct {
	ID               uuid.UUID `gorm:"type:uuid;primaryKey"`
	DirectPaymentID  uuid.UUID `gorm:"column:need_id;type:uuid"`
	PeriodFrom       day.Date
	PeriodTo         day.Date
	ExpectedPence    int64
	PaidPence        int64
	SpentPence       int64
	UnspentPence     int64
	ContingencyPence int64
	ReclaimPence     int64
	Note             string
	ReviewTaskID     *uuid.UUID `gorm:"type:uuid"`
	RecordedBy       *uuid.UUID `gorm:"type:uuid"`
	RecordedAt       time.Time
}

// TableName is the table brokerage owns for direct payment monitoring.
func (monitoringRow) TableName() string { return "direct_payment_monitoring" }

// insertMonitoring writes a period's monitoring once: Conflict for a period
// already recorded.
func (s *Store) insertMonitoring(ctx context.Context, m *Monitoring) error {
	row := monitoringRow(*m)
	err := s.db.Gorm(ctx).Create(&row).Error
	if postgres.IsUniqueViolation(err, "direct_payment_monitoring_once") {
		return errs.Conflictf("monitoring from %s is already recorded", m.PeriodFrom.UK())
	}
	return dbErr(err)
}

// monitoringOverlaps returns a recorded period of the payment overlapping
// from..to, if there is one.
func (s *Store) monitoringOverlaps(ctx context.Context, id uuid.UUID, from, to day.Date) (*Monitoring, error) {
	var rows []monitoringRow
	err := s.db.Gorm(ctx).Where("need_id = ? AND period_from < ? AND period_to > ?", id, to, from).Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, dbErr(err)
	}
	m := Monitoring(rows[0])
	return &m, nil
}

// monitoringOf lists a payment's monitoring, oldest period first.
func (s *Store) monitoringOf(ctx context.Context, id uuid.UUID) ([]Monitoring, error) {
	var rows []monitoringRow
	err := s.db.Gorm(ctx).Where("need_id = ?", id).Order("period_from").Find(&rows).Error
	ms := make([]Monitoring, len(rows))
	for i, r := range rows {
		ms[i] = Monitoring(r)
	}
	return ms, dbErr(err)
}
