package providers

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/carebroker/carebroker/errs"
)

// CheckImportBatch is the property both importers' fuzzers hold a parse to:
// a refusal is Invalid naming "file"; every record kept is one the
// directory can store (a name, a normalised postcode, known service types,
// coordinates that are numbers); every left-out row is reported.
func CheckImportBatch(t *testing.T, input []byte, b ImportBatch, err error) {
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
		if pc, ok := NormalisePostcode(r.Postcode); !ok || pc != r.Postcode {
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

func FuzzParseCQC(f *testing.F) {
	for _, s := range []string{
		"name,type,address,postcode,telephone,website,area_name,area_code,lon,lat\n" +
			"The Foothills,Residential homes,\"9 The Foothills, Rochdale\",OL16 2AY,7976848608,NA,Rochdale,E0800005,-2.142585,53.624754\n",
		"name,cqc_id,type,address,postcode,telephone,website,provider,inspection_date,area_name,lon,lat\n" +
			"Alpha,1-101,Homecare agencies,1 Road,m41 5bu,1.61627E+09,NA,Alpha Ltd,2024-05-01,Trafford,-2.3,53.45\n",
		"name,type,postcode,lat,lon\nX,Homecare agencies,M41 5BU,NaN,Inf\n",
		"name,type,postcode\n\"unterminated,Homecare agencies,M41 5BU\n",
		"\ufeffName,Type,Postcode\nA,Nursing homes,SW1A 1AA\nA,Nursing homes,SW1A 1AA\n",
		"", "name\n", "name,type,postcode\n,,\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseCQC(bytes.NewReader(data))
		CheckImportBatch(t, data, b, err)
	})
}

// FuzzNormalisePostcode: what it accepts it writes in the standard form,
// which it accepts again unchanged, with a valid district.
func FuzzNormalisePostcode(f *testing.F) {
	for _, s := range []string{"M41 5BU", "m415bu", " sw1a  1aa ", "GIR 0AA", "QA1 1AA", "M41 5CU", "EC1A 1BB", "W1A 0AX", "", "ÅB1 2CD", "M4\u00a01 5BU"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pc, ok := NormalisePostcode(s)
		if !ok {
			if pc != "" {
				t.Fatalf("NormalisePostcode(%q) refused but returned %q", s, pc)
			}
			return
		}
		if again, ok2 := NormalisePostcode(pc); !ok2 || again != pc {
			t.Fatalf("NormalisePostcode(%q) = %q, which normalises to %q, %v", s, pc, again, ok2)
		}
		if pc != strings.ToUpper(pc) || strings.Count(pc, " ") != 1 || len(pc) < 6 || len(pc) > 8 {
			t.Fatalf("NormalisePostcode(%q) = %q, not in the standard form", s, pc)
		}
		if d, ok := NormaliseDistrict(PostcodeDistrict(pc)); !ok && pc != "GIR 0AA" || d != PostcodeDistrict(pc) {
			t.Fatalf("the district of %q, %q, is not a district", pc, PostcodeDistrict(pc))
		}
	})
}
