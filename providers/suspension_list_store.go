package providers

import (
	"context"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
)

// SuspensionInForce is a suspension or embargo with its organisation's
// name, for the council's list of who it will not place with.
type SuspensionInForce struct {
	Suspension
	OrganisationName string `json:"organisation_name"`
}

// CurrentSuspensions lists the suspensions and embargoes of every provider
// that have not ended before on (those in force and those to come), by
// start day then organisation name, at most 500. Only brokers and
// administrators may (Forbidden otherwise).
func (s *Store) CurrentSuspensions(ctx context.Context, a accounts.Actor, on day.Date) ([]SuspensionInForce, error) {
	if err := mayManage(a); err != nil {
		return nil, err
	}
	var rows []suspensionListRow
	err := s.db.Gorm(ctx).Table("provider_suspensions s").
		Select("s.*, o.name AS organisation_name").
		Joins("JOIN provider_organisations o ON o.id = s.organisation_id").
		Where("s.ends_on IS NULL OR s.ends_on >= ?", on).
		Order("s.starts_on, lower(o.name), s.id").Limit(500).Scan(&rows).Error
	if err != nil {
		return nil, postgres.Translate(err)
	}
	out := make([]SuspensionInForce, len(rows))
	for i, r := range rows {
		out[i] = SuspensionInForce{Suspension: r.Row.suspension(), OrganisationName: r.OrganisationName}
	}
	return out, nil
}

type suspensionListRow struct {
	Row              suspensionRow `gorm:"embedded"`
	OrganisationName string        `gorm:"column:organisation_name"`
}
