package openreferral

import (
	"bytes"
	"os"
	"testing"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/providers"
)

// Whatever the document, Parse either refuses it as a whole (naming
// "file") or accounts for every service, returning only usable records.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"service_full.json", "service_list.json", "organization_full.json"} {
		if data, err := os.ReadFile("testdata/" + name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`[{"id":"x","name":"y","status":"active","attributes":[{"id":"a","taxonomy_term":{"id":"t","name":"Nursing homes","description":""}}],
		"service_at_locations":[{"id":"s","location":{"id":"l","location_type":"physical","name":"Home","latitude":53.4,"longitude":-2.3,
		"addresses":[{"id":"d","address_1":"1 Road","city":"Sale","state_province":"","postal_code":"m33 6rx","country":"GB","address_type":"physical"}]}}]}]`))
	f.Add([]byte(`{"contents":[1,"two",null]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Parse(bytes.NewReader(data))
		if err != nil {
			if e := errs.As(err); e == nil || e.Code != errs.Invalid || e.Field != "file" {
				t.Fatalf("error %v does not refuse the file as a whole", err)
			}
			return
		}
		skipped := map[string]bool{}
		for _, is := range b.Issues {
			if is.Outcome == providers.OutcomeRowSkipped {
				skipped[is.Item] = true
			}
		}
		if len(b.Records)+len(skipped) != b.Read {
			t.Fatalf("read %d, %d records, %d skipped: %+v", b.Read, len(b.Records), len(skipped), b.Issues)
		}
		for _, r := range b.Records {
			if pc, ok := providers.NormalisePostcode(r.Postcode); !ok || pc != r.Postcode || len(r.ServiceTypes) == 0 || r.Name == "" {
				t.Fatalf("record %+v", r)
			}
		}
	})
}
