package frontend

import (
	"strconv"
	"strings"
	"time"

	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/day"
)

// parsePounds reads an amount of money as people type it ("24.50",
// "£1,234.5", "350") and returns it in pence. It reports false for
// anything else: letters, more than two decimal places, a minus sign.
// Whether the amount is big enough is the use case's to say.
func parsePounds(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "£")
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	if s == "" || len(s) > 12 {
		return 0, false
	}
	whole, frac, hasPoint := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if hasPoint && (frac == "" || len(frac) > 2) {
		return 0, false
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, false
			}
		}
	}
	pounds, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	pence := int64(0)
	if frac != "" {
		for len(frac) < 2 {
			frac += "0"
		}
		pence, _ = strconv.ParseInt(frac, 10, 64)
	}
	return pounds*100 + pence, true
}

// poundsValue writes pence for a money input's value: "24.50".
func poundsValue(pence int64) string {
	return strconv.FormatInt(pence/100, 10) + "." + twoDigits(pence%100)
}

func twoDigits(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// parseCount reads a whole number as people type it; false for anything else.
func parseCount(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil
}

// dueIn says when an answer is due, counting working days (Monday to
// Friday, not bank holidays) in UK time: "Due today by 5pm", "Due in 3
// working days, by 5pm on 8 December 2026". overdue is true once the
// deadline has passed.
func dueIn(now, deadline time.Time) (text string, overdue bool) {
	if now.After(deadline) {
		return "Overdue: the answer was due by " + ukDeadline(deadline), true
	}
	from, to := day.InLondon(now), day.InLondon(deadline)
	if from == to {
		return "Due today by " + UKTime(deadline), false
	}
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if brokerage.IsWorkingDay(d) {
			n++
		}
	}
	switch n {
	case 0:
		return "Due by " + ukDeadline(deadline), false
	case 1:
		return "Due in 1 working day, by " + ukDeadline(deadline), false
	}
	return "Due in " + strconv.Itoa(n) + " working days, by " + ukDeadline(deadline), false
}
