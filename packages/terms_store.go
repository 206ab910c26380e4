package packages

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

type termsRow struct {
	ProviderOrgID   uuid.UUID `gorm:"type:uuid;primaryKey"`
	RetainerPercent int
	RetainerWeeks   int
	NoticeDays      int
	UpdatedAt       time.Time
	UpdatedBy       *uuid.UUID `gorm:"type:uuid"`
}

func (termsRow) TableName() string { return "package_contract_terms" }

// termsOf is the organisation's contract terms, or DefaultTerms.
func termsOf(ctx context.Context, db postgres.Conn, orgID uuid.UUID) (Terms, error) {
	var rows []termsRow
	if err := db.Gorm(ctx).Where("provider_org_id = ?", orgID).Find(&rows).Error; err != nil {
		return Terms{}, postgres.Translate(err)
	}
	if len(rows) == 0 {
		return DefaultTerms, nil
	}
	r := rows[0]
	return Terms{RetainerPercent: r.RetainerPercent, RetainerWeeks: r.RetainerWeeks, NoticeDays: r.NoticeDays}, nil
}

// Terms returns a provider organisation's contract terms for changes: to
// administrators and brokers, and to the organisation's own users (NotFound
// for another's).
func (s *Store) Terms(ctx context.Context, a accounts.Actor, orgID uuid.UUID) (Terms, error) {
	if err := a.Require(accounts.Admin, accounts.Broker, accounts.ProviderUser); err != nil {
		return Terms{}, err
	}
	if a.Role == accounts.ProviderUser && a.ProviderOrgID != orgID {
		return Terms{}, errs.NotFoundf("there is no provider organisation %s that you can see", orgID)
	}
	return termsOf(ctx, s.db, orgID)
}

// SetTerms sets a provider organisation's contract terms (administrators
// only). It returns Forbidden, Invalid naming the field, or NotFound for an
// unknown organisation.
func (s *Store) SetTerms(ctx context.Context, a accounts.Actor, orgID uuid.UUID, t Terms) (Terms, error) {
	if err := a.Require(accounts.Admin); err != nil {
		return Terms{}, err
	}
	if err := t.Validate(); err != nil {
		return Terms{}, err
	}
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		r := termsRow{ProviderOrgID: orgID, RetainerPercent: t.RetainerPercent, RetainerWeeks: t.RetainerWeeks,
			NoticeDays: t.NoticeDays, UpdatedAt: s.now().UTC(), UpdatedBy: userRef(a)}
		err := tx.Gorm(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "provider_org_id"}}, UpdateAll: true}).Create(&r).Error
		if err != nil {
			if e := postgres.Translate(err); errs.As(e) != nil {
				return e
			}
			return errs.NotFoundf("there is no provider organisation %s", orgID)
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "package.terms", ObjectType: "provider_organisation",
			ObjectID: orgID.String(), Summary: t})
	})
	return t, err
}
