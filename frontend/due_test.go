package frontend

import (
	"testing"
	"time"
)

// TestDueCountsLondonDays checks the answer-by text a provider reads at
// moments when the London day is not the UTC day.
func TestDueCountsLondonDays(t *testing.T) {
	t.Parallel()
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		now, deadline, want string
	}{
		// 00:30 BST on Thursday 2 July: a 5pm deadline that day is today's.
		{"2026-07-01T23:30:00Z", "2026-07-02T16:00:00Z", "Due today by 5pm"},
		// and Friday 3 July is the next working day.
		{"2026-07-01T23:30:00Z", "2026-07-03T16:00:00Z", "Due in 1 working day, by 5pm on 3 July 2026"},
		// 23:30 BST on Wednesday 1 July: Thursday is tomorrow.
		{"2026-07-01T22:30:00Z", "2026-07-02T16:00:00Z", "Due in 1 working day, by 5pm on 2 July 2026"},
		// GMT: the days agree.
		{"2026-12-01T23:30:00Z", "2026-12-02T17:00:00Z", "Due in 1 working day, by 5pm on 2 December 2026"},
	} {
		if got, overdue := dueIn(at(tc.now), at(tc.deadline)); got != tc.want || overdue {
			t.Errorf("at %s, due %s: %q (overdue %v), want %q", tc.now, tc.deadline, got, overdue, tc.want)
		}
	}
}
