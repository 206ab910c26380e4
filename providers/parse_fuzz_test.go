package providers

import (
	"bytes"
	"strings"
	"testing"

	"github.com/carebroker/carebroker/errs"
)

// Whatever the file, ParseCQC either refuses it as a whole (naming "file")
// or accounts for every row: each is a record or is reported skipped, and
// what it keeps passes the checks the store relies on (CQC id, telephone
// and coordinates too). FuzzParseCQC in import_fuzz_test.go holds the
// common property of both importers.
func FuzzParseCQCAccountsForEveryRow(f *testing.F) {
	f.Add([]byte("name,type,postcode,lat,lon,telephone\nA Home,Residential homes,M41 5BU,53.4,-2.3,1617777e3\n"))
	f.Add([]byte("name,cqc_id,type,postcode\nB,1-123456789,Nursing homes|Hospice,wa15 8sn\nC,bad,Hospice,M1\n"))
	f.Add([]byte("name,type,postcode\n\"unterminated,Residential homes,M41 5BU\n"))
	f.Add([]byte("\ufeffname,type,postcode\nX,Homecare agencies,SK7 2HW,extra\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseCQC(bytes.NewReader(data))
		if err != nil {
			if e := errs.As(err); e == nil || e.Code != errs.Invalid || e.Field != "file" {
				t.Fatalf("error %v does not refuse the file as a whole", err)
			}
			return
		}
		checkBatch(t, b)
	})
}

func checkBatch(t *testing.T, b ImportBatch) {
	t.Helper()
	skipped := map[string]bool{}
	for _, is := range b.Issues {
		if is.Outcome == OutcomeRowSkipped {
			skipped[is.Where()] = true
		}
		if strings.TrimSpace(is.Problem) == "" {
			t.Fatalf("issue without a problem: %+v", is)
		}
	}
	if len(b.Records)+len(skipped) != b.Read {
		t.Fatalf("read %d, %d records, %d skipped rows", b.Read, len(b.Records), len(skipped))
	}
	for _, r := range b.Records {
		if pc, ok := NormalisePostcode(r.Postcode); !ok || pc != r.Postcode {
			t.Fatalf("record with postcode %q", r.Postcode)
		}
		if r.Name == "" || len(r.Name) > 300 || len(r.ServiceTypes) == 0 {
			t.Fatalf("record %+v", r)
		}
		for _, st := range r.ServiceTypes {
			if !st.Valid() {
				t.Fatalf("record with type %q", st)
			}
		}
		if r.CQCLocationID != "" && !cqcID.MatchString(r.CQCLocationID) {
			t.Fatalf("record with CQC id %q", r.CQCLocationID)
		}
		if r.Latitude != nil && checkCoordinates("lat", "lon", *r.Latitude, *r.Longitude) != nil {
			t.Fatalf("record with coordinates %v,%v", *r.Latitude, *r.Longitude)
		}
		if r.Telephone != "" {
			if p, ok := NormalisePhone(r.Telephone); !ok || p != r.Telephone {
				t.Fatalf("record with telephone %q", r.Telephone)
			}
		}
	}
}

// Any list of strings survives the trip through the array literal.
func FuzzTextArrayRoundTrip(f *testing.F) {
	f.Add("English", `Urdu "quoted"`, `back\slash`)
	f.Add("", "NULL", "a,b{c}")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		in := textArray{a, b, c}
		v, _ := in.Value()
		var out textArray
		if err := out.Scan(v); err != nil {
			t.Fatal(err)
		}
		if len(out) != 3 || out[0] != a || out[1] != b || out[2] != c {
			t.Fatalf("%q came back as %q", in, out)
		}
	})
}
