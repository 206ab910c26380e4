package packages

import (
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

// Kind is what a change does to a package.
type Kind string

// The kinds of change.
const (
	Start   Kind = "start"   // the agreement's first line (made with the agreement)
	Hours   Kind = "hours"   // more or fewer hours a week (or places)
	Price   Kind = "price"   // a new unit price
	Suspend Kind = "suspend" // care paused from a day (a hospital stay), perhaps with a return day
	Resume  Kind = "resume"  // care starts again on a day
	End     Kind = "end"     // the package ends after its last day
	Uplift  Kind = "uplift"  // the council's annual uplift of the unit price
)

// Side says who made or asked for a change.
type Side string

// The sides.
const (
	Council  Side = "council"
	Provider Side = "provider"
)

// Status is where a change is.
type Status string

// The statuses. A council change is applied when made; a provider's is asked
// until council staff approve (applied) or refuse it.
const (
	Asked   Status = "asked"
	Applied Status = "applied"
	Refused Status = "refused"
)

// The causes a suspension or an end gives.
var (
	suspendCauses = []string{"hospital", "respite", "other"}
	endCauses     = []string{"death", "moved", "no_longer_needed", "other"}
)

// NewChange is a change the council makes or a provider asks for. Version is
// the package's version the caller saw: if the package changed since, the
// change is refused (Conflict), so two changes made on the same sight of a
// package cannot both go through.
type NewChange struct {
	Kind    Kind `json:"kind"`
	Version int  `json:"version"`
	// From is the first day the change applies (hours, price, suspend, resume).
	From day.Date `json:"from"`
	// LastDay is an end's last day of care.
	LastDay        day.Date `json:"last_day"`
	HoursPerWeek   *int     `json:"hours_per_week"`
	Places         *int     `json:"places"`
	UnitPricePence *int64   `json:"unit_price_pence"`
	// ReturnsOn is a suspension's first day back, when known.
	ReturnsOn day.Date `json:"returns_on"`
	// Cause is why a suspension (hospital, respite, other) or an end (death,
	// moved, no_longer_needed, other) happens.
	Cause  string `json:"cause"`
	Reason string `json:"reason"`
}

// Validate checks the change's shape, naming the first field that is wrong.
// It returns Invalid.
func (n *NewChange) Validate() error {
	n.Reason, n.Cause = strings.TrimSpace(n.Reason), strings.TrimSpace(n.Cause)
	if n.Version < 1 {
		return errs.InvalidField("version", "is required: the package's version you are changing")
	}
	switch n.Kind {
	case Hours:
		if err := n.needFrom(); err != nil {
			return err
		}
		switch {
		case (n.HoursPerWeek == nil) == (n.Places == nil):
			return errs.InvalidField("hours_per_week", "give the new hours a week, or the new places, not both")
		case n.HoursPerWeek != nil && (*n.HoursPerWeek < 1 || *n.HoursPerWeek > 168):
			return errs.InvalidField("hours_per_week", "must be between 1 and 168")
		case n.Places != nil && (*n.Places < 1 || *n.Places > 1000):
			return errs.InvalidField("places", "must be between 1 and 1000")
		}
	case Price:
		if err := n.needFrom(); err != nil {
			return err
		}
		if n.UnitPricePence == nil || *n.UnitPricePence < 1 || *n.UnitPricePence > 100_000_00 {
			return errs.InvalidField("unit_price_pence", "must be between 1 and 10000000 pence")
		}
	case Suspend:
		if err := n.needFrom(); err != nil {
			return err
		}
		if !n.ReturnsOn.IsZero() && !n.ReturnsOn.After(n.From) {
			return errs.InvalidField("returns_on", "must be after the first day away (%s)", n.From.UK())
		}
		if !oneOf(n.Cause, suspendCauses) {
			return errs.InvalidField("cause", "must be one of %s", strings.Join(suspendCauses, ", "))
		}
	case Resume:
		if err := n.needFrom(); err != nil {
			return err
		}
	case End:
		if n.LastDay.IsZero() {
			return errs.InvalidField("last_day", "is required: the last day of care")
		}
		if !oneOf(n.Cause, endCauses) {
			return errs.InvalidField("cause", "must be one of %s", strings.Join(endCauses, ", "))
		}
	default:
		return errs.InvalidField("kind", "must be hours, price, suspend, resume or end")
	}
	if n.Kind != Hours && (n.HoursPerWeek != nil || n.Places != nil) {
		return errs.InvalidField("hours_per_week", "is only for a change of hours")
	}
	if n.Kind != Price && n.UnitPricePence != nil {
		return errs.InvalidField("unit_price_pence", "is only for a change of price")
	}
	if n.Kind != Suspend && !n.ReturnsOn.IsZero() {
		return errs.InvalidField("returns_on", "is only for a suspension")
	}
	if n.Kind != End && !n.LastDay.IsZero() {
		return errs.InvalidField("last_day", "is only for an end")
	}
	if n.Kind != Suspend && n.Kind != End && n.Cause != "" {
		return errs.InvalidField("cause", "is only for a suspension or an end")
	}
	if n.Reason == "" || len(n.Reason) > 2000 {
		return errs.InvalidField("reason", "is required (at most 2000 characters): the person sees it")
	}
	return nil
}

func (n *NewChange) needFrom() error {
	if n.From.IsZero() {
		return errs.InvalidField("from", "is required: the first day the change applies")
	}
	if !n.LastDay.IsZero() {
		return errs.InvalidField("last_day", "is only for an end")
	}
	return nil
}

func oneOf(s string, set []string) bool {
	for _, x := range set {
		if s == x {
			return true
		}
	}
	return false
}

// Change is a change made to, or asked of, a package.
type Change struct {
	ID          uuid.UUID `json:"id"`
	AgreementID uuid.UUID `json:"agreement_id"`
	Kind        Kind      `json:"kind"`
	Side        Side      `json:"side"`
	Status      Status    `json:"status"`
	// EffectiveFrom is the first day the change applies; for an end, the
	// first day without care (the day after LastDay).
	EffectiveFrom  day.Date   `json:"effective_from"`
	LastDay        day.Date   `json:"last_day,omitzero"`
	HoursPerWeek   *int       `json:"hours_per_week,omitempty"`
	Places         *int       `json:"places,omitempty"`
	UnitPricePence *int64     `json:"unit_price_pence,omitempty"`
	ReturnsOn      day.Date   `json:"returns_on,omitzero"`
	Cause          string     `json:"cause,omitempty"`
	Reason         string     `json:"reason"`
	UpliftID       *uuid.UUID `json:"uplift_id,omitempty"`
	AskedBy        *uuid.UUID `json:"asked_by,omitempty"`
	AskedAt        time.Time  `json:"asked_at"`
	DecidedBy      *uuid.UUID `json:"decided_by,omitempty"`
	DecidedAt      *time.Time `json:"decided_at,omitempty"`
	DecisionReason string     `json:"decision_reason,omitempty"`
}

// newChange is the change n describes, not yet saved.
func newChange(agreementID uuid.UUID, n NewChange, side Side, by *uuid.UUID, now time.Time) Change {
	c := Change{ID: uuid.New(), AgreementID: agreementID, Kind: n.Kind, Side: side, Status: Asked, EffectiveFrom: n.From,
		HoursPerWeek: n.HoursPerWeek, Places: n.Places, UnitPricePence: n.UnitPricePence, ReturnsOn: n.ReturnsOn,
		Cause: n.Cause, Reason: n.Reason, AskedBy: by, AskedAt: now}
	if n.Kind == End {
		c.LastDay, c.EffectiveFrom = n.LastDay, n.LastDay.AddDays(1)
	}
	return c
}

// decide records the council's decision on an asked change: Conflict if it
// was already decided.
func (c *Change) decide(to Status, by *uuid.UUID, now time.Time, reason string) error {
	if c.Status != Asked {
		return errs.Conflictf("this change was already %s", c.Status)
	}
	c.Status, c.DecidedBy, c.DecidedAt, c.DecisionReason = to, by, &now, reason
	return nil
}

// Describe says in words what the change does, for the person, the
// provider and finance.
func (c Change) Describe() string {
	switch c.Kind {
	case Start:
		return "care started"
	case Hours:
		if c.HoursPerWeek != nil {
			return "hours changed to " + plural(*c.HoursPerWeek, "hour") + " a week"
		}
		return "places changed to " + plural(*c.Places, "place")
	case Price, Uplift:
		what := "price changed"
		if c.Kind == Uplift {
			what = "annual uplift"
		}
		if c.UnitPricePence != nil {
			return what + " to " + pounds(*c.UnitPricePence) + " a unit"
		}
		return what
	case Suspend:
		s := "care paused (" + strings.ReplaceAll(c.Cause, "_", " ") + ") from " + c.EffectiveFrom.UK()
		if !c.ReturnsOn.IsZero() {
			s += ", back on " + c.ReturnsOn.UK()
		}
		return s
	case Resume:
		return "care started again on " + c.EffectiveFrom.UK()
	case End:
		return "care ends after " + c.LastDay.UK() + " (" + strings.ReplaceAll(c.Cause, "_", " ") + ")"
	}
	return string(c.Kind)
}
