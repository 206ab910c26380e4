package brokerage

import (
	"context"

	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/google/uuid"
	"gorm.io/gorm/clause"
)

func (s *Store) insertSupport(ctx context.Context, p *ProfessionalSupport) error {
	return dbErr(s.db.Gorm(ctx).Omit("id").Create(p).Error)
}

// support returns professional support (locked FOR UPDATE if lock), or NotFound.
func (s *Store) support(ctx context.Context, id uuid.UUID, lock bool) (ProfessionalSupport, error) {
	var p ProfessionalSupport
	q := s.db.Gorm(ctx).Where("id = ?", id)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return p, postgres.NotFound(q.Take(&p).Error, errNoSupport)
}

func (s *Store) saveSupportEnd(ctx context.Context, p *ProfessionalSupport) error {
	return dbErr(s.db.Gorm(ctx).Model(&ProfessionalSupport{}).Where("id = ?", p.ID).
		Select("status", "ended_at", "end_reason").Updates(p).Error)
}

// supportsOf lists a person's professional support, newest first, with
// its records (oldest first).
func (s *Store) supportsOf(ctx context.Context, personID uuid.UUID) ([]ProfessionalSupport, error) {
	var ps []ProfessionalSupport
	if err := s.db.Gorm(ctx).Where("person_id = ?", personID).Order("created_at DESC, id").Find(&ps).Error; err != nil {
		return nil, dbErr(err)
	}
	for i := range ps {
		ps[i].Records = []SupportRecord{}
		if err := s.db.Gorm(ctx).Where("support_id = ?", ps[i].ID).Order("on_date, recorded_at").Find(&ps[i].Records).Error; err != nil {
			return nil, dbErr(err)
		}
	}
	return ps, nil
}

func (s *Store) insertSupportRecord(ctx context.Context, r *SupportRecord) error {
	return dbErr(s.db.Gorm(ctx).Omit("id").Create(r).Error)
}
