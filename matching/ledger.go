package matching

import "slices"

// CalendarPoint is a service's free capacity from a date, in hundredths of an hour a week or of
// a place, until the next point: a Problem's copy of the service's calendar over the dates its
// requests can use.
type CalendarPoint struct {
	From Date  `json:"from"`
	Free int64 `json:"free"`
}

// A ledger is one service's capacity over the dates a batch can use. Its checkpoints are the
// starts of the requests eligible for the service and the calendar's changes after the earliest
// of them, so between two checkpoints neither what is free nor what is used changes: a request,
// once started, goes on, and a placement fits when it fits at every checkpoint from its start.
type ledger struct {
	dates []Date
	free  []int64 // in force from dates[i] until dates[i+1]
	used  []int64
}

// newLedger builds the ledger of a service for requests starting on starts (any order, repeats
// allowed, at least one).
func newLedger(s *Service, starts []Date) ledger {
	dates := slices.Clone(starts)
	slices.Sort(dates)
	dates = slices.Compact(dates)
	for _, step := range s.Capacity {
		if step.From > dates[0] {
			dates = append(dates, step.From)
		}
	}
	slices.Sort(dates)
	dates = slices.Compact(dates)
	l := ledger{dates: dates, free: make([]int64, len(dates)), used: make([]int64, len(dates))}
	for i, d := range dates {
		l.free[i] = s.freeOn(d)
	}
	return l
}

// freeOn is the capacity in force on day: the last calendar step on or before it, or nothing.
func (s *Service) freeOn(day Date) int64 {
	free := int64(0)
	for i := range s.Capacity {
		if s.Capacity[i].From > day {
			break
		}
		free = centi(s.Capacity[i].Free)
	}
	return free
}

// at returns the checkpoint of day, which must be one of the ledger's dates.
func (l *ledger) at(day Date) int32 {
	i, _ := slices.BinarySearch(l.dates, day)
	return int32(i)
}

// fits reports whether demand more can be used from checkpoint from on.
func (l *ledger) fits(from int32, demand int64) bool {
	for i := int(from); i < len(l.used); i++ {
		if l.used[i]+demand > l.free[i] {
			return false
		}
	}
	return true
}

// take uses demand from checkpoint from on; a negative demand gives it back.
func (l *ledger) take(from int32, demand int64) {
	for i := int(from); i < len(l.used); i++ {
		l.used[i] += demand
	}
}

// calendar is the ledger's free capacity as calendar points.
func (l *ledger) calendar() []CalendarPoint {
	out := make([]CalendarPoint, len(l.dates))
	for i := range l.dates {
		out[i] = CalendarPoint{From: l.dates[i], Free: l.free[i]}
	}
	return out
}
