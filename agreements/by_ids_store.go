package agreements

import (
	"context"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"

	"github.com/carebroker/carebroker/internal/postgres"
)

// ByIDs returns the agreements named, by id. It does not check access: it
// is for use cases that check it themselves (the package changes waiting
// for a decision).
func (s *Store) ByIDs(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]Agreement, error) {
	out := map[uuid.UUID]Agreement{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []agreementRow
	if err := s.db.Gorm(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, postgres.Translate(err)
	}
	for _, r := range rows {
		a, err := r.agreement()
		if err != nil {
			return nil, err
		}
		out[a.ID] = a
	}
	return out, nil
}

// ActiveOfProviders returns the active agreements of the provider
// organisations named, read with db (the caller's transaction). It does not
// check access: it is for the council's uplift, which checks the caller.
func (s *Store) ActiveOfProviders(ctx context.Context, db postgres.Conn, orgIDs []uuid.UUID) ([]Agreement, error) {
	if len(orgIDs) == 0 {
		return nil, nil
	}
	var rows []agreementRow
	if err := db.Gorm(ctx).Where("status = 'active' AND provider_org_id IN ?", orgIDs).Order("id").Find(&rows).Error; err != nil {
		return nil, postgres.Translate(err)
	}
	out := make([]Agreement, 0, len(rows))
	for _, r := range rows {
		a, err := r.agreement()
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// ActiveVisible lists, newest first and at most limit, the active
// agreements the actor may see by the rules of Agreement: a person their
// own, a provider user their organisation's, a practitioner their team's,
// brokers and admins all. Others see none.
func (s *Store) ActiveVisible(ctx context.Context, actor accounts.Actor, limit int) ([]Agreement, error) {
	q := s.db.Gorm(ctx).Where("status = 'active'")
	switch actor.Role {
	case accounts.Broker, accounts.Admin:
	case accounts.Client:
		q = q.Where("person_id = ?", actor.PersonID)
	case accounts.ProviderUser:
		q = q.Where("provider_org_id = ?", actor.ProviderOrgID)
	case accounts.Practitioner:
		q = q.Where("team = ?", actor.Team)
	default:
		return nil, nil
	}
	var rows []agreementRow
	if err := q.Order("created_at DESC, id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, postgres.Translate(err)
	}
	out := make([]Agreement, 0, len(rows))
	for _, r := range rows {
		a, err := r.agreement()
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}
