package providers

import (
	"context"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
)

// FrameworkMembersOn returns the organisations holding a membership of a
// lot of the framework in force on day on, each with the service types of
// the lots it holds. It returns NotFound for an unknown framework.
func (s *Store) FrameworkMembersOn(ctx context.Context, frameworkID uuid.UUID, on day.Date) (map[uuid.UUID][]string, error) {
	if _, err := s.Framework(ctx, frameworkID); err != nil {
		return nil, err
	}
	var rows []struct {
		OrganisationID uuid.UUID `gorm:"type:uuid"`
		ServiceType    string
	}
	err := s.db.Gorm(ctx).Raw(`SELECT DISTINCT m.organisation_id, unnest(l.service_types) AS service_type
		FROM framework_memberships m JOIN framework_lots l ON l.id = m.lot_id
		WHERE l.framework_id = ? AND m.starts_on <= ? AND (m.ends_on IS NULL OR m.ends_on >= ?)`, frameworkID, on, on).Scan(&rows).Error
	if err != nil {
		return nil, postgres.Translate(err)
	}
	out := map[uuid.UUID][]string{}
	for _, r := range rows {
		out[r.OrganisationID] = append(out[r.OrganisationID], r.ServiceType)
	}
	return out, nil
}
