package frontend

import (
	"testing"
	"time"
)

func TestTimesAreShownInUKLocalTimeTheGOVUKWay(t *testing.T) {
	t.Parallel()
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		utc, time, dateTime string
	}{
		{"2026-12-01T14:30:00Z", "2:30pm", "1 December 2026 at 2:30pm"}, // GMT: UTC+0
		{"2026-07-01T13:30:00Z", "2:30pm", "1 July 2026 at 2:30pm"},     // BST: UTC+1
		{"2026-07-01T23:30:00Z", "12:30am", "2 July 2026 at 12:30am"},   // the local day is tomorrow
		{"2026-12-01T09:00:00Z", "9am", "1 December 2026 at 9am"},
		{"2026-12-01T12:00:00Z", "midday", "1 December 2026 at midday"},
		{"2026-06-30T23:00:00Z", "midnight", "1 July 2026 at midnight"},
		{"2026-03-29T01:00:00Z", "2am", "29 March 2026 at 2am"},         // clocks go forward at 1am GMT
		{"2026-10-25T00:59:00Z", "1:59am", "25 October 2026 at 1:59am"}, // still BST
		{"2026-10-25T01:00:00Z", "1am", "25 October 2026 at 1am"},       // GMT again
	} {
		if got := UKTime(at(tc.utc)); got != tc.time {
			t.Errorf("UKTime(%s) = %q, want %q", tc.utc, got, tc.time)
		}
		if got := UKDateTime(at(tc.utc)); got != tc.dateTime {
			t.Errorf("UKDateTime(%s) = %q, want %q", tc.utc, got, tc.dateTime)
		}
	}
	if UKDateTime(time.Time{}) != "" || UKDate(time.Time{}) != "" {
		t.Error("the zero time should show as nothing")
	}
	if got := UKDate(at("2026-07-01T23:30:00Z")); got != "2 July 2026" {
		t.Errorf("UKDate = %q", got)
	}
}
