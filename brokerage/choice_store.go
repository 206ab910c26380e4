package brokerage

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

// choiceRow is a row of choices.
type choiceRow struct {
	ID                 uuid.UUID `gorm:"type:uuid;primaryKey;default:gen_random_uuid()"`
	RequestID          uuid.UUID `gorm:"type:uuid"`
	OfferID            uuid.UUID `gorm:"type:uuid"`
	ChosenBy           uuid.UUID `gorm:"type:uuid"`
	ChosenByRole       string
	ChosenAs           ChosenAs
	RepresentativeName string
	Reason             string
	At                 time.Time
}

func (choiceRow) TableName() string { return "choices" }

// insertChoice writes a new choice; the database gives it its id, set on
// c. A second choice standing on one request is Conflict.
func (s *Store) insertChoice(ctx context.Context, c *Choice) error {
	row := choiceRow(*c)
	err := s.db.Gorm(ctx).Omit("id").Create(&row).Error
	if postgres.IsUniqueViolation(err, "choices_request_id_key") {
		return errs.Conflictf("an offer has already been chosen for this request")
	}
	if err != nil {
		return dbErr(err)
	}
	c.ID = row.ID
	return nil
}

// choiceOf returns the choice standing on a request (not reopened), or NotFound.
func (s *Store) choiceOf(ctx context.Context, requestID uuid.UUID) (Choice, error) {
	var row choiceRow
	err := s.db.Gorm(ctx).Where("request_id = ? AND reopened_at IS NULL", requestID).Take(&row).Error
	return Choice(row), postgres.NotFound(err, errs.NotFoundf("no offer has been chosen for this request"))
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
