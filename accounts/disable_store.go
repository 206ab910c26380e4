package accounts

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

// DisableUser disables the user at at and revokes every refresh token of
// theirs, so their API sessions end; web sessions end at their next page,
// which checks the account. It locks the user's row, so two disables
// queue. Run it on a Store bound to the caller's transaction
// (NewStore(tx)) to record the change with it. It returns NotFound for no
// such user and Conflict when the user is already disabled.
func (s *Store) DisableUser(ctx context.Context, id uuid.UUID, at time.Time) (User, error) {
	var u User
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		err := db.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id).Take(&u).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return errs.NotFoundf("no such user")
		}
		if err != nil {
			return err
		}
		if u.DisabledAt != nil {
			return errs.Conflictf("%s's account was already disabled on %s", u.DisplayName, u.DisabledAt.UTC().Format("2 January 2006"))
		}
		at = at.UTC()
		if err := db.Model(&User{}).Where("id = ?", id).Update("disabled_at", at).Error; err != nil {
			return err
		}
		u.DisabledAt = &at
		return revokeAll(db, id)
	})
	return u, postgres.Translate(err)
}
