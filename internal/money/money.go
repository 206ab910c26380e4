// Package money formats amounts held as integer pence. All money in the
// service is int64 pence; this is the one place that turns it into pounds.
package money

import (
	"strconv"
	"strings"
)

// Format writes pence as pounds the way GOV.UK pages do: £1,234.56, -£42.00.
func Format(pence int64) string {
	sign := ""
	magnitude := uint64(pence)
	if pence < 0 {
		sign = "-"
		magnitude = -magnitude // two's complement: right even for math.MinInt64
	}
	pounds := strconv.FormatUint(magnitude/100, 10)
	var b strings.Builder
	for i, r := range pounds {
		if i > 0 && (len(pounds)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	p := magnitude % 100
	return sign + "£" + b.String() + "." + string(rune('0'+p/10)) + string(rune('0'+p%10))
}
