package matching

import (
	"encoding/json"
	"reflect"
	"strconv"
)

// Date is a calendar day with no time of day or zone, as brokerage works in days: a start date,
// the first day of a contract, the day a suspension ends. The zero Date means "no date"; it sorts
// before every real date. Dates marshal to and from JSON as "2006-01-02".
type Date int32

// dateOffset makes 0000-03-01 day 1, so the zero value is never a real date.
const dateOffset = 719469

var monthNames = [...]string{"", "January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

// DateOf returns the Date for year, month (1 to 12) and day (1 to 31). It does not check that the
// day exists; ParseDate does.
func DateOf(year, month, day int) Date {
	// Howard Hinnant's days_from_civil: counts from 1970-01-01 in the proleptic Gregorian calendar.
	y := year
	if month <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (month + 9) % 12
	doy := (153*mp+2)/5 + day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return Date(era*146097 + doe - 719468 + dateOffset)
}

// Civil returns the year, month (1 to 12) and day of d.
func (d Date) Civil() (year, month, day int) {
	z := int(d) - dateOffset + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day = doy - (153*mp+2)/5 + 1
	month = mp + 3
	if month > 12 {
		month -= 12
	}
	year = yoe + era*400
	if month <= 2 {
		year++
	}
	return year, month, day
}

// IsZero reports whether d is the zero Date, meaning "no date".
func (d Date) IsZero() bool { return d == 0 }

// AddDays returns the date n days after d (before it when n is negative).
func (d Date) AddDays(n int) Date { return d + Date(n) }

// String returns d as "2006-01-02", or "" for the zero Date.
func (d Date) String() string {
	if d == 0 {
		return ""
	}
	y, m, day := d.Civil()
	b := make([]byte, 0, 10)
	b = appendPadded(b, y, 4)
	b = append(b, '-')
	b = appendPadded(b, m, 2)
	b = append(b, '-')
	b = appendPadded(b, day, 2)
	return string(b)
}

// English returns d the way people write it in letters, such as "1 December 2026".
func (d Date) English() string {
	if d == 0 {
		return "no date"
	}
	y, m, day := d.Civil()
	return strconv.Itoa(day) + " " + monthNames[m] + " " + strconv.Itoa(y)
}

func appendPadded(b []byte, n, width int) []byte {
	s := strconv.Itoa(n)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// ParseDate reads a date written "2006-01-02" with a year from 1900 to 2200. It returns an error
// when the text is not in that form or names a day that does not exist, such as 2026-02-30.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, errBadDate
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, errBadDate
	}
	return DateOf(y, m, d), nil
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(year, month int) int {
	switch month {
	case 4, 6, 9, 11:
		return 30
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	}
	return 31
}

type dateError struct{}

func (dateError) Error() string { return "must be a date like 2026-12-01" }

var errBadDate error = dateError{}

// MarshalJSON writes d as "2006-01-02", or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d == 0 {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads "2006-01-02", or null or "" as the zero Date. Anything else is reported as a
// *json.UnmarshalTypeError so that the decoder names the field that was wrong.
func (d *Date) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" || s == `""` {
		*d = 0
		return nil
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		if parsed, err := ParseDate(s[1 : len(s)-1]); err == nil {
			*d = parsed
			return nil
		}
	}
	return &json.UnmarshalTypeError{Value: shorten(s), Type: reflect.TypeFor[Date]()}
}
