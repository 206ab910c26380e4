package brokerage

import (
	"fmt"
	"strconv"
	"time"

	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/plans"
)

// Deadlines are the response deadlines providers get, by urgency. Urgent
// and interim requests get a fixed time; standard ones a number of working
// days (Monday to Friday, not bank holidays in England and Wales), counted
// in UK local time and ending at the same time of day.
type Deadlines struct {
	Urgent              time.Duration
	Interim             time.Duration
	StandardWorkingDays int
}

// DefaultDeadlines are the defaults from practice: 24 hours, 48 hours and
// 5 working days.
var DefaultDeadlines = Deadlines{Urgent: 24 * time.Hour, Interim: 48 * time.Hour, StandardWorkingDays: 5}

// london is where deadlines are counted and shown.
var london = day.London

// For returns the response deadline for a request of urgency u invited at
// from.
func (d Deadlines) For(u plans.Urgency, from time.Time) time.Time {
	switch u {
	case plans.Urgent:
		return from.Add(d.Urgent).UTC()
	case plans.Interim:
		return from.Add(d.Interim).UTC()
	}
	return AddWorkingDays(from, d.StandardWorkingDays)
}

// AddWorkingDays returns the same UK time of day n working days after t.
func AddWorkingDays(t time.Time, n int) time.Time {
	local := t.In(london)
	y, m, dd := local.Date()
	date := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
	for n > 0 {
		date = date.AddDate(0, 0, 1)
		if IsWorkingDay(day.Of(date)) {
			n--
		}
	}
	h, mi, s := local.Clock()
	return time.Date(date.Year(), date.Month(), date.Day(), h, mi, s, local.Nanosecond(), london).UTC()
}

// IsWorkingDay reports whether d is Monday to Friday and not a bank holiday
// in England and Wales.
func IsWorkingDay(d day.Date) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	for _, h := range BankHolidays(d.Year) {
		if h == d {
			return false
		}
	}
	return true
}

// BankHolidays returns the regular bank holidays of England and Wales in a
// year, with weekend ones moved to the next free weekday. One-off holidays
// proclaimed for a single year (a coronation, a jubilee) are not included.
func BankHolidays(year int) []day.Date {
	easter := easterSunday(year)
	fixed := []day.Date{
		day.New(year, time.January, 1),
		easter.AddDays(-2), // Good Friday
		easter.AddDays(1),  // Easter Monday
		nthMonday(year, time.May, 1),
		lastMonday(year, time.May),
		lastMonday(year, time.August),
		day.New(year, time.December, 25),
		day.New(year, time.December, 26),
	}
	taken := map[day.Date]bool{}
	out := make([]day.Date, 0, len(fixed))
	for _, h := range fixed {
		for h.Weekday() == time.Saturday || h.Weekday() == time.Sunday || taken[h] {
			h = h.AddDays(1)
		}
		taken[h] = true
		out = append(out, h)
	}
	return out
}

// easterSunday is the anonymous Gregorian computus.
func easterSunday(y int) day.Date {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	dom := (h+l-7*m+114)%31 + 1
	return day.New(y, time.Month(month), dom)
}

func nthMonday(y int, m time.Month, n int) day.Date {
	d := day.New(y, m, 1)
	for d.Weekday() != time.Monday {
		d = d.AddDays(1)
	}
	return d.AddDays(7 * (n - 1))
}

func lastMonday(y int, m time.Month) day.Date {
	d := day.New(y, m+1, 1).AddDays(-1)
	for d.Weekday() != time.Monday {
		d = d.AddDays(-1)
	}
	return d
}

// DeadlinesFromEnv reads DEADLINE_URGENT and DEADLINE_INTERIM (durations
// such as 24h) and DEADLINE_STANDARD_WORKING_DAYS (a whole number) over the
// defaults. It returns an error naming the variable that is wrong.
func DeadlinesFromEnv(getenv func(string) string) (Deadlines, error) {
	d := DefaultDeadlines
	for _, v := range []struct {
		name string
		dst  *time.Duration
	}{{"DEADLINE_URGENT", &d.Urgent}, {"DEADLINE_INTERIM", &d.Interim}} {
		if s := getenv(v.name); s != "" {
			dur, err := time.ParseDuration(s)
			if err != nil || dur < time.Hour || dur > 30*24*time.Hour {
				return d, fmt.Errorf("%s: must be a duration between 1h and 720h, like 24h", v.name)
			}
			*v.dst = dur
		}
	}
	if s := getenv("DEADLINE_STANDARD_WORKING_DAYS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 30 {
			return d, fmt.Errorf("DEADLINE_STANDARD_WORKING_DAYS: must be a whole number from 1 to 30")
		}
		d.StandardWorkingDays = n
	}
	return d, nil
}
