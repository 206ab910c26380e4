// Package day holds Date, a calendar day with no time and no zone. Start
// dates, review dates and capacity dates are days; storing them as
// timestamps invites off-by-one-hour bugs around midnight and BST.
package day

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
	_ "time/tzdata" // Europe/London must load on machines without a zone database
)

// Date is a calendar day. The zero Date is "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

const isoLayout = "2006-01-02"

// Of returns the day of t in UTC. It is for times that stand for a day,
// such as Date.Time's midnight UTC or a date column read as a time, whose
// UTC day is the day meant. The day of a moment people lived through (now,
// when something was done) is InLondon's: between midnight and 1am in
// summer the UTC day is still yesterday.
func Of(t time.Time) Date {
	y, m, d := t.UTC().Date()
	return Date{y, m, d}
}

// London is where the council's days are: Europe/London, GMT in winter and
// BST in summer.
var London = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err) // time/tzdata is embedded, so this cannot happen
	}
	return loc
}()

// InLondon returns the day it is in London at the moment t.
func InLondon(t time.Time) Date {
	y, m, d := t.In(London).Date()
	return Date{y, m, d}
}

// Today returns the day it is in London by the clock now. Every "today"
// in the service comes from here, with the clock its owner was given.
func Today(now func() time.Time) Date { return InLondon(now()) }

// New returns the given day, normalising overflow (31 November is 1 December).
func New(year int, month time.Month, dayOfMonth int) Date {
	return Of(time.Date(year, month, dayOfMonth, 0, 0, 0, 0, time.UTC))
}

// Parse reads an ISO date such as 2026-12-01. It refuses anything else,
// including impossible days like 2026-02-30.
func Parse(s string) (Date, error) {
	t, err := time.Parse(isoLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date like 2026-12-01", s)
	}
	return Of(t), nil
}

// MustParse is Parse for constants in tests and seeds; it panics on error.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Time returns midnight UTC at the start of d.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// String returns the ISO form, 2026-12-01.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format(isoLayout)
}

// UK returns the form people read on GOV.UK pages: 1 December 2026.
func (d Date) UK() string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format("2 January 2006")
}

// AddDays returns the day n days after d (before, for negative n).
func (d Date) AddDays(n int) Date { return Of(d.Time().AddDate(0, 0, n)) }

// AddMonths returns the same day of the month n months on, normalised.
func (d Date) AddMonths(n int) Date { return Of(d.Time().AddDate(0, n, 0)) }

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.Time().Before(o.Time()) }

// After reports whether d is later than o.
func (d Date) After(o Date) bool { return d.Time().After(o.Time()) }

// DaysUntil returns the number of days from d to o (negative if o is earlier).
func (d Date) DaysUntil(o Date) int { return int(o.Time().Sub(d.Time()).Hours() / 24) }

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday { return d.Time().Weekday() }

// MarshalJSON writes "2026-12-01", or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "2026-12-01" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a date must be a string like 2026-12-01")
	}
	p, err := Parse(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// GormDataType tells gorm the column type.
func (Date) GormDataType() string { return "date" }

// Value stores d as a date, or NULL for the zero Date.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a date column.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = Date{v.Year(), v.Month(), v.Day()}
	case string:
		p, err := Parse(v)
		if err != nil {
			return err
		}
		*d = p
	case []byte:
		p, err := Parse(string(v))
		if err != nil {
			return err
		}
		*d = p
	default:
		return fmt.Errorf("day: cannot scan %T", src)
	}
	return nil
}
