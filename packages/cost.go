package packages

import "github.com/carebroker/carebroker/internal/day"

// The per-day rule. A line's weekly cost W (pence) is spread over the days of
// each Monday-to-Sunday week so the seven days sum to exactly W: the day with
// index i (Monday 0 ... Sunday 6) costs floor(W*(i+1)/7) - floor(W*i/7). The
// pence a division by seven leaves over fall on fixed days of the week (for
// W = 10 pence: Mon 1, Tue 1, Wed 2, Thu 1, Fri 2, Sat 1, Sun 2). A day's cost
// depends only on W and the day, not on where its line starts or ends, so a
// week split between two lines costs exactly its days at each line's rate,
// and seven days in a row cost W whichever day they start on.

// epochMonday is a Monday; weeks are counted from it.
var epochMonday = day.New(2000, 1, 3)

// DayCost is what one day d costs on a line of weeklyPence.
func DayCost(weeklyPence int64, d day.Date) int64 {
	return costBefore(weeklyPence, d.AddDays(1)) - costBefore(weeklyPence, d)
}

// costBefore is what every day from epochMonday up to (not including) d
// costs at weeklyPence: whole weeks at W, then the first i days of d's week.
// For days before the epoch it is negative, consistently, so differences
// still give the cost of the days between.
func costBefore(weeklyPence int64, d day.Date) int64 {
	days := int64(epochMonday.DaysUntil(d))
	weeks := floorDiv(days, 7)
	i := days - 7*weeks
	return weeks*weeklyPence + floorDiv(weeklyPence*i, 7)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// WeekPattern is what each day of a week costs at weeklyPence, Monday first.
func WeekPattern(weeklyPence int64) [7]int64 {
	var out [7]int64
	for i := range out {
		out[i] = DayCost(weeklyPence, epochMonday.AddDays(i))
	}
	return out
}

// CostBetween is what the line costs over the days from first to last
// (both included): the days of that period the line covers, at the per-day
// rule. A withdrawn line costs nothing.
func (l Line) CostBetween(first, last day.Date) int64 {
	if l.Withdrawn() {
		return 0
	}
	if first.Before(l.From) {
		first = l.From
	}
	if !l.To.IsZero() && l.To.Before(last) {
		last = l.To
	}
	if last.Before(first) {
		return 0
	}
	return costBefore(l.WeeklyCostPence, last.AddDays(1)) - costBefore(l.WeeklyCostPence, first)
}

// CostBetween is what the package's lines cost over the days from first to
// last (both included).
func CostBetween(lines []Line, first, last day.Date) int64 {
	var sum int64
	for _, l := range lines {
		sum += l.CostBetween(first, last)
	}
	return sum
}
