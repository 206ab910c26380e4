package loadtest

import (
	"strings"
	"testing"
	"time"
)

// A step passes only under every part of the bar: p99, errors, and the
// rate really sent (an attacker short of workers hides slowness).
func TestStepPassesOnlyUnderTheWholeBar(t *testing.T) {
	t.Parallel()
	ok := Step{Operation: "POST match", Rate: 100, Achieved: 99.5, P99: 49 * time.Millisecond, ErrorPct: 0.05}
	cases := []struct {
		name string
		edit func(*Step)
		want bool
	}{
		{"within the bar", func(*Step) {}, true},
		{"p99 at 50 ms", func(s *Step) { s.P99 = 50 * time.Millisecond }, false},
		{"0.1% errors", func(s *Step) { s.ErrorPct = 0.1 }, false},
		{"rate not sent", func(s *Step) { s.Achieved = 90 }, false},
	}
	for _, c := range cases {
		s := ok
		c.edit(&s)
		if got := s.Passes(); got != c.want {
			t.Errorf("%s: Passes() = %v, want %v", c.name, got, c.want)
		}
	}
	slow := ok
	slow.Rate, slow.Achieved, slow.P99 = 200, 200, 80*time.Millisecond
	steps := []Step{ok, slow}
	if Best(steps, 50*time.Millisecond) != 100 || Best(steps, 100*time.Millisecond) != 200 {
		t.Fatalf("best rates %d and %d, want 100 and 200", Best(steps, 50*time.Millisecond), Best(steps, 100*time.Millisecond))
	}
	table := StepTable(steps)
	if !strings.Contains(table, "| POST match | 100 | 100 | 0 | 0.0 | 0.0 | 49.0 | 0.05 | yes |") ||
		!strings.Contains(table, "| POST match | 200 | 200 | 0 | 0.0 | 0.0 | 80.0 | 0.05 | no |") {
		t.Fatalf("table:\n%s", table)
	}
}
