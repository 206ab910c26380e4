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
	ID          uuid.UUID `gorm:"type:uuid;primaryKey"`
	AgreementID uuid.UUID `gorm:"type:uuid"`
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

// reviewView is a review task joined with its agreement, for lists.
type reviewView struct {
	Row          reviewRow `gorm:"embedded"`
	Reference    string
	PersonName   string
	ProviderName string
	StartDate    day.Date
}

func (v reviewView) task() ReviewTask {
	r := v.Row
	return ReviewTask{
		ID: r.ID, AgreementID: r.AgreementID, Reference: v.Reference, PersonID: r.PersonID,
		PersonName: v.PersonName, ProviderName: v.ProviderName, Team: r.Team, Kind: ReviewKind(r.Kind),
		DueFrom: r.DueFrom, DueBy: r.DueBy, Status: ReviewStatus(r.Status), Outcome: r.Outcome,
		CompletedAt: r.CompletedAt, CompletedBy: r.CompletedBy,
	}
}

func insertTask(db *gorm.DB, a Agreement, t ReviewTask, now time.Time) error {
	row := reviewRow{
		ID: uuid.New(), AgreementID: a.ID, PersonID: a.PersonID, Team: a.Team, Kind: string(t.Kind),
		DueFrom: t.DueFrom, DueBy: t.DueBy, Status: string(ReviewOpen), CreatedAt: now,
	}
	return postgres.Translate(db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error)
}

// ReviewFilter narrows Reviews. The zero value lists open tasks.
type ReviewFilter struct {
	Status ReviewStatus // "" or open: open tasks; completed; or "all"
	Limit  int          // at most 500
}

const reviewSelect = `review_tasks.*, agreements.reference, agreements.person_name, agreements.provider_name, agreements.start_date`

// Reviews lists the review tasks of the practitioner's team, soonest due
// first. It returns Forbidden for anyone but a practitioner, and Invalid
// for an unknown status.
func (s *Store) Reviews(ctx context.Context, actor accounts.Actor, f ReviewFilter) ([]ReviewTask, error) {
	if err := actor.Require(accounts.Practitioner); err != nil {
		return nil, err
	}
	q := s.db.WithContext(ctx).Table("review_tasks").Select(reviewSelect).
		Joins("JOIN agreements ON agreements.id = review_tasks.agreement_id").
		Where("review_tasks.team = ?", actor.Team)
	switch f.Status {
	case "", ReviewOpen:
		q = q.Where("review_tasks.status = 'open'")
	case ReviewCompleted:
		q = q.Where("review_tasks.status = 'completed'")
	case "all":
	default:
		return nil, errs.InvalidField("status", "must be open, completed or all")
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
// team, with its outcome. Completing a yearly review schedules the next one
// on the following anniversary of the start date. It returns NotFound for a
// task of another team, Conflict if it was already completed, Invalid if
// the outcome is missing, and Forbidden for anyone but a practitioner.
func (s *Store) CompleteReview(ctx context.Context, actor accounts.Actor, id uuid.UUID, outcome string) (ReviewTask, error) {
	if err := actor.Require(accounts.Practitioner); err != nil {
		return ReviewTask{}, err
	}
	var task ReviewTask
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var v reviewView
		err := tx.Table("review_tasks").Select(reviewSelect).
			Joins("JOIN agreements ON agreements.id = review_tasks.agreement_id").
			Where("review_tasks.id = ? AND review_tasks.team = ?", id, actor.Team).
			Clauses(clause.Locking{Strength: "UPDATE", Table: clause.Table{Name: "review_tasks"}}).
			Take(&v).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return errs.NotFoundf("there is no review task %s for your team", id)
		}
		if err != nil {
			return err
		}
		task = v.task()
		now := s.now().UTC()
		if err := task.Complete(actor.UserID, outcome, now); err != nil {
			return err
		}
		err = tx.Model(&reviewRow{}).Where("id = ?", id).Select("status", "outcome", "completed_at", "completed_by").
			Updates(reviewRow{Status: string(task.Status), Outcome: task.Outcome, CompletedAt: task.CompletedAt, CompletedBy: task.CompletedBy}).Error
		if err != nil {
			return err
		}
		summary := map[string]any{"kind": task.Kind, "due_by": task.DueBy, "outcome": task.Outcome}
		if task.Kind == AnnualReview {
			next := nextAnnual(v.StartDate, task.DueBy)
			a := Agreement{ID: task.AgreementID, PersonID: task.PersonID, Team: task.Team}
			if err := insertTask(tx, a, next, now); err != nil {
				return err
			}
			summary["next_review_due"] = next.DueBy
		}
		return audit.Record(ctx, tx, audit.Entry{
			Actor: actor, Action: "review.complete", ObjectType: "review_task", ObjectID: id.String(),
			PersonID: task.PersonID, Summary: summary,
		})
	})
	return task, postgres.Translate(err)
}
