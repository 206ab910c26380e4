package agreements

import (
	"context"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
)

// NewReview is a review task not tied to one agreement: a review of a
// person's plan (triggered by a direct payment's monitoring, say) or of
// professional support. Agreements get theirs from Create.
type NewReview struct {
	Subject    SubjectType // plan, direct_payment or professional_support
	SubjectID  uuid.UUID
	PlanID     *uuid.UUID // the plan under review, when there is one
	PersonID   uuid.UUID
	PersonName string
	Team       string
	Kind       ReviewKind // plan_review or support_review
	DueFrom    day.Date
	DueBy      day.Date
	Reason     string // why the review is needed, as the practitioner reads it
}

func (n *NewReview) validate() error {
	switch {
	case n.Subject != SubjectPlan && n.Subject != SubjectDirectPayment && n.Subject != SubjectProfessionalSupport:
		return errs.InvalidField("subject_type", "must be plan, direct_payment or professional_support")
	case n.SubjectID == uuid.Nil:
		return errs.InvalidField("subject_id", "is required")
	case n.PersonID == uuid.Nil:
		return errs.InvalidField("person_id", "is required")
	case !accounts.ValidTeam(n.Team):
		return errs.InvalidField("team", "is not a known team")
	case n.Kind != PlanReview && n.Kind != SupportReview:
		return errs.InvalidField("kind", "must be plan_review or support_review")
	case n.DueFrom.IsZero() || n.DueBy.IsZero() || n.DueBy.Before(n.DueFrom):
		return errs.InvalidField("due_by", "must be a day on or after due_from")
	}
	if err := text("person_name", &n.PersonName, false, maxName); err != nil {
		return err
	}
	return text("reason", &n.Reason, true, maxText)
}

// ScheduleReview adds, in tx, a review task for the practitioners of
// n.Team, and writes the audit event. A second task for the same subject,
// kind and day is not made: the reason is added to the first, which is
// returned. It returns Invalid naming the field that is wrong.
func (s *Store) ScheduleReview(ctx context.Context, tx *postgres.Tx, actor accounts.Actor, n NewReview) (ReviewTask, error) {
	if err := n.validate(); err != nil {
		return ReviewTask{}, err
	}
	db := tx.Gorm(ctx)
	now := s.now().UTC()
	var made struct{ ID uuid.UUID }
	err := db.Raw(`
		INSERT INTO review_tasks (id, subject_type, subject_id, plan_id, person_id, person_name, team, kind, due_from, due_by, status, reason, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)
		ON CONFLICT (subject_type, subject_id, kind, due_by) WHERE agreement_id IS NULL
		DO UPDATE SET reason = CASE WHEN position(EXCLUDED.reason IN review_tasks.reason) > 0 THEN review_tasks.reason
			ELSE left(review_tasks.reason || '; ' || EXCLUDED.reason, 4000) END
		RETURNING id`,
		uuid.New(), string(n.Subject), n.SubjectID, n.PlanID, n.PersonID, n.PersonName, n.Team, string(n.Kind),
		n.DueFrom, n.DueBy, n.Reason, now).Scan(&made).Error
	if err != nil {
		return ReviewTask{}, postgres.Translate(err)
	}
	var v reviewView
	if err := db.Table("review_tasks").Select(reviewSelect).Joins(reviewJoin).Where("review_tasks.id = ?", made.ID).Take(&v).Error; err != nil {
		return ReviewTask{}, postgres.Translate(err)
	}
	t := v.task()
	return t, audit.Record(ctx, tx, audit.Entry{
		Actor: actor, Action: "review.schedule", ObjectType: "review_task", ObjectID: t.ID.String(), PersonID: t.PersonID,
		Summary: map[string]any{"kind": t.Kind, "subject_type": t.SubjectType, "subject_id": t.SubjectID,
			"due_from": t.DueFrom, "due_by": t.DueBy, "reason": n.Reason},
	})
}

// CancelReviews cancels, in tx, the open review tasks of a subject that is
// not an agreement (End cancels an agreement's), saying why, and writes the
// audit event. It returns how many it cancelled.
func (s *Store) CancelReviews(ctx context.Context, tx *postgres.Tx, actor accounts.Actor, subject SubjectType, subjectID uuid.UUID, why string) (int64, error) {
	if err := text("reason", &why, true, maxText); err != nil {
		return 0, err
	}
	res := tx.Gorm(ctx).Model(&reviewRow{}).
		Where("subject_type = ? AND subject_id = ? AND agreement_id IS NULL AND status = 'open'", string(subject), subjectID).
		Updates(map[string]any{"status": string(ReviewCancelled), "outcome": why})
	if res.Error != nil || res.RowsAffected == 0 {
		return 0, postgres.Translate(res.Error)
	}
	return res.RowsAffected, audit.Record(ctx, tx, audit.Entry{
		Actor: actor, Action: "review.cancel", ObjectType: string(subject), ObjectID: subjectID.String(),
		Summary: map[string]any{"cancelled": res.RowsAffected, "reason": why},
	})
}
