package brokerage

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
)

func (s *Store) insertChoice(ctx context.Context, c *Choice) error {
	err := s.db.Gorm(ctx).Omit("id").Create(c).Error
	if isUniqueViolation(err, "choices_request_id_key") {
		return errs.Conflictf("an offer has already been chosen for this request")
	}
	return dbErr(err)
}

// choiceOf returns the choice standing on a request (not reopened), or NotFound.
func (s *Store) choiceOf(ctx context.Context, requestID uuid.UUID) (Choice, error) {
	var c Choice
	err := s.db.Gorm(ctx).Where("request_id = ? AND reopened_at IS NULL", requestID).Take(&c).Error
	return c, notFound(err, errs.NotFoundf("no offer has been chosen for this request"))
}

// reopenChoice marks the choice standing on a request as undone, by whom,
// when and why; the row stays as the record of what was chosen. It is
// NotFound when no choice stands.
func (s *Store) reopenChoice(ctx context.Context, requestID uuid.UUID, by *uuid.UUID, at time.Time, reason string) error {
	res := s.db.Gorm(ctx).Exec(`UPDATE choices SET reopened_at = ?, reopened_by = ?, reopen_reason = ?
		WHERE request_id = ? AND reopened_at IS NULL`, at, by, reason, requestID)
	if res.Error != nil {
		return dbErr(res.Error)
	}
	if res.RowsAffected != 1 {
		return errs.NotFoundf("no offer has been chosen for this request")
	}
	return nil
}
