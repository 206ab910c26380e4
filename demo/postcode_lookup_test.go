package demo

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"testing"

	"github.com/carebroker/carebroker/providers"
)

var update = flag.Bool("update", false, "rewrite data/postcode_lookup.csv from the directory files")

// The demo's postcode lookup is built from the coordinates in the two
// directory files (the mean for each postcode), so the demo geocodes
// offline. This test fails if the committed file drifts from the data;
// go test ./demo -run PostcodeLookup -update rewrites it.
func TestPostcodeLookupIsBuiltFromTheDirectoryFiles(t *testing.T) {
	built := buildPostcodeLookup(t, "data/gm_care_homes.csv", "data/trafford_care_homes.csv")
	if *update {
		if err := os.WriteFile("data/postcode_lookup.csv", built, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	committed, err := os.ReadFile("data/postcode_lookup.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(committed, built) {
		t.Fatal("data/postcode_lookup.csv is not what the directory files give; run go test ./demo -run PostcodeLookup -update")
	}
}

func buildPostcodeLookup(t *testing.T, files ...string) []byte {
	t.Helper()
	type sum struct {
		lat, lon float64
		n        int
	}
	sums := map[string]*sum{}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(fh).ReadAll()
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		for _, r := range rows[1:] {
			pc, ok := providers.NormalisePostcode(r[col["postcode"]])
			lat, errLat := strconv.ParseFloat(r[col["lat"]], 64)
			lon, errLon := strconv.ParseFloat(r[col["lon"]], 64)
			if !ok || errLat != nil || errLon != nil {
				continue
			}
			if sums[pc] == nil {
				sums[pc] = &sum{}
			}
			sums[pc].lat += lat
			sums[pc].lon += lon
			sums[pc].n++
		}
	}
	pcs := make([]string, 0, len(sums))
	for pc := range sums {
		pcs = append(pcs, pc)
	}
	sort.Strings(pcs)
	var b bytes.Buffer
	b.WriteString("pcds,lat,long\n")
	round := func(x float64) float64 { return math.Round(x*1e6) / 1e6 }
	for _, pc := range pcs {
		s := sums[pc]
		fmt.Fprintf(&b, "%s,%s,%s\n", pc, strconv.FormatFloat(round(s.lat/float64(s.n)), 'f', -1, 64), strconv.FormatFloat(round(s.lon/float64(s.n)), 'f', -1, 64))
	}
	return b.Bytes()
}
