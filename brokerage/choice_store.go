package brokerage

import (
	"context"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
)

func (s *Store) insertChoice(ctx context.Context, c *Choice) error {
	err := s.db.WithContext(ctx).Omit("id").Create(c).Error
	if isUniqueViolation(err, "choices_request_id_key") {
		return errs.Conflictf("an offer has already been chosen for this request")
	}
	return dbErr(err)
}

// choiceOf returns the choice made on a request, or NotFound.
func (s *Store) choiceOf(ctx context.Context, requestID uuid.UUID) (Choice, error) {
	var c Choice
	err := s.db.WithContext(ctx).Where("request_id = ?", requestID).Take(&c).Error
	return c, notFound(err, errs.NotFoundf("no offer has been chosen for this request"))
}
