package api

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/providers"
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

// validator is a request body that checks itself.
type validator interface{ Validate() error }

// bodyTypes are the request bodies of the endpoints on this branch that
// validate themselves; FuzzDecodeBodies picks one by the first byte.
var bodyTypes = []func() validator{
	func() validator { return &providers.NewOrganisation{} },
	func() validator { return &providers.NewLocation{} },
	func() validator { return &providers.NewFramework{} },
	func() validator { return &providers.NewMembership{} },
	func() validator { return &providers.SpanEnd{} },
	func() validator { return &providers.NewSuspension{} },
	func() validator { return &providers.NewDocument{} },
	func() validator { return &providers.DocumentReview{} },
	func() validator { return &providers.ContractChange{} },
	func() validator { return &providers.NewRate{} },
	func() validator { return &providers.CapacityChange{} },
	func() validator { return &providers.ServiceChanges{} },
	func() validator { return &accounts.NewUser{} },
}

// FuzzDecodeBodies: the main endpoints' bodies, decoded and validated as
// their handlers do, never panic, and every refusal is a 400 naming a
// field.
func FuzzDecodeBodies(f *testing.F) {
	for i, s := range []string{
		`{"name":"Alpha Care","cqc_provider_id":"1-101","contact_email":"a@b.example"}`,
		`{"organisation_id":"7d2c9e4a-5b6f-4a7c-8d8e-9fa0b1c2d3e4","name":"Office","postcode":"M41 5BU","latitude":53.45,"longitude":-2.3,"service_types":["homecare"]}`,
		`{"name":"F","kind":"framework","starts_on":"2026-01-01","lots":[{"name":"L","service_types":["homecare"]}]}`,
		`{"lot_id":"7d2c9e4a-5b6f-4a7c-8d8e-9fa0b1c2d3e4","starts_on":"2026-12-01"}`,
		`{"ends_on":"2027-01-01","reason":"x"}`,
		`{"kind":"embargo","reason":"x","starts_on":"2026-12-01","ends_on":"2026-11-01"}`,
		`{"kind":"insurance","name":"PL","valid_from":"2026-04-01","expires_on":"2027-03-31"}`,
		`{"decision":"accepted","note":""}`,
		`{"status":"active","reason":"signed"}`,
		`{"pence":2400,"valid_from":"2026-12-01","valid_to":"2026-11-30"}`,
		`{"from":"2026-12-01","units":-5}`,
		`{"coverage":{"radius_km":5,"postcode_districts":["M41"]},"languages":["Urdu","<script>"]}`,
		`{"email":"x@y.example","display_name":"X","password":"a-long-password-1","role":"provider"}`,
	} {
		f.Add(byte(i), []byte(s))
	}
	f.Fuzz(func(t *testing.T, which byte, body []byte) {
		v := bodyTypes[int(which)%len(bodyTypes)]()
		err := decodeStrict(body, v)
		if err == nil {
			err = v.Validate()
		}
		if err == nil {
			return
		}
		if e := errs.As(err); e == nil || e.Code != errs.Invalid || e.Field == "" {
			t.Fatalf("%T refused %q without naming a field: %#v", v, body, err)
		}
	})
}
