package day

import (
	"encoding/json"
	"testing"
)

// FuzzParse: Parse never panics, accepts only the canonical ISO form (what
// it accepts it writes back identically) and real days.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"2026-12-01", "2026-02-30", "2024-02-29", "0000-01-01", "9999-12-31", "2026-1-01", "2026-12-01T00:00:00Z", "+2026-12-01", " 2026-12-01", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		if err != nil {
			if !d.IsZero() {
				t.Fatalf("Parse(%q) failed but returned %v", s, d)
			}
			return
		}
		if d.String() != s {
			t.Fatalf("Parse(%q) = %v, which writes back as %q", s, d, d.String())
		}
		if again, err := Parse(d.String()); err != nil || again != d {
			t.Fatalf("round trip of %q: %v %v", s, again, err)
		}
	})
}

// FuzzDateUnmarshalJSON: a date in a JSON body never panics the decoder,
// and what it accepts survives a round trip.
func FuzzDateUnmarshalJSON(f *testing.F) {
	for _, s := range []string{`"2026-12-01"`, `null`, `"2026-02-30"`, `20261201`, `"2026-12-01`, `""`, `{"a":1}`, `"\u0032026-12-01"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var d Date
		if err := json.Unmarshal(b, &d); err != nil {
			return
		}
		out, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("accepted %q but cannot write %v back: %v", b, d, err)
		}
		var again Date
		if err := json.Unmarshal(out, &again); err != nil || again != d {
			t.Fatalf("round trip of %q via %s: %v %v", b, out, again, err)
		}
	})
}
