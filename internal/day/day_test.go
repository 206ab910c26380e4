package day

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseRefusesImpossibleDays(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"2026-02-30", "2026-13-01", "01/12/2026", "", "2026-12-1"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) accepted an impossible or malformed day", s)
		}
	}
	d, err := Parse("2026-12-01")
	if err != nil || d != (Date{2026, time.December, 1}) {
		t.Fatalf("Parse(2026-12-01) = %v, %v", d, err)
	}
}

func TestUKFormatAndArithmetic(t *testing.T) {
	t.Parallel()
	d := MustParse("2026-12-01")
	if got := d.UK(); got != "1 December 2026" {
		t.Errorf("UK() = %q", got)
	}
	if got := d.AddDays(31).String(); got != "2027-01-01" {
		t.Errorf("AddDays(31) = %s", got)
	}
	if got := MustParse("2026-03-28").AddDays(2).String(); got != "2026-03-30" {
		t.Errorf("AddDays across the clocks going forward = %s", got)
	}
	if got := d.DaysUntil(MustParse("2026-11-23")); got != -8 {
		t.Errorf("DaysUntil = %d", got)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	t.Parallel()
	var v struct {
		Start Date `json:"start"`
		End   Date `json:"end"`
	}
	if err := json.Unmarshal([]byte(`{"start":"2026-12-01","end":null}`), &v); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	if string(b) != `{"start":"2026-12-01","end":null}` {
		t.Errorf("round trip = %s", b)
	}
	if err := json.Unmarshal([]byte(`{"start":20261201}`), &v); err == nil {
		t.Error("a number was accepted as a date")
	}
}
