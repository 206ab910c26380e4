package openreferral

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carebroker/carebroker/errs"

	"github.com/carebroker/carebroker/providers"
)

// FuzzParse: an Open Referral UK document never panics the importer; a
// refusal names "file"; what is kept can be stored.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{`{}`, `[]`, `{"contents":[{}]}`, `{"contents":null}`, `[{"id":1}]`, `{"services":[{"name":""}]}`, `null`, `"x"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Parse(bytes.NewReader(data))
		checkImportBatch(t, data, b, err)
	})
}

// checkImportBatch is the property both importers' fuzzers hold a parse to
// (the same as providers' FuzzParseCQC):
// a refusal is Invalid naming "file"; every record kept is one the
// directory can store (a name, a normalised postcode, known service types,
// coordinates that are numbers); every left-out row is reported.
func checkImportBatch(t *testing.T, input []byte, b providers.ImportBatch, err error) {
	t.Helper()
	if err != nil {
		if e := errs.As(err); e == nil || e.Code != errs.Invalid || e.Field != "file" {
			t.Fatalf("refusal of %q is not Invalid naming file: %#v", input, err)
		}
		return
	}
	if len(b.Records) > b.Read {
		t.Fatalf("%d records from %d read", len(b.Records), b.Read)
	}
	for _, r := range b.Records {
		if strings.TrimSpace(r.Name) == "" || r.Name != strings.TrimSpace(r.Name) {
			t.Fatalf("record %+v has no name, or an untrimmed one", r)
		}
		if pc, ok := providers.NormalisePostcode(r.Postcode); !ok || pc != r.Postcode {
			t.Fatalf("record kept with postcode %q, which is not a normalised UK postcode", r.Postcode)
		}
		if len(r.ServiceTypes) == 0 {
			t.Fatalf("record %q kept with no service type", r.Name)
		}
		for _, st := range r.ServiceTypes {
			if !st.Valid() {
				t.Fatalf("record %q kept with service type %q", r.Name, st)
			}
		}
		for _, f := range []*float64{r.Latitude, r.Longitude} {
			if f != nil && (math.IsNaN(*f) || math.IsInf(*f, 0)) {
				t.Fatalf("record %q kept with a coordinate of %v", r.Name, *f)
			}
		}
		if r.Registration != "" && !r.Registration.Valid() {
			t.Fatalf("record %q kept with registration %q", r.Name, r.Registration)
		}
	}
}
