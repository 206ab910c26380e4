package loadtest

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// Place is a real care home of the Greater Manchester directory: its name,
// town and where it is. The generator builds its providers and people on
// these places, so distances and postcodes are the real ones.
type Place struct {
	Name     string
	Area     string
	Postcode string
	Lat, Lon float64
}

// ReadPlaces reads a directory file in the shape of gm_care_homes.csv
// (name, ..., postcode, ..., area_name, ..., lon, lat). It returns an error
// naming the line of a row it cannot read.
func ReadPlaces(r io.Reader) ([]Place, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("places: reading the header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	for _, want := range []string{"name", "postcode", "area_name", "lon", "lat"} {
		if _, ok := col[want]; !ok {
			return nil, fmt.Errorf("places: the file has no %q column", want)
		}
	}
	var out []Place
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("places: line %d: %w", line, err)
		}
		lat, err1 := strconv.ParseFloat(rec[col["lat"]], 64)
		lon, err2 := strconv.ParseFloat(rec[col["lon"]], 64)
		pc := strings.ToUpper(strings.TrimSpace(rec[col["postcode"]]))
		if err1 != nil || err2 != nil || !postcodeShape(pc) {
			continue // a row without a usable place is left out, as the importer does
		}
		out = append(out, Place{Name: strings.TrimSpace(rec[col["name"]]), Area: strings.TrimSpace(rec[col["area_name"]]),
			Postcode: pc, Lat: lat, Lon: lon})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("places: the file has no usable rows")
	}
	return out, nil
}

// ReadPlacesFile reads ReadPlaces from a file.
func ReadPlacesFile(path string) ([]Place, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadPlaces(f)
}

// postcodeShape is the directory's postcode check (provider_locations).
func postcodeShape(pc string) bool {
	out, in, ok := strings.Cut(pc, " ")
	if !ok || len(in) != 3 || len(out) < 2 || len(out) > 4 {
		return false
	}
	isL := func(b byte) bool { return b >= 'A' && b <= 'Z' }
	isD := func(b byte) bool { return b >= '0' && b <= '9' }
	if !isD(in[0]) || !isL(in[1]) || !isL(in[2]) || !isL(out[0]) {
		return false
	}
	i := 1
	if isL(out[1]) {
		i = 2
	}
	if i >= len(out) || !isD(out[i]) {
		return false
	}
	for _, b := range []byte(out[i+1:]) {
		if !isL(b) && !isD(b) {
			return false
		}
	}
	return len(out)-i-1 <= 1
}
