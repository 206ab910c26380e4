package agreements

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
)

// Accept records that the provider accepts the agreement: a user of the
// provider organisation, from its portal, with the time and who. The
// council accepted it when the start date was agreed. It returns Forbidden
// for anyone but a provider user, NotFound for another organisation's
// agreement, and Conflict when the agreement is no longer active or the
// provider has already accepted it (saying when and by whom).
func (s *Store) Accept(ctx context.Context, actor accounts.Actor, id uuid.UUID) (Agreement, error) {
	if err := actor.Require(accounts.ProviderUser); err != nil {
		return Agreement{}, err
	}
	var out Agreement
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		var row agreementRow
		err := db.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id).Take(&row).Error
		if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && row.ProviderOrgID != actor.ProviderOrgID) {
			return errs.NotFoundf("there is no service agreement %s that you can see", id)
		}
		if err != nil {
			return err
		}
		if row.ProviderAcceptedAt != nil {
			return errs.Conflictf("%s already accepted this agreement on %s", row.ProviderAcceptedByName,
				row.ProviderAcceptedAt.In(day.London).Format("2 January 2006 at 15:04"))
		}
		if row.Status != string(Active) {
			return errs.Conflictf("agreement %s is %s, so it cannot be accepted", row.Reference, row.Status)
		}
		u, err := accounts.NewStore(tx).User(ctx, actor.UserID)
		if err != nil {
			return err
		}
		now, by := s.now().UTC(), actor.UserID
		row.ProviderAcceptedAt, row.ProviderAcceptedBy, row.ProviderAcceptedByName = &now, &by, u.DisplayName
		if err := db.Model(&agreementRow{}).Where("id = ?", id).
			Select("provider_accepted_at", "provider_accepted_by", "provider_accepted_by_name").Updates(row).Error; err != nil {
			return err
		}
		if out, err = row.agreement(); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: "agreement.accept", ObjectType: "agreement",
			ObjectID: id.String(), PersonID: row.PersonID, Summary: map[string]any{"reference": row.Reference, "by": u.DisplayName}})
	})
	return out, postgres.Translate(err)
}
