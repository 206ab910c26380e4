package providers

import (
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

// CapacityStep is one row of a service's capacity calendar: from its date
// until the next step's date the service has Units (hours a week, or
// places), Reserved of them taken by agreed care, and Free = Units -
// Reserved. Nothing is free before the first step.
type CapacityStep struct {
	From     day.Date `json:"from"`
	Units    int      `json:"units"`
	Reserved int      `json:"reserved"`
	Free     int      `json:"free"`
}

// maxUnits bounds a capacity amount: no service has 100,000 hours a week.
const maxUnits = 100000

// CapacityChange is a provider saying how much it has from a date: "from
// 2026-12-01: 30 hours a week". Later steps keep their own amounts.
type CapacityChange struct {
	From  day.Date `json:"from"`
	Units int      `json:"units"`
}

// Validate returns Invalid naming the first wrong field.
func (c CapacityChange) Validate() error {
	if c.From.IsZero() {
		return errs.InvalidField("from", "is required, like 2026-12-01")
	}
	if c.Units < 0 {
		return errs.InvalidField("units", "must not be negative (it is %d)", c.Units)
	}
	if c.Units > maxUnits {
		return errs.InvalidField("units", "must be at most %d", maxUnits)
	}
	return nil
}

// StepOn returns the step in force on d: the last step from on or before d.
// ok is false when the calendar starts after d.
func StepOn(steps []CapacityStep, d day.Date) (step CapacityStep, ok bool) {
	for _, s := range steps {
		if s.From.After(d) {
			break
		}
		step, ok = s, true
	}
	return step, ok
}

// FreeFrom returns the least capacity free on any day from d onwards. Care
// is ongoing, so a later step with less free limits a start on d as much as
// the step in force on d does. It is 0 when nothing is recorded for d.
func FreeFrom(steps []CapacityStep, d day.Date) int {
	first, ok := StepOn(steps, d)
	if !ok {
		return 0
	}
	least := first.Free
	for _, s := range steps {
		if s.From.After(d) && s.Free < least {
			least = s.Free
		}
	}
	return least
}
