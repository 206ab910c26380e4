package brokerage

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/plans"
	"github.com/carebroker/carebroker/providers"
)

// requestRow is a row of requests: a Request as the table keeps it. The
// workflow's rows (requestRow, transitionRow, invitationRow, offerRow,
// choiceRow, matchRunRow, settingsRow) have the fields of their domain type
// in the same order, so each converts with a plain conversion (Request(row),
// requestRow(r)) and a field added to one and not the other fails to
// compile; the gorm tags live only here.
type requestRow struct {
	ID                uuid.UUID `gorm:"type:uuid;primaryKey;default:gen_random_uuid()"`
	Reference         string
	PlanID            uuid.UUID `gorm:"type:uuid"`
	NeedID            uuid.UUID `gorm:"type:uuid"`
	PersonID          uuid.UUID `gorm:"type:uuid"`
	Team              string
	ServiceType       providers.ServiceType
	Specialist        bool
	HoursPerWeek      int
	Places            int
	StartDate         day.Date
	BudgetWeeklyPence int64
	Funding           Funding
	Urgency           plans.Urgency
	Postcode          string
	Latitude          *float64
	Longitude         *float64
	Preferences       plans.Preferences `gorm:"embedded"`
	OutOfArea         bool
	HostArea          string
	Status            Status
	HeldFrom          Status
	ResponseDeadline  *time.Time
	ChosenOfferID     *uuid.UUID `gorm:"type:uuid"`
	AgreedStartDate   day.Date
	AgreementID       *uuid.UUID `gorm:"type:uuid"`
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

func (requestRow) TableName() string { return "requests" }

// transitionRow is a row of request_transitions.
type transitionRow struct {
	ID          int64     `gorm:"primaryKey"`
	RequestID   uuid.UUID `gorm:"type:uuid"`
	From        Status    `gorm:"column:from_status"`
	To          Status    `gorm:"column:to_status"`
	At          time.Time
	ActorUserID *uuid.UUID `gorm:"type:uuid"`
	ActorRole   string
	OnBehalfOf  string
	Reason      string
}

func (transitionRow) TableName() string { return "request_transitions" }

// requestsOf converts rows read from requests.
func requestsOf(rows []requestRow) []Request {
	rs := make([]Request, len(rows))
	for i, row := range rows {
		rs[i] = Request(row)
	}
	return rs
}

// insertRequest writes a new request; the database gives it its id (set on
// r) and its reference.
func (s *Store) insertRequest(ctx context.Context, r *Request) error {
	row := requestRow(*r)
	if err := s.db.Gorm(ctx).Omit("id", "reference").Create(&row).Error; err != nil {
		return dbErr(err)
	}
	r.ID = row.ID
	return nil
}

// request returns a request, locking its row FOR UPDATE when lock is true,
// or NotFound.
func (s *Store) request(ctx context.Context, id uuid.UUID, lock bool) (Request, error) {
	var row requestRow
	q := s.db.Gorm(ctx).Where("id = ?", id)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.Take(&row).Error
	return Request(row), postgres.NotFound(err, errNoRequest)
}

// saveRequest writes the columns the state machine changes.
func (s *Store) saveRequest(ctx context.Context, r *Request) error {
	row := requestRow(*r)
	return dbErr(s.db.Gorm(ctx).Model(&requestRow{}).Where("id = ?", r.ID).
		Select("status", "held_from", "response_deadline", "chosen_offer_id", "agreed_start_date", "agreement_id", "updated_at").
		Updates(&row).Error)
}

func (s *Store) insertTransition(ctx context.Context, t *Transition) error {
	row := transitionRow(*t)
	if err := s.db.Gorm(ctx).Omit("id").Create(&row).Error; err != nil {
		return dbErr(err)
	}
	t.ID = row.ID
	return nil
}

// transitions lists a request's state changes, oldest first.
func (s *Store) transitions(ctx context.Context, requestID uuid.UUID) ([]Transition, error) {
	var rows []transitionRow
	if err := s.db.Gorm(ctx).Where("request_id = ?", requestID).Order("id").Find(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	ts := make([]Transition, len(rows))
	for i, row := range rows {
		ts[i] = Transition(row)
	}
	return ts, nil
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
	var rows []requestRow
	if err := q.Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	return requestsOf(rows), nil
}

// overdue returns up to limit requests waiting for answers whose deadline
// is before now.
func (s *Store) overdue(ctx context.Context, now time.Time, limit int) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := s.db.Gorm(ctx).Model(&requestRow{}).
		Where("status IN ? AND response_deadline < ?", []Status{Invited, OffersReceived}, now).
		Order("response_deadline").Limit(limit).Pluck("id", &ids).Error
	return ids, dbErr(err)
}

// requestsOfPlans is the plans.Workflow brokerage gives the plans package:
// the request made from each need of a plan, read on the caller's
// connection (inside its transaction, if it has one).
type requestsOfPlans struct{}

var _ plans.Workflow = requestsOfPlans{}

// RequestsOfPlan returns the id of the request made from each need of plan
// planID, by need id.
func (requestsOfPlans) RequestsOfPlan(ctx context.Context, conn postgres.Conn, planID uuid.UUID) (map[uuid.UUID]uuid.UUID, error) {
	var made []struct {
		ID     uuid.UUID
		NeedID uuid.UUID
	}
	if err := conn.Gorm(ctx).Model(&requestRow{}).Select("id", "need_id").Where("plan_id = ?", planID).Find(&made).Error; err != nil {
		return nil, dbErr(err)
	}
	out := make(map[uuid.UUID]uuid.UUID, len(made))
	for _, m := range made {
		out[m.NeedID] = m.ID
	}
	return out, nil
}
