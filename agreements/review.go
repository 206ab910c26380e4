package agreements

import (
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

// ReviewKind says which review a task is.
type ReviewKind string

// The review kinds, in the order they fall due.
const (
	WelfareCheck ReviewKind = "welfare_check" // 72 hours after the start
	FirstReview  ReviewKind = "first_review"  // 6 to 8 weeks after the start
	AnnualReview ReviewKind = "annual_review" // then at most every 12 months
	// PlanReview is a review of the person's plan not tied to one agreement:
	// triggered by a direct payment's monitoring, say, or by a change of
	// circumstances.
	PlanReview ReviewKind = "plan_review"
	// SupportReview reviews professional support a practitioner gives; the
	// next falls due a year after each.
	SupportReview ReviewKind = "support_review"
)

// SubjectType says what a review task reviews.
type SubjectType string

// The subjects of review tasks.
const (
	SubjectAgreement           SubjectType = "agreement"
	SubjectPlan                SubjectType = "plan"
	SubjectDirectPayment       SubjectType = "direct_payment"
	SubjectProfessionalSupport SubjectType = "professional_support"
)

// ReviewSchedule is when an agreement's reviews fall due.
type ReviewSchedule struct {
	WelfareCheckDue day.Date `json:"welfare_check_due"`
	FirstReviewFrom day.Date `json:"first_review_from"`
	FirstReviewBy   day.Date `json:"first_review_by"`
	AnnualReviewDue day.Date `json:"annual_review_due"`
}

// annualWindowDays is how early a yearly review may be held before it is due.
const annualWindowDays = 28

// ScheduleFor returns the review schedule of a service starting on start:
// the welfare check 3 days (72 hours) after it, the first formal review
// between 6 and 8 weeks after it, and the first yearly review on its first
// anniversary (28 February when the start is 29 February, so that it is
// never more than 12 months away).
func ScheduleFor(start day.Date) ReviewSchedule {
	return ReviewSchedule{
		WelfareCheckDue: start.AddDays(3),
		FirstReviewFrom: start.AddDays(6 * 7),
		FirstReviewBy:   start.AddDays(8 * 7),
		AnnualReviewDue: AnniversaryOf(start, 1),
	}
}

// AnniversaryOf returns the day n years after start, clamped to the end of
// the month: the first anniversary of 29 February 2028 is 28 February 2029.
func AnniversaryOf(start day.Date, years int) day.Date {
	return addMonthsClamped(start, 12*years)
}

// addMonthsClamped adds months without overflowing into the next month
// (day.Date.AddMonths normalises 31 April to 1 May; a review must not slip).
func addMonthsClamped(d day.Date, months int) day.Date {
	first := day.New(d.Year, d.Month+time.Month(months), 1)
	last := first.AddMonths(1).AddDays(-1).Day
	dd := d.Day
	if dd > last {
		dd = last
	}
	return day.New(first.Year, first.Month, dd)
}

// ReviewStatus is where a review task is.
type ReviewStatus string

// The review statuses.
const (
	ReviewOpen      ReviewStatus = "open"
	ReviewCompleted ReviewStatus = "completed"
	ReviewCancelled ReviewStatus = "cancelled" // what it reviewed ended first
)

// ReviewTask is a review the practitioner's team must hold, due between
// DueFrom and DueBy.
type ReviewTask struct {
	ID           uuid.UUID    `json:"id"`
	AgreementID  uuid.UUID    `json:"agreement_id,omitzero"`
	SubjectType  SubjectType  `json:"subject_type"`
	SubjectID    uuid.UUID    `json:"subject_id"`
	PlanID       *uuid.UUID   `json:"plan_id,omitempty"`
	Reason       string       `json:"reason,omitempty"`
	Reference    string       `json:"agreement_reference"`
	PersonID     uuid.UUID    `json:"person_id"`
	PersonName   string       `json:"person_name"`
	ProviderName string       `json:"provider_name"`
	Team         string       `json:"team"`
	Kind         ReviewKind   `json:"kind"`
	DueFrom      day.Date     `json:"due_from"`
	DueBy        day.Date     `json:"due_by"`
	Status       ReviewStatus `json:"status"`
	Outcome      string       `json:"outcome,omitempty"`
	CompletedAt  *time.Time   `json:"completed_at,omitempty"`
	CompletedBy  *uuid.UUID   `json:"completed_by,omitempty"`
}

// Complete records the review as held. It returns Conflict if it already
// was, and Invalid if the outcome is missing or too long.
func (r *ReviewTask) Complete(by uuid.UUID, outcome string, now time.Time) error {
	if r.Status != ReviewOpen {
		return r.notOpen()
	}
	if err := text("outcome", &outcome, true, maxText); err != nil {
		return err
	}
	r.Status, r.Outcome, r.CompletedAt, r.CompletedBy = ReviewCompleted, outcome, &now, &by
	return nil
}

// notOpen says why a task that is not open cannot be acted on (Conflict).
func (r *ReviewTask) notOpen() error {
	if r.Status == ReviewCancelled {
		return errs.Conflictf("this review was cancelled: %s", r.Outcome)
	}
	when := "earlier"
	if r.CompletedAt != nil {
		when = "on " + day.InLondon(*r.CompletedAt).UK()
	}
	return errs.Conflictf("this review was already completed %s", when)
}

// tasksFor returns the review tasks a new agreement starts with.
func tasksFor(s ReviewSchedule) []ReviewTask {
	return []ReviewTask{
		{Kind: WelfareCheck, DueFrom: s.WelfareCheckDue, DueBy: s.WelfareCheckDue},
		{Kind: FirstReview, DueFrom: s.FirstReviewFrom, DueBy: s.FirstReviewBy},
		annualTask(s.AnnualReviewDue),
	}
}

func annualTask(due day.Date) ReviewTask {
	return ReviewTask{Kind: AnnualReview, DueFrom: due.AddDays(-annualWindowDays), DueBy: due}
}

// nextAnnual returns the yearly review after the one due on due, for an
// agreement that started on start: the next anniversary of the start.
func nextAnnual(start, due day.Date) ReviewTask {
	for n := 1; ; n++ {
		if a := AnniversaryOf(start, n); a.After(due) {
			return annualTask(a)
		}
	}
}
