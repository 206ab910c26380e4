package providers

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

// DirectoryEntry is a service as the council publishes it, with its
// organisation.
type DirectoryEntry struct {
	Service      Service
	Organisation Organisation
}

// DirectoryQuery asks for one page of the published directory.
type DirectoryQuery struct {
	Page    int    // from 1
	PerPage int    // 1 to MaxPerPage
	Search  string // words in the service's location or provider name
}

// MaxPerPage bounds a page of the published directory.
const MaxPerPage = 500

// Directory returns one page of the active services, by location name,
// and how many there are in all, in three queries. It returns Invalid
// naming "page" or "per_page" when they are out of range.
func (s *Store) Directory(ctx context.Context, q DirectoryQuery) ([]DirectoryEntry, int, error) {
	if q.Page < 1 {
		return nil, 0, errs.InvalidField("page", "must be 1 or more")
	}
	if q.PerPage < 1 || q.PerPage > MaxPerPage {
		return nil, 0, errs.InvalidField("per_page", "must be from 1 to %d", MaxPerPage)
	}
	where, args := "s.status = 'active'", []any{}
	for _, word := range strings.Fields(q.Search) {
		where += " AND (l.name ILIKE ? OR o.name ILIKE ?)"
		like := "%" + escapeLike(word) + "%"
		args = append(args, like, like)
	}
	ctx = postgres.TolerateLag(ctx) // published: the read replica may serve it
	db := s.db.Gorm(ctx)
	var total int
	if err := db.Raw(`SELECT count(*) FROM provider_services s JOIN provider_locations l ON l.id = s.location_id
		JOIN provider_organisations o ON o.id = s.organisation_id WHERE `+where, args...).Scan(&total).Error; err != nil {
		return nil, 0, postgres.Translate(err)
	}
	var recs []serviceRecord
	pageArgs := append(append([]any{}, args...), q.PerPage, (q.Page-1)*q.PerPage)
	if err := db.Raw(serviceSelect+` WHERE `+where+` ORDER BY lower(l.name), l.id, s.service_type LIMIT ? OFFSET ?`, pageArgs...).Scan(&recs).Error; err != nil {
		return nil, 0, postgres.Translate(err)
	}
	entries, err := s.withOrganisations(ctx, recs)
	return entries, total, err
}

// DirectoryService returns one service as published, whatever its status,
// or NotFound.
func (s *Store) DirectoryService(ctx context.Context, id uuid.UUID) (DirectoryEntry, error) {
	var recs []serviceRecord
	ctx = postgres.TolerateLag(ctx) // published: the read replica may serve it
	if err := s.db.Gorm(ctx).Raw(serviceSelect+` WHERE s.id = ?`, id).Scan(&recs).Error; err != nil {
		return DirectoryEntry{}, postgres.Translate(err)
	}
	if len(recs) == 0 {
		return DirectoryEntry{}, errs.NotFoundf("no such service")
	}
	entries, err := s.withOrganisations(ctx, recs)
	if err != nil {
		return DirectoryEntry{}, err
	}
	return entries[0], nil
}

func (s *Store) withOrganisations(ctx context.Context, recs []serviceRecord) ([]DirectoryEntry, error) {
	out := make([]DirectoryEntry, len(recs))
	if len(recs) == 0 {
		return out, nil
	}
	ids := make([]uuid.UUID, 0, len(recs))
	for _, r := range recs {
		ids = append(ids, r.OrganisationID)
	}
	var orgs []orgRow
	if err := s.db.Gorm(ctx).Where("id IN ?", ids).Find(&orgs).Error; err != nil {
		return nil, postgres.Translate(err)
	}
	byID := map[uuid.UUID]Organisation{}
	for _, o := range orgs {
		byID[o.ID] = o.organisation()
	}
	for i := range recs {
		out[i] = DirectoryEntry{Service: recs[i].service(), Organisation: byID[recs[i].OrganisationID]}
	}
	return out, nil
}
