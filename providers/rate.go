package providers

import (
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

// Rate is a service's price over a span of days: pence an hour for
// hour-based services, pence a place a week for place-based ones (Unit says
// which). ValidTo is the last day; zero means open-ended.
type Rate struct {
	ID        uuid.UUID `json:"id"`
	ServiceID uuid.UUID `json:"service_id"`
	Pence     int64     `json:"pence"`
	Unit      string    `json:"unit"` // "hour" or "week"
	ValidFrom day.Date  `json:"valid_from"`
	ValidTo   day.Date  `json:"valid_to"`
	CreatedAt time.Time `json:"created_at"`
}

// maxRatePence bounds a rate at £100,000 an hour or a week.
const maxRatePence = 10_000_000

// NewRate is a provider's new price from a day.
type NewRate struct {
	Pence     int64    `json:"pence"`
	ValidFrom day.Date `json:"valid_from"`
	ValidTo   day.Date `json:"valid_to"`
}

// Validate returns Invalid naming the first wrong field.
func (r NewRate) Validate() error {
	if r.Pence <= 0 {
		return errs.InvalidField("pence", "must be more than 0 (a rate is in pence, like 2450 for £24.50)")
	}
	if r.Pence > maxRatePence {
		return errs.InvalidField("pence", "must be at most %d", maxRatePence)
	}
	if r.ValidFrom.IsZero() {
		return errs.InvalidField("valid_from", "is required, like 2026-12-01")
	}
	if !r.ValidTo.IsZero() && r.ValidTo.Before(r.ValidFrom) {
		return errs.InvalidField("valid_to", "must not be before valid_from (%s)", r.ValidFrom)
	}
	return nil
}

// covers reports whether the span from..to (to zero meaning open-ended)
// includes d.
func covers(from, to, d day.Date) bool {
	return !from.After(d) && (to.IsZero() || !d.After(to))
}

// RateOn returns the rate in force on d.
func RateOn(rates []Rate, d day.Date) (Rate, bool) {
	for _, r := range rates {
		if covers(r.ValidFrom, r.ValidTo, d) {
			return r, true
		}
	}
	return Rate{}, false
}
