package matching

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

func TestReadInstanceSmallFile(t *testing.T) {
	t.Parallel()
	f, err := os.Open("testdata/small_instance.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	inst, err := ReadInstance(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(inst.Requests) != 3 || len(inst.Services) != 3 {
		t.Fatalf("read %d requests and %d services", len(inst.Requests), len(inst.Services))
	}
	r := inst.Requests[1]
	if r.ID != "R2" || r.Hours != 10 || r.StartDate != DateOf(2026, 12, 7) || r.Preferences.Language != "Urdu" {
		t.Fatalf("request R2 = %+v", r)
	}
	// Config fields not in the file keep their defaults.
	if inst.Config.Weights != DefaultConfig().Weights || inst.Config.NearMissKm != 5 {
		t.Fatalf("config = %+v", inst.Config)
	}
}

// minimalInstance returns a valid instance as JSON with one request and one service, after
// applying edit to its decoded form.
func minimalInstance(t *testing.T, edit func(m map[string]any)) string {
	t.Helper()
	src := `{
	  "requests": [{"id": "R1", "service_type": "homecare", "hours": 10, "lat": 53.48, "lon": -2.24,
	    "start_date": "2026-12-01", "budget_pence": 35000}],
	  "services": [{"id": "S1", "provider_id": "P1", "service_type": "homecare", "lat": 53.48, "lon": -2.22,
	    "coverage": {"radius_km": 10}, "capacity": [{"from": "2026-11-01", "free": 30}],
	    "rates": [{"pence": 2450, "from": "2026-04-01"}],
	    "compliance": {"memberships": [{"kind": "framework", "from": "2024-04-01"}], "contract_status": "active",
	      "cqc_registered": true, "cqc_rating": "good"}}]
	}`
	var m map[string]any
	if err := json.Unmarshal([]byte(src), &m); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(m)
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func request0(m map[string]any) map[string]any { return m["requests"].([]any)[0].(map[string]any) }
func service0(m map[string]any) map[string]any { return m["services"].([]any)[0].(map[string]any) }

func TestReadInstanceErrorsNameTheField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		input string
		want  string
	}{
		{"valid", minimalInstance(t, nil), ""},
		{"empty input", "", "not valid JSON: it ends too soon"},
		{"not an object", "[]", "must be an object"},
		{"syntax", `{"requests": [}`, "not valid JSON at byte 15: invalid character '}' looking for beginning of value"},
		{"trailing data", minimalInstance(t, nil) + "{}", "unexpected data after the end of the JSON value"},
		{"missing requests", `{"services": []}`, "requests: must be a list of requests"},
		{"missing services", `{"requests": []}`, "services: must be a list of services"},
		{"unknown top-level field", `{"requests": [], "services": [], "extra": 1}`, `has an unknown field "extra"`},
		{"request not an object", `{"requests": [7], "services": []}`, "requests[0]: must be an object"},
		{"hours zero", minimalInstance(t, func(m map[string]any) { request0(m)["hours"] = 0 }), "requests[0].hours: must be positive"},
		{"hours a string", minimalInstance(t, func(m map[string]any) { request0(m)["hours"] = "ten" }), "requests[0].hours: must be a number"},
		{"places fractional", minimalInstance(t, func(m map[string]any) { request0(m)["places"] = 1.5 }), "requests[0].places: must be a whole number in range"},
		{"bad date", minimalInstance(t, func(m map[string]any) { request0(m)["start_date"] = "2026-02-30" }), "requests[0].start_date: must be a date like 2026-12-01"},
		{"bad service type", minimalInstance(t, func(m map[string]any) { request0(m)["service_type"] = "home_care" }), "requests[0].service_type: must be one of homecare, specialist_homecare, residential_care, nursing_care, specialist_residential_nursing, supported_living, respite, specialist_respite, day_services, specialist_day_services, shared_lives, reablement"},
		{"misspelt field", minimalInstance(t, func(m map[string]any) { request0(m)["budget"] = 1 }), `requests[0]: has an unknown field "budget"`},
		{"nested type", minimalInstance(t, func(m map[string]any) { request0(m)["preferences"] = map[string]any{"language": 5} }), "requests[0].preferences.language: must be a string"},
		{"duplicate request", minimalInstance(t, func(m map[string]any) { m["requests"] = append(m["requests"].([]any), request0(m)) }), "requests[1].id: duplicates requests[0].id"},
		{"capacity date", minimalInstance(t, func(m map[string]any) {
			service0(m)["capacity"] = []any{map[string]any{"from": "soon", "free": 3}}
		}), "services[0].capacity[0].from: must be a date like 2026-12-01"},
		{"rating", minimalInstance(t, func(m map[string]any) {
			service0(m)["compliance"].(map[string]any)["cqc_rating"] = "great"
		}), "services[0].compliance.cqc_rating: must be one of not_yet_rated, outstanding, good, requires_improvement, inadequate"},
		{"rate", minimalInstance(t, func(m map[string]any) {
			service0(m)["rates"] = []any{map[string]any{"pence": -5, "from": "2026-04-01"}}
		}), "services[0].rates[0].pence: must be from 1 to 10000000"},
		{"duplicate service", minimalInstance(t, func(m map[string]any) { m["services"] = append(m["services"].([]any), service0(m)) }), "services[1].id: duplicates services[0].id"},
		{"config weight", minimalInstance(t, func(m map[string]any) { m["config"] = map[string]any{"weights": map[string]any{"price": 5000}} }), "config.weights.price: must be from 0 to 1000"},
		{"config unknown", minimalInstance(t, func(m map[string]any) { m["config"] = map[string]any{"wieghts": 1} }), `config: has an unknown field "wieghts"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ReadInstance(strings.NewReader(tt.input))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error = %v (%T), want a *FieldError", err, err)
			}
			if err.Error() != tt.want {
				t.Fatalf("error = %q\n          want %q", err.Error(), tt.want)
			}
		})
	}
}

// FuzzReadInstance feeds the reader arbitrary bytes: malformed input must give a *FieldError and
// never a panic, and anything it accepts must survive writing out and reading back unchanged, and
// solving.
func FuzzReadInstance(f *testing.F) {
	small, err := os.ReadFile("testdata/small_instance.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(small)
	f.Add([]byte(`{"requests":[],"services":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		inst, err := ReadInstance(bytes.NewReader(data))
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is %T, not a *FieldError", err, err)
			}
			return
		}
		first, err := json.Marshal(inst)
		if err != nil {
			t.Fatalf("cannot write an accepted instance: %v", err)
		}
		again, err := ReadInstance(bytes.NewReader(first))
		if err != nil {
			t.Fatalf("cannot read back %s: %v", first, err)
		}
		second, _ := json.Marshal(again)
		if !bytes.Equal(first, second) {
			t.Fatalf("round trip changed the instance:\n%s\n%s", first, second)
		}
		ix, err := NewIndex(inst.Services, inst.Config)
		if err != nil {
			t.Fatalf("an accepted instance must index: %v", err)
		}
		alloc, err := ix.Allocate(inst.Requests)
		if err != nil {
			t.Fatalf("an accepted instance must solve: %v", err)
		}
		if alloc.Served+len(alloc.Unserved) != len(inst.Requests) {
			t.Fatalf("allocation accounts for %d of %d requests", alloc.Served+len(alloc.Unserved), len(inst.Requests))
		}
	})
}
