package brokerage

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"
)

func (s *Store) insertRequest(ctx context.Context, r *Request) error {
	return dbErr(s.db.Gorm(ctx).Omit("id", "reference").Create(r).Error)
}

// request returns a request, locking its row FOR UPDATE when lock is true,
// or NotFound.
func (s *Store) request(ctx context.Context, id uuid.UUID, lock bool) (Request, error) {
	var r Request
	q := s.db.Gorm(ctx).Where("id = ?", id)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return r, notFound(q.Take(&r).Error, errNoRequest)
}

// saveRequest writes the columns the state machine changes.
func (s *Store) saveRequest(ctx context.Context, r *Request) error {
	return dbErr(s.db.Gorm(ctx).Model(&Request{}).Where("id = ?", r.ID).
		Select("status", "held_from", "response_deadline", "chosen_offer_id", "agreed_start_date", "agreement_id", "updated_at").
		Updates(r).Error)
}

func (s *Store) insertTransition(ctx context.Context, t *Transition) error {
	return dbErr(s.db.Gorm(ctx).Omit("id").Create(t).Error)
}

// transitions lists a request's state changes, oldest first.
func (s *Store) transitions(ctx context.Context, requestID uuid.UUID) ([]Transition, error) {
	var ts []Transition
	return ts, dbErr(s.db.Gorm(ctx).Where("request_id = ?", requestID).Order("id").Find(&ts).Error)
}

// RequestFilter narrows a list of requests. Zero fields do not filter.
type RequestFilter struct {
	Statuses []Status
	Team     string
	PersonID uuid.UUID
	PlanID   uuid.UUID
	Limit    int // at most 500; 0 means 200
}

// requests lists requests: those with the nearest deadline first, then the
// oldest, so the queue reads in the order to work it.
func (s *Store) requests(ctx context.Context, f RequestFilter) ([]Request, error) {
	q := s.db.Gorm(ctx).Order("response_deadline ASC NULLS LAST, created_at, id")
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if f.Team != "" {
		q = q.Where("team = ?", f.Team)
	}
	if f.PersonID != uuid.Nil {
		q = q.Where("person_id = ?", f.PersonID)
	}
	if f.PlanID != uuid.Nil {
		q = q.Where("plan_id = ?", f.PlanID)
	}
	if f.Limit <= 0 {
		f.Limit = 200
	}
	if f.Limit > 500 {
		f.Limit = 500
	}
	var rs []Request
	return rs, dbErr(q.Limit(f.Limit).Find(&rs).Error)
}

// overdue returns up to limit requests waiting for answers whose deadline
// is before now.
func (s *Store) overdue(ctx context.Context, now time.Time, limit int) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := s.db.Gorm(ctx).Model(&Request{}).
		Where("status IN ? AND response_deadline < ?", []Status{Invited, OffersReceived}, now).
		Order("response_deadline").Limit(limit).Pluck("id", &ids).Error
	return ids, dbErr(err)
}
