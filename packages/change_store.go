package packages

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
)

type changeRow struct {
	ID             uuid.UUID `gorm:"type:uuid;primaryKey"`
	AgreementID    uuid.UUID `gorm:"type:uuid"`
	Kind           string
	Side           string
	Status         string
	EffectiveFrom  day.Date
	HoursPerWeek   *int
	Places         *int
	UnitPricePence *int64
	ReturnsOn      day.Date
	Cause          string
	Reason         string
	UpliftID       *uuid.UUID `gorm:"type:uuid"`
	AskedBy        *uuid.UUID `gorm:"type:uuid"`
	AskedAt        time.Time
	DecidedBy      *uuid.UUID `gorm:"type:uuid"`
	DecidedAt      *time.Time
	DecisionReason string
}

func (changeRow) TableName() string { return "package_changes" }

func (r changeRow) change() Change {
	c := Change{ID: r.ID, AgreementID: r.AgreementID, Kind: Kind(r.Kind), Side: Side(r.Side), Status: Status(r.Status),
		EffectiveFrom: r.EffectiveFrom, HoursPerWeek: r.HoursPerWeek, Places: r.Places, UnitPricePence: r.UnitPricePence,
		ReturnsOn: r.ReturnsOn, Cause: r.Cause, Reason: r.Reason, UpliftID: r.UpliftID, AskedBy: r.AskedBy, AskedAt: r.AskedAt,
		DecidedBy: r.DecidedBy, DecidedAt: r.DecidedAt, DecisionReason: r.DecisionReason}
	if c.Kind == End {
		c.LastDay = c.EffectiveFrom.AddDays(-1)
	}
	return c
}

func changeRowOf(c Change) changeRow {
	return changeRow{ID: c.ID, AgreementID: c.AgreementID, Kind: string(c.Kind), Side: string(c.Side), Status: string(c.Status),
		EffectiveFrom: c.EffectiveFrom, HoursPerWeek: c.HoursPerWeek, Places: c.Places, UnitPricePence: c.UnitPricePence,
		ReturnsOn: c.ReturnsOn, Cause: c.Cause, Reason: c.Reason, UpliftID: c.UpliftID, AskedBy: c.AskedBy, AskedAt: c.AskedAt,
		DecidedBy: c.DecidedBy, DecidedAt: c.DecidedAt, DecisionReason: c.DecisionReason}
}

// insertChange saves c in tx. A second asked change of one package is
// Conflict (a unique index backs the check up).
func insertChange(ctx context.Context, tx *postgres.Tx, c Change) error {
	r := changeRowOf(c)
	err := tx.Gorm(ctx).Create(&r).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return errs.Conflictf("the provider has already asked for a change to this package: it waits for a decision")
	}
	return postgres.Translate(err)
}

func saveDecision(ctx context.Context, tx *postgres.Tx, c Change) error {
	err := tx.Gorm(ctx).Model(&changeRow{}).Where("id = ?", c.ID).Select("status", "decided_by", "decided_at", "decision_reason").
		Updates(changeRow{Status: string(c.Status), DecidedBy: c.DecidedBy, DecidedAt: c.DecidedAt, DecisionReason: c.DecisionReason}).Error
	return postgres.Translate(err)
}

// lockChange reads a change FOR UPDATE, or NotFound.
func lockChange(ctx context.Context, tx *postgres.Tx, id uuid.UUID) (Change, error) {
	var r changeRow
	err := tx.Gorm(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Change{}, errs.NotFoundf("there is no package change %s that you can see", id)
	}
	return r.change(), postgres.Translate(err)
}

func changesOf(ctx context.Context, db postgres.Conn, agreementID uuid.UUID) ([]Change, error) {
	var rows []changeRow
	if err := db.Gorm(ctx).Where("agreement_id = ?", agreementID).Order("asked_at DESC, kind = 'start', id").Find(&rows).Error; err != nil {
		return nil, postgres.Translate(err)
	}
	out := make([]Change, len(rows))
	for i, r := range rows {
		out[i] = r.change()
	}
	return out, nil
}

// pendingOf reports the change a provider asked for that waits, if any.
func pendingOf(ctx context.Context, tx *postgres.Tx, agreementID uuid.UUID) (*Change, error) {
	var rows []changeRow
	if err := tx.Gorm(ctx).Where("agreement_id = ? AND status = 'asked'", agreementID).Find(&rows).Error; err != nil || len(rows) == 0 {
		return nil, postgres.Translate(err)
	}
	c := rows[0].change()
	return &c, nil
}
