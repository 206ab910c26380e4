package api

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

// fuzzNested is a body shaped like the workflow's: nested objects, lists,
// dates with their own UnmarshalJSON, pointers, maps and numbers.
type fuzzNested struct {
	Name        string            `json:"name"`
	Hours       int               `json:"hours_per_week"`
	BudgetPence int64             `json:"weekly_budget_pence"`
	Start       day.Date          `json:"start_date"`
	Urgent      *bool             `json:"urgent"`
	Preferences map[string]string `json:"preferences"`
	Needs       []struct {
		Outcome string    `json:"outcome"`
		Start   *day.Date `json:"start_date"`
		Tags    []string  `json:"tags"`
	} `json:"needs"`
}

// checkDecode is the property both fuzzers hold decodeStrict to: it never
// panics; a refusal is always a 400 naming a field, never a 500; an
// acceptance decodes to a value that survives a round trip.
func checkDecode[T any](t *testing.T, body []byte) {
	var v T
	err := decodeStrict(body, &v)
	if err != nil {
		e := errs.As(err)
		if e == nil || e.Code != errs.Invalid || e.Field == "" {
			t.Fatalf("refusal of %q is not Invalid naming a field: %#v", body, err)
		}
		if p := ProblemFor(err, ""); p.Status != 400 {
			t.Fatalf("refusal of %q maps to %d", body, p.Status)
		}
		return
	}
	again, merr := json.Marshal(v)
	if merr != nil {
		t.Fatalf("accepted %q but cannot write it back: %v", body, merr)
	}
	var w T
	if err := decodeStrict(again, &w); err != nil {
		t.Fatalf("accepted %q, but not its own re-encoding %s: %v", body, again, err)
	}
	if !reflect.DeepEqual(v, w) {
		t.Fatalf("round trip of %q changed the value: %#v vs %#v", body, v, w)
	}
}

func FuzzDecodeStrictLogin(f *testing.F) {
	for _, s := range []string{
		`{"email":"broker@council.example","password":"a-long-password"}`,
		`{"email":"a@b.c","password":"x","role":"admin"}`,
		`{"email":"a@b.c","password":12}`,
		`{"email":"a@b.c"} {}`,
		`{"EMAIL":"a@b.c","Password":"x"}`,
		`[1,2]`, `null`, ``, `{"email":"\ud800"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) { checkDecode[loginBody](t, body) })
}

func FuzzDecodeStrictNested(f *testing.F) {
	for _, s := range []string{
		`{"name":"Ann","hours_per_week":10,"weekly_budget_pence":35000,"start_date":"2026-12-01","urgent":true,"preferences":{"language":"Urdu"},"needs":[{"outcome":"wash","start_date":"2026-12-02","tags":["am"]}]}`,
		`{"needs":[{"start_date":"2026-12-01"},{"start_date":"2026-02-30"}]}`,
		`{"start_date":null,"needs":null,"preferences":{}}`,
		`{"hours_per_week":1e3}`, `{"weekly_budget_pence":9223372036854775808}`,
		`{"needs":[{"tags":[1]}]}`, `{"preferences":{"a":1}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) { checkDecode[fuzzNested](t, body) })
}
