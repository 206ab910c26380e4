package packages

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"pgregory.net/rapid"

	"github.com/carebroker/carebroker/internal/day"
)

// A week's seven days sum to the weekly cost exactly, whatever the day the
// week starts on and whatever the cost.
func TestSevenDaysCostTheWeek(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		w := rapid.Int64Range(0, 10_000_000).Draw(t, "weekly")
		start := day.New(2026, 1, 1).AddDays(rapid.IntRange(-2000, 2000).Draw(t, "start"))
		var sum int64
		for i := range 7 {
			sum += DayCost(w, start.AddDays(i))
		}
		if sum != w {
			t.Fatalf("seven days from %s at %d a week cost %d", start, w, sum)
		}
	})
}

// A change on a Wednesday costs Monday and Tuesday at the old rate and
// Wednesday to Sunday at the new one.
func TestMidWeekChangeSplitsTheWeekByDay(t *testing.T) {
	t.Parallel()
	monday := day.New(2027, 4, 5)
	lines := []Line{
		{ID: uuid.New(), Kind: ServiceLine, WeeklyCostPence: 700, From: monday.AddDays(-14), To: monday.AddDays(1)},
		{ID: uuid.New(), Kind: ServiceLine, WeeklyCostPence: 1400, From: monday.AddDays(2)},
	}
	if got, want := CostBetween(lines, monday, monday.AddDays(6)), int64(2*100+5*200); got != want {
		t.Fatalf("the week of the change costs %d, want %d", got, want)
	}
	if got := WeekPattern(10); got != [7]int64{1, 1, 2, 1, 2, 1, 2} {
		t.Fatalf("10p a week spreads as %v", got)
	}
}

// The property: for random sequences of changes, suspensions, returns and
// ends, the lines' per-day costs summed over any period equal the cost
// worked out day by day from what was in force each day, in a model that
// knows nothing of lines.
func TestLinesCostWhatWasInForceEachDay(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		start := day.New(2027, 1, 4).AddDays(rapid.IntRange(0, 6).Draw(t, "start_weekday"))
		const horizon = 200
		terms := Terms{RetainerPercent: rapid.IntRange(0, 100).Draw(t, "retainer_percent"),
			RetainerWeeks: rapid.IntRange(0, 4).Draw(t, "retainer_weeks")}
		hours := rapid.IntRange(1, 40).Draw(t, "hours")
		price := rapid.Int64Range(1000, 3000).Draw(t, "price")
		now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
		lines := []Line{{ID: uuid.New(), Kind: ServiceLine, HoursPerWeek: hours, UnitPricePence: price,
			WeeklyCostPence: weeklyCost(hours, price), From: start}}
		// The model: what each day costs a week, and the care's units and price.
		type state struct {
			weekly        int64
			hours         int
			price         int64
			suspended, on bool
		}
		model := make([]state, horizon)
		for i := range model {
			model[i] = state{weekly: weeklyCost(hours, price), hours: hours, price: price, on: true}
		}
		dayAt := func(i int) day.Date { return start.AddDays(i) }
		tail, ended := 0, false // the first day of the latest line, in days from start
		steps := rapid.IntRange(1, 8).Draw(t, "steps")
		for s := 0; s < steps && !ended; s++ {
			if tail > horizon-30 {
				break
			}
			kind := rapid.SampledFrom([]Kind{Hours, Price, Suspend, Resume, End}).Draw(t, "kind")
			from := tail
			if kind == Resume || kind == End { // these may cut into lines already planned
				from = 0
			}
			at := rapid.IntRange(from, horizon-30).Draw(t, "at")
			base := model[at]
			c := Change{ID: uuid.New(), Kind: kind, EffectiveFrom: dayAt(at), Reason: "test"}
			switch {
			case (kind == Hours || kind == Price || kind == Suspend) && base.suspended:
				continue
			case kind == Hours:
				h := rapid.IntRange(1, 60).Draw(t, "new_hours")
				if h == base.hours {
					continue
				}
				c.HoursPerWeek = &h
				for i := at; i < horizon; i++ {
					model[i] = state{weekly: weeklyCost(h, base.price), hours: h, price: base.price, on: true}
				}
			case kind == Price:
				p := rapid.Int64Range(500, 4000).Draw(t, "new_price")
				if p == base.price {
					continue
				}
				c.UnitPricePence = &p
				for i := at; i < horizon; i++ {
					model[i] = state{weekly: weeklyCost(base.hours, p), hours: base.hours, price: p, on: true}
				}
			case kind == Suspend:
				back := 0
				if rapid.Bool().Draw(t, "returns") {
					back = rapid.IntRange(at+1, horizon-1).Draw(t, "back")
					c.ReturnsOn = dayAt(back)
				}
				c.Cause = "hospital"
				retained := (base.weekly*int64(terms.RetainerPercent) + 50) / 100
				for i := at; i < horizon; i++ {
					switch {
					case back != 0 && i >= back:
						model[i] = base
					case terms.RetainerPercent > 0 && i-at < 7*terms.RetainerWeeks:
						model[i] = state{weekly: retained, hours: base.hours, price: base.price, suspended: true, on: true}
					default:
						model[i] = state{weekly: 0, hours: base.hours, price: base.price, suspended: true, on: true}
					}
				}
			case kind == Resume:
				if !base.suspended {
					continue
				}
				back := state{weekly: weeklyCost(base.hours, base.price), hours: base.hours, price: base.price, on: true}
				for i := at; i < horizon; i++ {
					model[i] = back
				}
			case kind == End:
				c.LastDay, c.EffectiveFrom, c.Cause = dayAt(at-1), dayAt(at), "death"
				for i := at; i < horizon; i++ {
					model[i] = state{}
				}
				ended = true
			}
			e, err := apply(lines, c, terms, start, now)
			if err != nil {
				t.Fatalf("step %d: %s from %s: %v", s, kind, c.EffectiveFrom, err)
			}
			lines = e.applyTo(lines, c.ID, now)
			live := liveLines(lines)
			if len(live) > 0 {
				tail = start.DaysUntil(live[len(live)-1].From)
			}
			for i := 1; i < len(live); i++ {
				if a, b := live[i-1], live[i]; a.To.IsZero() || !a.To.Before(b.From) {
					t.Fatalf("lines overlap: %s-%s and %s-%s", a.From, a.To, b.From, b.To)
				}
			}
		}
		for range 20 {
			a := rapid.IntRange(-10, horizon-1).Draw(t, "period_from")
			b := rapid.IntRange(a, horizon-1).Draw(t, "period_to")
			var want int64
			for i := max(a, 0); i <= b; i++ {
				want += DayCost(model[i].weekly, dayAt(i))
			}
			if got := CostBetween(lines, dayAt(a), dayAt(b)); got != want {
				t.Fatalf("%s to %s: the lines cost %d, day by day %d", dayAt(a), dayAt(b), got, want)
			}
		}
	})
}
