package agreements

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
)

// reviewRow is a row of review_tasks.
type reviewRow struct {
	ID          uuid.UUID  `gorm:"type:uuid;primaryKey"`
	AgreementID *uuid.UUID `gorm:"type:uuid"`
	SubjectType string
	SubjectID   uuid.UUID  `gorm:"type:uuid"`
	PlanID      *uuid.UUID `gorm:"type:uuid"`
	PersonName  string
	Reason      string
	PersonID    uuid.UUID `gorm:"type:uuid"`
	Team        string
	Kind        string
	DueFrom     day.Date
	DueBy       day.Date
	Status      string
	Outcome     string
	CreatedAt   time.Time
	CompletedAt *time.Time
	CompletedBy *uuid.UUID `gorm:"type:uuid"`
}

func (reviewRow) TableName() string { return "review_tasks" }

// reviewView is a review task joined with its agreement (if it has one),
// for lists.
type reviewView struct {
	Row          reviewRow `gorm:"embedded"`
	Reference    string
	ShownName    string `gorm:"column:shown_person_name"`
	ProviderName string
	StartDate    day.Date
	ShownPlanID  *uuid.UUID `gorm:"column:shown_plan_id;type:uuid"`
}

func (v reviewView) task() ReviewTask {
	r := v.Row
	t := ReviewTask{
		ID: r.ID, SubjectType: SubjectType(r.SubjectType), SubjectID: r.SubjectID, PlanID: v.ShownPlanID, Reason: r.Reason,
		Reference: v.Reference, PersonID: r.PersonID,
		PersonName: v.ShownName, ProviderName: v.ProviderName, Team: r.Team, Kind: ReviewKind(r.Kind),
		DueFrom: r.DueFrom, DueBy: r.DueBy, Status: ReviewStatus(r.Status), Outcome: r.Outcome,
		CompletedAt: r.CompletedAt, CompletedBy: r.CompletedBy,
	}
	if r.AgreementID != nil {
		t.AgreementID = *r.AgreementID
	}
	return t
}

func insertTask(db *gorm.DB, a Agreement, t ReviewTask, now time.Time) error {
	id := a.ID
	row := reviewRow{
		ID: uuid.New(), AgreementID: &id, SubjectType: string(SubjectAgreement), SubjectID: a.ID,
		PersonID: a.PersonID, Team: a.Team, Kind: string(t.Kind),
		DueFrom: t.DueFrom, DueBy: t.DueBy, Status: string(ReviewOpen), CreatedAt: now,
	}
	return postgres.Translate(db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error)
}

// ReviewFilter narrows Reviews. The zero value lists open tasks.
type ReviewFilter struct {
	Status ReviewStatus // "" or open: open tasks; completed; or "all"
	Limit  int          // at most 500
}

// reviewSelect reads a task with what its agreement, if any, says of it.
const reviewSelect = `review_tasks.*, COALESCE(agreements.reference, '') AS reference,
	COALESCE(agreements.person_name, review_tasks.person_name) AS shown_person_name,
	COALESCE(agreements.provider_name, '') AS provider_name, agreements.start_date,
	COALESCE(review_tasks.plan_id, agreements.plan_id) AS shown_plan_id`

const reviewJoin = "LEFT JOIN agreements ON agreements.id = review_tasks.agreement_id"

// Reviews lists the review tasks of the practitioner's team, soonest due
// first. It returns Forbidden for anyone but a practitioner, and Invalid
// for an unknown status.
func (s *Store) Reviews(ctx context.Context, actor accounts.Actor, f ReviewFilter) ([]ReviewTask, error) {
	if err := actor.Require(accounts.Practitioner); err != nil {
		return nil, err
	}
	q := s.db.Gorm(ctx).Table("review_tasks").Select(reviewSelect).Joins(reviewJoin).
		Where("review_tasks.team = ?", actor.Team)
	switch f.Status {
	case "", ReviewOpen:
		q = q.Where("review_tasks.status = 'open'")
	case ReviewCompleted, ReviewCancelled:
		q = q.Where("review_tasks.status = ?", f.Status)
	case "all":
	default:
		return nil, errs.InvalidField("status", "must be open, completed, cancelled or all")
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 500
	}
	var views []reviewView
	if err := q.Order("review_tasks.due_by, review_tasks.kind, review_tasks.id").Limit(f.Limit).Find(&views).Error; err != nil {
		return nil, postgres.Translate(err)
	}
	tasks := make([]ReviewTask, len(views))
	for i, v := range views {
		tasks[i] = v.task()
	}
	return tasks, nil
}

// CompleteReview records a review as held by a practitioner of the task's
// team, with its outcome, in its own transaction (see CompleteReviewTx).
func (s *Store) CompleteReview(ctx context.Context, actor accounts.Actor, id uuid.UUID, outcome string) (ReviewTask, error) {
	var task ReviewTask
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		var err error
		task, err = s.CompleteReviewTx(ctx, tx, actor, id, outcome)
		return err
	})
	return task, postgres.Translate(err)
}

// TakeReview locks, in tx, an open review task of the practitioner's team
// (SELECT ... FOR UPDATE) and returns it, so that a use case can act on the
// review in the same transaction. It returns Forbidden for anyone but a
// practitioner, NotFound for a task of another team, and Conflict if the
// task is no longer open.
func (s *Store) TakeReview(ctx context.Context, tx *postgres.Tx, actor accounts.Actor, id uuid.UUID) (ReviewTask, error) {
	v, err := takeReview(ctx, tx, actor, id)
	if err != nil {
		return ReviewTask{}, err
	}
	t := v.task()
	if t.Status != ReviewOpen {
		return ReviewTask{}, t.notOpen()
	}
	return t, nil
}

func takeReview(ctx context.Context, tx *postgres.Tx, actor accounts.Actor, id uuid.UUID) (reviewView, error) {
	var v reviewView
	if err := actor.Require(accounts.Practitioner); err != nil {
		return v, err
	}
	err := tx.Gorm(ctx).Table("review_tasks").Select(reviewSelect).Joins(reviewJoin).
		Where("review_tasks.id = ? AND review_tasks.team = ?", id, actor.Team).
		Clauses(clause.Locking{Strength: "UPDATE", Table: clause.Table{Name: "review_tasks"}}).
		Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return v, errs.NotFoundf("there is no review task %s for your team", id)
	}
	return v, postgres.Translate(err)
}

// CompleteReviewTx records, in tx, a review as held by a practitioner of the
// task's team, with its outcome. Completing a yearly review schedules the
// next one on the following anniversary of the start date; completing a
// review of professional support schedules the next a year on. It returns
// NotFound for a task of another team, Conflict if it was already completed
// or cancelled, Invalid if the outcome is missing, and Forbidden for anyone
// but a practitioner.
func (s *Store) CompleteReviewTx(ctx context.Context, tx *postgres.Tx, actor accounts.Actor, id uuid.UUID, outcome string) (ReviewTask, error) {
	v, err := takeReview(ctx, tx, actor, id)
	if err != nil {
		return ReviewTask{}, err
	}
	task := v.task()
	now := s.now().UTC()
	if err := task.Complete(actor.UserID, outcome, now); err != nil {
		return ReviewTask{}, err
	}
	err = tx.Gorm(ctx).Model(&reviewRow{}).Where("id = ?", id).Select("status", "outcome", "completed_at", "completed_by").
		Updates(reviewRow{Status: string(task.Status), Outcome: task.Outcome, CompletedAt: task.CompletedAt, CompletedBy: task.CompletedBy}).Error
	if err != nil {
		return ReviewTask{}, postgres.Translate(err)
	}
	summary := map[string]any{"kind": task.Kind, "due_by": task.DueBy, "outcome": task.Outcome}
	switch task.Kind {
	case AnnualReview:
		next := nextAnnual(v.StartDate, task.DueBy)
		a := Agreement{ID: task.AgreementID, PersonID: task.PersonID, Team: task.Team}
		if err := insertTask(tx.Gorm(ctx), a, next, now); err != nil {
			return ReviewTask{}, err
		}
		summary["next_review_due"] = next.DueBy
	case SupportReview:
		due := AnniversaryOf(task.DueBy, 1)
		next, err := s.ScheduleReview(ctx, tx, actor, NewReview{Subject: task.SubjectType, SubjectID: task.SubjectID, PlanID: task.PlanID,
			PersonID: task.PersonID, PersonName: task.PersonName, Team: task.Team, Kind: SupportReview,
			DueFrom: due.AddDays(-annualWindowDays), DueBy: due, Reason: "The yearly review of professional support"})
		if err != nil {
			return ReviewTask{}, err
		}
		summary["next_review_due"] = next.DueBy
	}
	return task, audit.Record(ctx, tx, audit.Entry{
		Actor: actor, Action: "review.complete", ObjectType: "review_task", ObjectID: id.String(),
		PersonID: task.PersonID, Summary: summary,
	})
}
