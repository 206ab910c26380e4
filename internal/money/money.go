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
	if pence < 0 {
		sign = "-"
		pence = -pence
	}
	pounds := strconv.FormatInt(pence/100, 10)
	var b strings.Builder
	for i, r := range pounds {
		if i > 0 && (len(pounds)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	p := pence % 100
	return sign + "£" + b.String() + "." + string(rune('0'+p/10)) + string(rune('0'+p%10))
}
