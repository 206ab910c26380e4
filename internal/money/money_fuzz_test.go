package money

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var poundsShape = regexp.MustCompile(`^-?£(0|[1-9][0-9]{0,2}(,[0-9]{3})*)\.[0-9]{2}$`)

// FuzzFormat: every int64 formats as pounds with grouped thousands and two
// pence digits, and reads back as the same number of pence.
func FuzzFormat(f *testing.F) {
	for _, p := range []int64{0, 1, -1, 99, 100, 123456, -4200, 100000000, math.MaxInt64, math.MinInt64, math.MinInt64 + 1} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, pence int64) {
		s := Format(pence)
		if !poundsShape.MatchString(s) {
			t.Fatalf("Format(%d) = %q, not shaped like £1,234.56", pence, s)
		}
		digits := strings.NewReplacer("£", "", ",", "", ".", "").Replace(s)
		back, err := strconv.ParseInt(digits, 10, 64)
		if err != nil || back != pence {
			t.Fatalf("Format(%d) = %q reads back as %d (%v)", pence, s, back, err)
		}
	})
}
