package brokerage

import (
	"context"
	"time"

	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/plans"
	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// referral returns a need's route row, locked FOR UPDATE when lock is
// true, or NotFound.
func (s *Store) referral(ctx context.Context, needID uuid.UUID, lock bool) (referral, error) {
	var r referralRow
	q := s.db.Gorm(ctx).Where("need_id = ?", needID)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.Take(&r).Error
	return referral(r), postgres.NotFound(err, plans.ErrNoNeed)
}

// saveReferral writes the columns a route's state changes.
func (s *Store) saveReferral(ctx context.Context, r *referral) error {
	row := referralRow(*r)
	return dbErr(s.db.Gorm(ctx).Model(&referralRow{}).Where("need_id = ?", r.NeedID).
		Select("status", "met_at", "met_by", "ended_at", "end_reason", "updated_at").Updates(&row).Error)
}

// referralRow is a row of need_referrals: a referral, converted by plain
// struct conversion.
type referralRow struct {
	NeedID    uuid.UUID `gorm:"type:uuid;primaryKey"`
	PlanID    uuid.UUID `gorm:"type:uuid"`
	PersonID  uuid.UUID `gorm:"type:uuid"`
	Route     plans.HowMet
	Status    RouteStatus
	CreatedAt time.Time
	MetAt     *time.Time
	MetBy     *uuid.UUID `gorm:"type:uuid"`
	EndedAt   *time.Time
	EndReason string
	UpdatedAt time.Time
}

// TableName is the table brokerage owns for needs' routes.
func (referralRow) TableName() string { return "need_referrals" }

// requestForNeed returns the request made from a need, if any.
func (s *Store) requestForNeed(ctx context.Context, needID uuid.UUID, lock bool) (*Request, error) {
	var rows []requestRow
	q := s.db.Gorm(ctx).Where("need_id = ?", needID)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if err := q.Find(&rows).Error; err != nil || len(rows) == 0 {
		return nil, dbErr(err)
	}
	r := Request(rows[0])
	return &r, nil
}

// needReferral is a need routed away from brokerage at sign-off.
type needReferral struct {
	NeedID    uuid.UUID `gorm:"type:uuid;primaryKey"`
	PlanID    uuid.UUID `gorm:"type:uuid"`
	PersonID  uuid.UUID `gorm:"type:uuid"`
	Route     plans.HowMet
	Status    string
	CreatedAt time.Time
}

func (needReferral) TableName() string { return "need_referrals" }

func (s *Store) insertReferral(ctx context.Context, r needReferral) error {
	return dbErr(s.db.Gorm(ctx).Create(&r).Error)
}

// routeRow reads a route's own row of need id from its table (a
// DirectPaymentArrangement, an AlternativeArrangement), locked FOR UPDATE
// when lock is true, with its referral: nf when there is none.
func routeRow[T any](ctx context.Context, s *Store, id uuid.UUID, lock bool, nf error) (T, referral, error) {
	var row T
	q := s.db.Gorm(ctx).Where("need_id = ?", id)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if err := q.Take(&row).Error; err != nil {
		return row, referral{}, postgres.NotFound(err, nf)
	}
	r, err := s.referral(ctx, id, lock)
	return row, r, err
}

// routeList is one page of a route's own rows, each joined with its
// referral: table is the route's table; status "all" or one RouteStatus;
// where narrows further (a query on "table" and "r", the referral); order
// is the ORDER BY; limit at most 500, 0 meaning 200.
type routeList struct {
	table  string
	status RouteStatus
	where  func(q *gorm.DB) *gorm.DB
	order  string
	limit  int
}

// routeRows lists the rows l asks for, with their referrals by need.
func routeRows[T any](ctx context.Context, s *Store, l routeList, idOf func(T) uuid.UUID) ([]T, map[uuid.UUID]referral, error) {
	q := s.db.Gorm(ctx).Table(l.table).Select(l.table + ".*").
		Joins("JOIN need_referrals r ON r.need_id = " + l.table + ".need_id").Order(l.order)
	if l.status != "all" {
		q = q.Where("r.status = ?", l.status)
	}
	if l.where != nil {
		q = l.where(q)
	}
	if l.limit <= 0 {
		l.limit = 200
	}
	var rows []T
	if err := q.Limit(min(l.limit, 500)).Find(&rows).Error; err != nil {
		return nil, nil, dbErr(err)
	}
	ids := make([]uuid.UUID, len(rows))
	for i, row := range rows {
		ids[i] = idOf(row)
	}
	refs, err := s.referrals(ctx, ids)
	return rows, refs, err
}

// referrals returns the route rows of the given needs, by need.
func (s *Store) referrals(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]referral, error) {
	out := map[uuid.UUID]referral{}
	if len(ids) == 0 {
		return out, nil
	}
	var rs []referralRow
	if err := s.db.Gorm(ctx).Where("need_id IN ?", ids).Find(&rs).Error; err != nil {
		return nil, dbErr(err)
	}
	for _, r := range rs {
		out[r.NeedID] = referral(r)
	}
	return out, nil
}

// needsAndNames reads what a route's list shows beside its rows: the needs
// of ids and the names of the persons, by id.
func (s *Store) needsAndNames(ctx context.Context, ids, persons []uuid.UUID) (map[uuid.UUID]plans.Need, map[uuid.UUID]string, error) {
	needs, err := s.plans().NeedsByID(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	names, err := s.plans().PersonNames(ctx, persons)
	return needs, names, err
}
