package brokerage

import (
	"context"
	"time"
)

// overdueResponses lists the invitations still waiting past their deadline
// on requests that wait for answers, oldest deadline first.
func (s *Store) overdueResponses(ctx context.Context, now time.Time) ([]overdueResponse, error) {
	var out []overdueResponse
	err := s.db.Gorm(ctx).Raw(`SELECT r.reference, r.service_type, i.provider_name, i.deadline
		FROM invitations i JOIN requests r ON r.id = i.request_id
		WHERE i.status = 'sent' AND i.deadline < ? AND r.status IN ?
		ORDER BY i.deadline, r.reference, i.provider_name`, now, waitingStatuses).Scan(&out).Error
	return out, dbErr(err)
}
