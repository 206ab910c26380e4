package brokerage

import (
	"testing"

	"github.com/carebroker/carebroker/internal/day"
)

func TestMonitoringReclaimsBeyondFourWeeksInHand(t *testing.T) {
	t.Parallel()
	from := day.New(2025, 12, 1)
	for _, c := range []struct {
		name                                 string
		days                                 int
		paid, spent                          int64
		expected, unspent, contingency, back int64
	}{
		{"all spent", 364, 52 * 10000, 52 * 10000, 520000, 0, 40000, 0},
		{"four weeks in hand", 364, 52 * 10000, 48 * 10000, 520000, 40000, 40000, 0},
		{"five weeks in hand", 364, 52 * 10000, 47 * 10000, 520000, 50000, 40000, 10000},
		{"overspent", 364, 52 * 10000, 53 * 10000, 520000, -10000, 40000, 0},
		{"part of a week", 10, 20000, 0, 14286, 20000, 40000, 0},
	} {
		m := monitor(NewMonitoring{PeriodFrom: from, PeriodTo: from.AddDays(c.days), PaidPence: c.paid, SpentPence: c.spent}, 10000)
		if m.ExpectedPence != c.expected || m.UnspentPence != c.unspent || m.ContingencyPence != c.contingency || m.ReclaimPence != c.back {
			t.Errorf("%s: %+v", c.name, m)
		}
	}
}
