package day

import (
	"testing"
	"time"
)

// TestTodayIsTheLondonDay checks "today" at the moments the UTC day and
// the London day part: the hour after midnight in summer, and the days the
// clocks change.
func TestTodayIsTheLondonDay(t *testing.T) {
	t.Parallel()
	tests := []struct {
		at   string // an instant, RFC 3339
		want string
	}{
		{"2026-07-01T23:30:00Z", "2026-07-02"}, // 00:30 BST: London is a day ahead of UTC
		{"2026-07-01T22:59:59Z", "2026-07-01"}, // 23:59:59 BST
		{"2026-07-01T23:00:00Z", "2026-07-02"}, // midnight BST
		{"2026-12-01T23:30:00Z", "2026-12-01"}, // GMT: the same day as UTC
		{"2026-12-02T00:00:00Z", "2026-12-02"},
		{"2026-03-29T00:30:00Z", "2026-03-29"}, // 00:30 GMT, half an hour before the clocks go forward
		{"2026-03-28T23:30:00Z", "2026-03-28"}, // 23:30 GMT
		{"2026-10-24T23:30:00Z", "2026-10-25"}, // 00:30 BST on the day the clocks go back
		{"2026-07-02T00:30:00+01:00", "2026-07-02"},
		{"2026-07-01T19:30:00-04:00", "2026-07-02"}, // the zone the instant is written in does not matter
	}
	for _, tt := range tests {
		at, err := time.Parse(time.RFC3339, tt.at)
		if err != nil {
			t.Fatal(err)
		}
		if got := Today(func() time.Time { return at }); got.String() != tt.want {
			t.Errorf("Today at %s = %s, want %s", tt.at, got, tt.want)
		}
		if got := InLondon(at); got.String() != tt.want {
			t.Errorf("InLondon(%s) = %s, want %s", tt.at, got, tt.want)
		}
	}
}

// TestStoredDaysDoNotShift checks that a day stored as midnight UTC (a date
// column, Date.Time) comes back as the same day whatever zone the time is
// read in, and that Of, unlike InLondon, keeps the UTC day.
func TestStoredDaysDoNotShift(t *testing.T) {
	t.Parallel()
	for d := MustParse("2026-01-01"); d.Before(MustParse("2028-01-01")); d = d.AddDays(1) {
		if Of(d.Time()) != d || Of(d.Time().In(London)) != d || InLondon(d.Time()) != d {
			t.Fatalf("%s does not survive midnight UTC", d)
		}
		var scanned Date
		if err := scanned.Scan(d.Time().In(London)); err != nil || scanned != d {
			t.Fatalf("Scan of %s read in London = %s, %v", d, scanned, err)
		}
	}
	late := time.Date(2026, 7, 1, 23, 30, 0, 0, time.UTC)
	if Of(late) != MustParse("2026-07-01") || InLondon(late) != MustParse("2026-07-02") {
		t.Fatalf("Of = %s, InLondon = %s", Of(late), InLondon(late))
	}
}
