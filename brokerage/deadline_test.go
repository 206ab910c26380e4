package brokerage

import (
	"strings"
	"testing"
	"time"

	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/plans"
)

func TestBankHolidaysOfEnglandAndWales(t *testing.T) {
	t.Parallel()
	for year, want := range map[int][]string{
		// Published by GOV.UK; 2021 and 2022 have Christmas at a weekend.
		2021: {"2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31", "2021-08-30", "2021-12-27", "2021-12-28"},
		2022: {"2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-05-30", "2022-08-29", "2022-12-26", "2022-12-27"},
		2025: {"2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26"},
		2026: {"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"},
		2027: {"2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28"},
	} {
		var got []string
		for _, d := range BankHolidays(year) {
			got = append(got, d.String())
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%d:\n got %v\nwant %v", year, got, want)
		}
	}
}

func TestResponseDeadlines(t *testing.T) {
	t.Parallel()
	utc := func(s string) time.Time {
		tt, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tt
	}
	for _, c := range []struct {
		name    string
		urgency plans.Urgency
		from    string
		want    string
	}{
		{"urgent is 24 hours", plans.Urgent, "2026-12-04T17:30:00Z", "2026-12-05T17:30:00Z"},
		{"interim is 48 hours", plans.Interim, "2026-12-04T17:30:00Z", "2026-12-06T17:30:00Z"},
		{"standard is five working days", plans.Standard, "2026-12-01T10:00:00Z", "2026-12-08T10:00:00Z"},
		{"weekends do not count", plans.Standard, "2026-12-05T12:00:00Z", "2026-12-11T12:00:00Z"},
		{"christmas and new year do not count", plans.Standard, "2026-12-23T09:00:00Z", "2027-01-04T09:00:00Z"},
		// Easter 2026, across the clocks going forward: 16:00 in London both ends.
		{"easter and summer time", plans.Standard, "2026-03-27T16:00:00Z", "2026-04-07T15:00:00Z"},
		// 23:30 UTC on Sunday 31 May 2026 is already Monday in London: counted in
		// UTC the deadline would be Friday 5 June.
		{"the working day is the UK's", plans.Standard, "2026-05-31T23:30:00Z", "2026-06-07T23:30:00Z"},
	} {
		got := DefaultDeadlines.For(c.urgency, utc(c.from))
		if !got.Equal(utc(c.want)) {
			t.Errorf("%s: from %s got %s, want %s", c.name, c.from, got.Format(time.RFC3339), c.want)
		}
	}
}

func TestIsWorkingDay(t *testing.T) {
	t.Parallel()
	for d, want := range map[string]bool{
		"2026-12-04": true, "2026-12-05": false, "2026-12-06": false, "2026-12-25": false, "2026-12-28": false, "2026-12-29": true,
	} {
		if IsWorkingDay(day.MustParse(d)) != want {
			t.Errorf("%s: want working day %v", d, want)
		}
	}
}

func TestDeadlinesFromEnv(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	d, err := DeadlinesFromEnv(env(nil))
	if err != nil || d != DefaultDeadlines {
		t.Fatalf("defaults: %+v %v", d, err)
	}
	d, err = DeadlinesFromEnv(env(map[string]string{"DEADLINE_URGENT": "12h", "DEADLINE_INTERIM": "72h", "DEADLINE_STANDARD_WORKING_DAYS": "3"}))
	if err != nil || d.Urgent != 12*time.Hour || d.Interim != 72*time.Hour || d.StandardWorkingDays != 3 {
		t.Fatalf("configured: %+v %v", d, err)
	}
	for k, v := range map[string]string{"DEADLINE_URGENT": "soon", "DEADLINE_INTERIM": "1m", "DEADLINE_STANDARD_WORKING_DAYS": "0"} {
		if _, err := DeadlinesFromEnv(env(map[string]string{k: v})); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s: %v", k, v, err)
		}
	}
}
