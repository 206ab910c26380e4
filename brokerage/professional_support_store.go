package brokerage

import (
	"context"
	"time"

	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/google/uuid"
	"gorm.io/gorm/clause"
)

// supportRow is a row of professional_support: a ProfessionalSupport,
// converted by plain struct conversion.
type supportRow struct {
	ID          uuid.UUID `gorm:"type:uuid;primaryKey;default:gen_random_uuid()"`
	PersonID    uuid.UUID `gorm:"type:uuid"`
	Team        string
	Kind        SupportKind
	Description string
	AgreedWith  string
	ProvidedBy  uuid.UUID `gorm:"type:uuid"`
	StartsOn    day.Date
	Status      string
	EndedAt     *time.Time
	EndReason   string
	CreatedAt   time.Time
	Records     []SupportRecord `gorm:"-"`
}

// TableName is the table brokerage owns for professional support.
func (supportRow) TableName() string { return "professional_support" }

// supportRecordRow is a row of professional_support_records.
type supportRecordRow struct {
	ID         uuid.UUID `gorm:"type:uuid;primaryKey;default:gen_random_uuid()"`
	SupportID  uuid.UUID `gorm:"type:uuid"`
	OnDate     day.Date
	Note       string
	RecordedBy *uuid.UUID `gorm:"type:uuid"`
	RecordedAt time.Time
}

// TableName is the table brokerage owns for records of professional support.
func (supportRecordRow) TableName() string { return "professional_support_records" }

func (s *Store) insertSupport(ctx context.Context, p *ProfessionalSupport) error {
	row := supportRow(*p)
	err := s.db.Gorm(ctx).Omit("id").Create(&row).Error
	p.ID = row.ID
	return dbErr(err)
}

// support returns professional support (locked FOR UPDATE if lock), or NotFound.
func (s *Store) support(ctx context.Context, id uuid.UUID, lock bool) (ProfessionalSupport, error) {
	var row supportRow
	q := s.db.Gorm(ctx).Where("id = ?", id)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.Take(&row).Error
	return ProfessionalSupport(row), postgres.NotFound(err, errNoSupport)
}

func (s *Store) saveSupportEnd(ctx context.Context, p *ProfessionalSupport) error {
	row := supportRow(*p)
	return dbErr(s.db.Gorm(ctx).Model(&supportRow{}).Where("id = ?", p.ID).
		Select("status", "ended_at", "end_reason").Updates(&row).Error)
}

// supportsOf lists a person's professional support, newest first, with
// its records (oldest first).
func (s *Store) supportsOf(ctx context.Context, personID uuid.UUID) ([]ProfessionalSupport, error) {
	var rows []supportRow
	if err := s.db.Gorm(ctx).Where("person_id = ?", personID).Order("created_at DESC, id").Find(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	ps := make([]ProfessionalSupport, len(rows))
	for i, row := range rows {
		ps[i] = ProfessionalSupport(row)
		var records []supportRecordRow
		if err := s.db.Gorm(ctx).Where("support_id = ?", row.ID).Order("on_date, recorded_at").Find(&records).Error; err != nil {
			return nil, dbErr(err)
		}
		ps[i].Records = make([]SupportRecord, len(records))
		for j, r := range records {
			ps[i].Records[j] = SupportRecord(r)
		}
	}
	return ps, nil
}

func (s *Store) insertSupportRecord(ctx context.Context, r *SupportRecord) error {
	row := supportRecordRow(*r)
	err := s.db.Gorm(ctx).Omit("id").Create(&row).Error
	r.ID = row.ID
	return dbErr(err)
}
