package brokerage

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/carebroker/carebroker/internal/day"
)

// AlternativeArrangement is a need met by an alternative service (housing, benefits,
// health, college, transport, a community group, a charity): who arranges
// it and by when. The council's duty is met only once it is confirmed in
// place. Its id is the need's.
type AlternativeArrangement struct {
	ID            uuid.UUID `gorm:"column:need_id;type:uuid;primaryKey" json:"id"`
	PlanID        uuid.UUID `gorm:"type:uuid" json:"plan_id"`
	PersonID      uuid.UUID `gorm:"type:uuid" json:"person_id"`
	Team          string    `json:"team"`
	Service       string    `json:"service"`
	ArrangedBy    string    `json:"arranged_by"`
	DueBy         day.Date  `json:"due_by"`
	ConfirmedNote string    `json:"confirmed_note,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
}

// TableName is the table brokerage owns for alternative services.
func (AlternativeArrangement) TableName() string { return "alternative_arrangements" }

func (s *Store) insertAlternative(ctx context.Context, x *AlternativeArrangement) error {
	return dbErr(s.db.Gorm(ctx).Create(x).Error)
}

// alternative returns an alternative service (locked FOR UPDATE if lock)
// with its route row, or NotFound.
func (s *Store) alternative(ctx context.Context, id uuid.UUID, lock bool) (AlternativeArrangement, referral, error) {
	return routeRow[AlternativeArrangement](ctx, s, id, lock, errNoAlternative)
}

func (s *Store) saveAlternativeNote(ctx context.Context, x *AlternativeArrangement) error {
	return dbErr(s.db.Gorm(ctx).Model(&AlternativeArrangement{}).Where("need_id = ?", x.ID).
		Select("confirmed_note").Updates(x).Error)
}

// AlternativeFilter narrows the list of alternative services.
type AlternativeFilter struct {
	Status  RouteStatus // awaiting (the default), met, ended, or "all"
	Overdue bool        // only those awaiting past their due date
	Team    string      // set by the use case from the actor
	Limit   int         // at most 500; 0 means 200
}

// alternatives lists alternative services, soonest due first.
func (s *Store) alternatives(ctx context.Context, f AlternativeFilter, today day.Date) ([]AlternativeArrangement, map[uuid.UUID]referral, error) {
	l := routeList{table: "alternative_arrangements", status: f.Status, order: "alternative_arrangements.due_by, alternative_arrangements.need_id", limit: f.Limit,
		where: func(q *gorm.DB) *gorm.DB { return q.Where("alternative_arrangements.team = ?", f.Team) }}
	if f.Overdue {
		l.status = "all"
		l.where = func(q *gorm.DB) *gorm.DB {
			return q.Where("alternative_arrangements.team = ? AND r.status = ? AND alternative_arrangements.due_by < ?", f.Team, RouteAwaiting, today)
		}
	}
	return routeRows(ctx, s, l, func(x AlternativeArrangement) uuid.UUID { return x.ID })
}
