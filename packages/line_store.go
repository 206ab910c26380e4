package packages

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
)

type packageRow struct {
	AgreementID uuid.UUID `gorm:"type:uuid;primaryKey"`
	Version     int
	UpdatedAt   time.Time
}

func (packageRow) TableName() string { return "packages" }

type lineRow struct {
	ID              uuid.UUID `gorm:"type:uuid;primaryKey"`
	AgreementID     uuid.UUID `gorm:"type:uuid"`
	ChangeID        uuid.UUID `gorm:"type:uuid"`
	Kind            string
	ServiceID       uuid.UUID `gorm:"type:uuid"`
	HoursPerWeek    int
	Places          int
	UnitPricePence  int64
	WeeklyCostPence int64
	FromDate        day.Date
	ToDate          day.Date
	Reason          string
	CreatedBy       *uuid.UUID `gorm:"type:uuid"`
	CreatedAt       time.Time
	WithdrawnAt     *time.Time
	WithdrawnBy     *uuid.UUID `gorm:"type:uuid"`
}

func (lineRow) TableName() string { return "package_lines" }

func (r lineRow) line() Line {
	return Line{ID: r.ID, AgreementID: r.AgreementID, ChangeID: r.ChangeID, Kind: LineKind(r.Kind), ServiceID: r.ServiceID,
		HoursPerWeek: r.HoursPerWeek, Places: r.Places, UnitPricePence: r.UnitPricePence, WeeklyCostPence: r.WeeklyCostPence,
		From: r.FromDate, To: r.ToDate, Reason: r.Reason, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt,
		WithdrawnAt: r.WithdrawnAt, WithdrawnBy: r.WithdrawnBy}
}

func rowOf(l Line) lineRow {
	return lineRow{ID: l.ID, AgreementID: l.AgreementID, ChangeID: l.ChangeID, Kind: string(l.Kind), ServiceID: l.ServiceID,
		HoursPerWeek: l.HoursPerWeek, Places: l.Places, UnitPricePence: l.UnitPricePence, WeeklyCostPence: l.WeeklyCostPence,
		FromDate: l.From, ToDate: l.To, Reason: l.Reason, CreatedBy: l.CreatedBy, CreatedAt: l.CreatedAt}
}

// lockPackage locks the package's row in tx and checks the version the
// caller saw (0: any). It returns NotFound for no package, Conflict when the
// package changed since the caller looked.
func lockPackage(ctx context.Context, tx *postgres.Tx, agreementID uuid.UUID, version int) (packageRow, error) {
	var p packageRow
	err := tx.Gorm(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("agreement_id = ?", agreementID).Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return p, errs.NotFoundf("there is no care package for agreement %s", agreementID)
	}
	if err != nil {
		return p, postgres.Translate(err)
	}
	if version != 0 && version != p.Version {
		return p, &errs.Error{Code: errs.Conflict, Field: "version",
			Message: "the package changed while you were looking at it (it is now version " + strconv.Itoa(p.Version) + "): look again and decide"}
	}
	return p, nil
}

// bump moves the package's version on, in tx.
func bump(ctx context.Context, tx *postgres.Tx, p *packageRow, now time.Time) error {
	p.Version++
	p.UpdatedAt = now
	err := tx.Gorm(ctx).Model(&packageRow{}).Where("agreement_id = ?", p.AgreementID).
		Updates(map[string]any{"version": p.Version, "updated_at": now}).Error
	return postgres.Translate(err)
}

func linesOf(ctx context.Context, db postgres.Conn, agreementID uuid.UUID) ([]Line, error) {
	var rows []lineRow
	if err := db.Gorm(ctx).Where("agreement_id = ?", agreementID).Order("from_date, created_at").Find(&rows).Error; err != nil {
		return nil, postgres.Translate(err)
	}
	out := make([]Line, len(rows))
	for i, r := range rows {
		out[i] = r.line()
	}
	return out, nil
}

// write makes the edit's lines real in tx. The exclusion constraint refuses
// overlapping lines; that is reported as Conflict.
func write(ctx context.Context, tx *postgres.Tx, e edit, changeID uuid.UUID, now time.Time) error {
	db := tx.Gorm(ctx)
	if len(e.withdraw) > 0 {
		if err := db.Model(&lineRow{}).Where("id IN ?", e.withdraw).
			Updates(map[string]any{"withdrawn_at": now, "withdrawn_by": changeID}).Error; err != nil {
			return postgres.Translate(err)
		}
	}
	for id, to := range e.ends {
		if err := db.Model(&lineRow{}).Where("id = ?", id).Update("to_date", to).Error; err != nil {
			return postgres.Translate(err)
		}
	}
	for _, l := range e.add {
		r := rowOf(l)
		if err := db.Create(&r).Error; err != nil {
			var pg *pgconn.PgError
			if errors.As(err, &pg) && pg.Code == "23P01" {
				return errs.Conflictf("a line from %s would overlap another line of the package", l.From.UK())
			}
			return postgres.Translate(err)
		}
	}
	return nil
}
