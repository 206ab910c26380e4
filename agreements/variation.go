package agreements

import (
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

// Ending is how an agreement ends: its last day, why, and, when it is
// varied rather than simply ended, the agreement that replaces it.
type Ending struct {
	EndsOn     day.Date
	Reason     string
	ReplacedBy *uuid.UUID
}

func (e *Ending) validate() error {
	if e.EndsOn.IsZero() {
		return errs.InvalidField("ends_on", "is required: the last day of the service")
	}
	return text("reason", &e.Reason, true, maxText)
}

// end records that the agreement ends on e.EndsOn: as varied when a
// successor replaces it, otherwise as ended. An agreement ends once: if it
// is not active it is Conflict. A last day before the start is moved to the
// day before the start (the service never ran).
func (a *Agreement) end(now time.Time, e Ending) error {
	if a.Status != Active {
		return errs.Conflictf("agreement %s already %s on %s", a.Reference, a.Status, a.EndsOn.UK())
	}
	if e.EndsOn.Before(a.StartDate) {
		e.EndsOn = a.StartDate.AddDays(-1)
	}
	a.Status = Ended
	if e.ReplacedBy != nil {
		a.Status = Varied
	}
	a.EndedAt, a.EndsOn, a.EndReason, a.ReplacedBy = &now, e.EndsOn, e.Reason, e.ReplacedBy
	return nil
}

// VariationKind says what a review changed about an agreement.
type VariationKind string

// The variation kinds.
const (
	// VaryChange: the need the agreement meets changed (more hours, say).
	// Brokerage re-opens for the changed need; the agreement goes on until
	// the new arrangement starts, and then ends as varied.
	VaryChange VariationKind = "change"
	// VaryEnd: the need is no longer in the plan; the agreement ends.
	VaryEnd VariationKind = "end"
)

// NewVariation is a change to an agreement decided at a review.
type NewVariation struct {
	AgreementID uuid.UUID
	Kind        VariationKind
	// SourceKey names the change (the plan version it comes from), so one
	// change is recorded, and finance told of it, once.
	SourceKey   string
	Reason      string
	EffectiveOn day.Date

	// What the need becomes, for a change.
	HoursAfter, PlacesAfter int
	WeeklyBudgetAfter       int64
	NewRequestID            *uuid.UUID
	NewRequestReference     string

	ReviewTaskID *uuid.UUID
}

func (v *NewVariation) validate() error {
	switch {
	case v.AgreementID == uuid.Nil:
		return errs.InvalidField("agreement_id", "is required")
	case v.Kind != VaryChange && v.Kind != VaryEnd:
		return errs.InvalidField("kind", "must be change or end")
	case v.SourceKey == "" || len(v.SourceKey) > 150:
		return errs.InvalidField("source_key", "is required, at most 150 characters")
	case v.EffectiveOn.IsZero():
		return errs.InvalidField("effective_on", "is required")
	}
	return text("reason", &v.Reason, true, maxText)
}

// Variation is a recorded change to an agreement.
type Variation struct {
	ID                uuid.UUID     `json:"id"`
	AgreementID       uuid.UUID     `json:"agreement_id"`
	Reference         string        `json:"agreement_reference"`
	Kind              VariationKind `json:"kind"`
	SourceKey         string        `json:"source_key"`
	Reason            string        `json:"reason"`
	EffectiveOn       day.Date      `json:"effective_on"`
	HoursBefore       int           `json:"hours_before"`
	HoursAfter        int           `json:"hours_after"`
	PlacesBefore      int           `json:"places_before"`
	PlacesAfter       int           `json:"places_after"`
	WeeklyCostBefore  int64         `json:"weekly_cost_before_pence"`
	WeeklyBudgetAfter int64         `json:"weekly_budget_after_pence"`
	NewRequestID      *uuid.UUID    `json:"new_request_id,omitempty"`
	ReviewTaskID      *uuid.UUID    `json:"review_task_id,omitempty"`
	CreatedAt         time.Time     `json:"created_at"`
	CreatedBy         *uuid.UUID    `json:"created_by,omitempty"`
}

// The kinds of the finance notifications about a change to an agreement.
const (
	VariedNotificationKind = "agreement.varied"
	EndedNotificationKind  = "agreement.ended"
)
