package matching

import (
	"encoding/json"
	"testing"
	"time"
)

func TestDateAgreesWithTimePackage(t *testing.T) {
	t.Parallel()
	start := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	first := DateOf(1900, 1, 1)
	for i := 0; i < 366*301; i += 7 {
		tm := start.AddDate(0, 0, i)
		d := DateOf(tm.Year(), int(tm.Month()), tm.Day())
		if d != first.AddDays(i) {
			t.Fatalf("DateOf(%s) = %d, want %d", tm.Format(time.DateOnly), d, first.AddDays(i))
		}
		y, m, dd := d.Civil()
		if y != tm.Year() || m != int(tm.Month()) || dd != tm.Day() {
			t.Fatalf("Civil(%d) = %d-%d-%d, want %s", d, y, m, dd, tm.Format(time.DateOnly))
		}
		if d.String() != tm.Format(time.DateOnly) {
			t.Fatalf("String = %q, want %q", d.String(), tm.Format(time.DateOnly))
		}
	}
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		english string
		ok      bool
	}{
		{"2026-12-01", "1 December 2026", true},
		{"2028-02-29", "29 February 2028", true},
		{"2000-02-29", "29 February 2000", true},
		{"2026-02-29", "", false},
		{"1900-02-29", "", false},
		{"2026-13-01", "", false},
		{"2026-00-10", "", false},
		{"2026-04-31", "", false},
		{"2026-1-01", "", false},
		{"26-12-01", "", false},
		{"2026/12/01", "", false},
		{"1899-12-31", "", false},
		{"+026-12-01", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		d, err := ParseDate(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseDate(%q) error = %v, want ok %v", tt.in, err, tt.ok)
			continue
		}
		if tt.ok && d.English() != tt.english {
			t.Errorf("ParseDate(%q).English() = %q, want %q", tt.in, d.English(), tt.english)
		}
	}
}

func TestDateJSON(t *testing.T) {
	t.Parallel()
	var v struct {
		A Date `json:"a"`
		B Date `json:"b"`
		C Date `json:"c,omitempty"`
	}
	if err := json.Unmarshal([]byte(`{"a":"2026-12-01","b":null}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != DateOf(2026, 12, 1) || !v.B.IsZero() {
		t.Fatalf("got %v and %v", v.A, v.B)
	}
	out, _ := json.Marshal(v)
	if string(out) != `{"a":"2026-12-01","b":null}` {
		t.Fatalf("marshal = %s", out)
	}
	for _, bad := range []string{`{"a":"2026-12-32"}`, `{"a":20261201}`, `{"a":true}`, `{"a":"tomorrow"}`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("Unmarshal(%s) succeeded", bad)
		}
	}
}

func TestZeroDateSortsFirst(t *testing.T) {
	t.Parallel()
	if !(Date(0) < DateOf(1900, 1, 1)) || Date(0).English() != "no date" || Date(0).String() != "" {
		t.Fatal("the zero date must mean no date and sort before every real date")
	}
}
