package matching

import (
	"math"
	"strconv"
)

// FormatPence writes an amount of money in pence as pounds for people: 123456 becomes "£1,234.56"
// and -4200 becomes "-£42.00".
func FormatPence(pence int64) string {
	b := make([]byte, 0, 16)
	u := uint64(pence)
	if pence < 0 {
		b = append(b, '-')
		u = uint64(-(pence + 1)) + 1 // safe for math.MinInt64
	}
	b = append(b, "£"...)
	pounds := strconv.FormatUint(u/100, 10)
	for i, c := range []byte(pounds) {
		if i > 0 && (len(pounds)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, c)
	}
	b = append(b, '.', byte('0'+u%100/10), byte('0'+u%10))
	return string(b)
}

// formatNumber writes x with at most one decimal place and no trailing ".0": 10 becomes "10",
// 12.44 becomes "12.4".
func formatNumber(x float64) string {
	r := math.Round(x*10) / 10
	if r == math.Trunc(r) {
		return strconv.FormatFloat(r, 'f', 0, 64)
	}
	return strconv.FormatFloat(r, 'f', 1, 64)
}

// formatKm writes a distance for people, such as "12.4 km".
func formatKm(km float64) string { return formatNumber(km) + " km" }

// formatAmount writes an amount of care for people: "20 hours a week", "1 hour a week", "2 places".
// Amounts are in hundredths of a unit, as the engine counts them.
func formatAmount(centi int64, unit Unit) string {
	x := float64(centi) / 100
	n := strconv.FormatFloat(x, 'f', -1, 64)
	if unit == UnitPlaces {
		if centi == 100 {
			return "1 place"
		}
		return n + " places"
	}
	if centi == 100 {
		return "1 hour a week"
	}
	return n + " hours a week"
}

// formatPoints writes score points (thousandths of a point) with one decimal place, such as "22.5".
func formatPoints(milli int64) string {
	return strconv.FormatFloat(float64(milli)/1000, 'f', 1, 64)
}
