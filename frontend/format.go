package frontend

import (
	"fmt"
	"html/template"
	"time"

	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/money"
)

// london is where the service's users are: times are stored in UTC and
// shown in UK local time (GMT or BST).
var london = day.London

// UKTime writes a time of day the GOV.UK way, in UK local time: 9am,
// 2:30pm, midday, midnight.
func UKTime(t time.Time) string {
	t = t.In(london)
	h, m := t.Hour(), t.Minute()
	switch {
	case h == 0 && m == 0:
		return "midnight"
	case h == 12 && m == 0:
		return "midday"
	}
	suffix := "am"
	if h >= 12 {
		suffix = "pm"
	}
	h12 := h % 12
	if h12 == 0 {
		h12 = 12
	}
	if m == 0 {
		return fmt.Sprintf("%d%s", h12, suffix)
	}
	return fmt.Sprintf("%d:%02d%s", h12, m, suffix)
}

// UKDateTime writes a moment the GOV.UK way, in UK local time:
// "1 December 2026 at 2:30pm". The day is the local day, which differs
// from the UTC day in the hour after midnight in summer.
func UKDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	local := t.In(london)
	return local.Format("2 January 2006") + " at " + UKTime(t)
}

// UKDate writes a moment's local day: "1 December 2026".
func UKDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(london).Format("2 January 2006")
}

func (f *Frontend) funcs() template.FuncMap {
	return template.FuncMap{
		"money":         money.Format,
		"day":           func(d day.Date) string { return d.UK() },
		"date":          UKDate,
		"dateTime":      UKDateTime,
		"time":          UKTime,
		"isoTime":       func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"status":        StatusTag,
		"asset":         func(name string) string { return f.assets.url(name) },
		"teamName":      TeamName,
		"roleName":      RoleName,
		"successBanner": func(text string) Banner { return Banner{Success: true, Heading: text} },
		"formID":        newFormID,
	}
}
