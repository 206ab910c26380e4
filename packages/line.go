package packages

import (
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/internal/day"
)

// LineKind says whether a line is care delivered or care paused.
type LineKind string

// The line kinds.
const (
	// ServiceLine: the care is delivered at the line's units and price.
	ServiceLine LineKind = "service"
	// SuspendedLine: the care is paused (a hospital stay, say); the weekly
	// cost is the contract's retainer, often nothing.
	SuspendedLine LineKind = "suspended"
)

// Line is one dated line of a package: from From to To (both days included;
// To zero while open-ended).
type Line struct {
	ID              uuid.UUID  `json:"id"`
	AgreementID     uuid.UUID  `json:"agreement_id"`
	ChangeID        uuid.UUID  `json:"change_id"`
	Kind            LineKind   `json:"kind"`
	ServiceID       uuid.UUID  `json:"service_id"`
	HoursPerWeek    int        `json:"hours_per_week"`
	Places          int        `json:"places"`
	UnitPricePence  int64      `json:"unit_price_pence"`
	WeeklyCostPence int64      `json:"weekly_cost_pence"`
	From            day.Date   `json:"from"`
	To              day.Date   `json:"to,omitzero"`
	Reason          string     `json:"reason"`
	CreatedBy       *uuid.UUID `json:"created_by,omitempty"`
	CreatedAt       time.Time  `json:"created_at"`
	// WithdrawnAt is set on a line a later change replaced before it began.
	WithdrawnAt *time.Time `json:"withdrawn_at,omitempty"`
	WithdrawnBy *uuid.UUID `json:"withdrawn_by,omitempty"`
}

// Withdrawn reports whether a later change replaced the line before it began.
func (l Line) Withdrawn() bool { return l.WithdrawnAt != nil }

// Covers reports whether the line is in force on d.
func (l Line) Covers(d day.Date) bool {
	return !l.Withdrawn() && !d.Before(l.From) && (l.To.IsZero() || !d.After(l.To))
}

// Units is the line's hours a week or places, whichever it counts.
func (l Line) Units() int { return l.HoursPerWeek + l.Places }

// weeklyCost is what units at unitPrice cost a week.
func weeklyCost(units int, unitPricePence int64) int64 { return int64(units) * unitPricePence }

// InForce returns the line in force on d, if any.
func InForce(lines []Line, d day.Date) (Line, bool) {
	for _, l := range lines {
		if l.Covers(d) {
			return l, true
		}
	}
	return Line{}, false
}
