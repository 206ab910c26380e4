package packages

import (
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/money"
)

// Terms are a provider's contract terms for changes.
type Terms struct {
	// A suspended package is paid RetainerPercent of its weekly cost for its
	// first RetainerWeeks weeks, and nothing after: 100 and 2 pays a care
	// home in full for two weeks of a hospital stay, 0 pays nothing.
	RetainerPercent int `json:"retainer_percent"`
	RetainerWeeks   int `json:"retainer_weeks"`
	// NoticeDays is the notice an end needs (except after a death): the
	// last day is no earlier than that many days after the end is asked.
	NoticeDays int `json:"notice_days"`
}

// DefaultTerms apply to a provider whose contract says nothing else.
var DefaultTerms = Terms{RetainerPercent: 0, RetainerWeeks: 0, NoticeDays: 28}

// Validate names the first field out of range. It returns Invalid.
func (t Terms) Validate() error {
	switch {
	case t.RetainerPercent < 0 || t.RetainerPercent > 100:
		return errs.InvalidField("retainer_percent", "must be between 0 and 100")
	case t.RetainerWeeks < 0 || t.RetainerWeeks > 52:
		return errs.InvalidField("retainer_weeks", "must be between 0 and 52")
	case t.NoticeDays < 0 || t.NoticeDays > 365:
		return errs.InvalidField("notice_days", "must be between 0 and 365")
	}
	return nil
}

// edit is what applying a change does to a package's lines: lines that end
// earlier (id to last day), lines withdrawn (replaced before they began), and
// new lines.
type edit struct {
	ends     map[uuid.UUID]day.Date
	withdraw []uuid.UUID
	add      []Line
}

// apply works out, on the package's live lines, what change c does. today
// is the day the change is made (an end's notice counts from it). It does
// not change lines; it returns Invalid naming the field of a day that cannot
// be, and Conflict for a change the package's state refuses (it has ended, is
// suspended, is not suspended).
func apply(lines []Line, c Change, t Terms, today day.Date, now time.Time) (edit, error) {
	live := liveLines(lines)
	if len(live) == 0 {
		return edit{}, errs.Conflictf("the package has no lines: it never started")
	}
	first, tail := live[0], live[len(live)-1]
	d := c.EffectiveFrom
	e := edit{ends: map[uuid.UUID]day.Date{}}
	if !tail.To.IsZero() {
		return e, errs.Conflictf("the package ended on %s", tail.To.UK())
	}
	line := func(base Line, kind LineKind, from, to day.Date, weekly int64) Line {
		l := base
		l.ID, l.ChangeID, l.Kind, l.From, l.To, l.WeeklyCostPence = uuid.New(), c.ID, kind, from, to, weekly
		l.Reason, l.CreatedBy, l.CreatedAt, l.WithdrawnAt, l.WithdrawnBy = c.Describe()+": "+c.Reason, c.AskedBy, now, nil, nil
		return l
	}
	switch c.Kind {
	case Hours, Price, Uplift, Suspend:
		field := "from"
		if d.Before(tail.From) {
			return e, errs.InvalidField(field, "must be on or after %s, when the latest line starts", tail.From.UK())
		}
		if tail.Kind != ServiceLine {
			return e, errs.Conflictf("the care is paused from %s: record the return first", tail.From.UK())
		}
		e.cut(live, d)
		next := tail
		switch c.Kind {
		case Hours:
			if c.HoursPerWeek != nil {
				if tail.HoursPerWeek == 0 {
					return e, errs.InvalidField("hours_per_week", "this package is counted in places")
				}
				if *c.HoursPerWeek == tail.HoursPerWeek {
					return e, errs.InvalidField("hours_per_week", "is already %d", tail.HoursPerWeek)
				}
				next.HoursPerWeek = *c.HoursPerWeek
			} else {
				if tail.Places == 0 {
					return e, errs.InvalidField("places", "this package is counted in hours a week")
				}
				if *c.Places == tail.Places {
					return e, errs.InvalidField("places", "is already %d", tail.Places)
				}
				next.Places = *c.Places
			}
		case Price, Uplift:
			if *c.UnitPricePence == tail.UnitPricePence {
				return e, errs.InvalidField("unit_price_pence", "is already %s", money.Format(tail.UnitPricePence))
			}
			next.UnitPricePence = *c.UnitPricePence
		case Suspend:
			e.add = suspension(tail, c, t, line)
			return e, nil
		}
		e.add = []Line{line(next, ServiceLine, d, day.Date{}, weeklyCost(next.Units(), next.UnitPricePence))}
	case Resume:
		on, ok := InForce(live, d)
		if !ok || on.Kind != SuspendedLine {
			return e, errs.Conflictf("the care is not paused on %s", d.UK())
		}
		// A suspended line keeps the units and price of the care it paused.
		e.cut(live, d)
		e.add = []Line{line(on, ServiceLine, d, day.Date{}, weeklyCost(on.Units(), on.UnitPricePence))}
	case End:
		last := c.LastDay
		if last.Before(first.From.AddDays(-1)) {
			return e, errs.InvalidField("last_day", "must be on or after the day before the care started (%s)", first.From.AddDays(-1).UK())
		}
		if c.Cause != "death" && t.NoticeDays > 0 && last.Before(today.AddDays(t.NoticeDays)) {
			return e, errs.InvalidField("last_day", "must be %s or later: the contract asks for %d days' notice", today.AddDays(t.NoticeDays).UK(), t.NoticeDays)
		}
		e.cut(live, d)
	default:
		return e, errs.InvalidField("kind", "cannot be applied: %s", c.Kind)
	}
	return e, nil
}

// suspension is the lines a suspension from c.EffectiveFrom makes on the
// service line base: the retainer weeks at the contract's percentage, then
// nothing, until the return (when known), and the service again from then.
func suspension(base Line, c Change, t Terms, line func(Line, LineKind, day.Date, day.Date, int64) Line) []Line {
	d, back := c.EffectiveFrom, c.ReturnsOn
	var out []Line
	stop := func(to day.Date) day.Date { // the last day away: to, but never past the return
		if back.IsZero() || (!to.IsZero() && to.Before(back)) {
			return to
		}
		return back.AddDays(-1)
	}
	from := d
	if t.RetainerPercent > 0 && t.RetainerWeeks > 0 {
		retained := (base.WeeklyCostPence*int64(t.RetainerPercent) + 50) / 100
		out = append(out, line(base, SuspendedLine, d, stop(d.AddDays(7*t.RetainerWeeks-1)), retained))
		from = d.AddDays(7 * t.RetainerWeeks)
	}
	if back.IsZero() || from.Before(back) {
		out = append(out, line(base, SuspendedLine, from, stop(day.Date{}), 0))
	}
	if !back.IsZero() {
		out = append(out, line(base, ServiceLine, back, day.Date{}, base.WeeklyCostPence))
	}
	return out
}

// cut makes room for what starts on d: lines that begin on or after d are
// withdrawn, a line running on d ends the day before.
func (e *edit) cut(live []Line, d day.Date) {
	for _, l := range live {
		switch {
		case !l.From.Before(d):
			e.withdraw = append(e.withdraw, l.ID)
		case l.To.IsZero() || !l.To.Before(d):
			e.ends[l.ID] = d.AddDays(-1)
		}
	}
}

// applyTo returns the lines after the edit, for the pure model and tests.
func (e edit) applyTo(lines []Line, by uuid.UUID, now time.Time) []Line {
	out := make([]Line, 0, len(lines)+len(e.add))
	gone := map[uuid.UUID]bool{}
	for _, id := range e.withdraw {
		gone[id] = true
	}
	for _, l := range lines {
		if gone[l.ID] {
			l.WithdrawnAt, l.WithdrawnBy = &now, &by
		}
		if to, ok := e.ends[l.ID]; ok {
			l.To = to
		}
		out = append(out, l)
	}
	return append(out, e.add...)
}

// liveLines are the lines not withdrawn, earliest first.
func liveLines(lines []Line) []Line {
	var live []Line
	for _, l := range lines {
		if !l.Withdrawn() {
			live = append(live, l)
		}
	}
	sort.Slice(live, func(i, j int) bool { return live[i].From.Before(live[j].From) })
	return live
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func pounds(p int64) string { return money.Format(p) }
