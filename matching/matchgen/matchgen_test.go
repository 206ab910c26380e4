package matchgen_test

import (
	"reflect"
	"testing"

	"github.com/carebroker/carebroker/matching"
	"github.com/carebroker/carebroker/matching/matchgen"
)

func TestSameSeedSameData(t *testing.T) {
	t.Parallel()
	if !reflect.DeepEqual(matchgen.Directory(7, 500), matchgen.Directory(7, 500)) {
		t.Fatal("the same seed gave two directories")
	}
	if reflect.DeepEqual(matchgen.Directory(7, 500), matchgen.Directory(8, 500)) {
		t.Fatal("different seeds gave the same directory")
	}
	if !reflect.DeepEqual(matchgen.Requests(7, 300, 500), matchgen.Requests(7, 300, 500)) {
		t.Fatal("the same seed gave two batches")
	}
}

// TestDataIsValidAndRealistic: the data passes validation, lies in Greater Manchester, and gives
// requests a few dozen eligible services, as the benchmarks claim.
func TestDataIsValidAndRealistic(t *testing.T) {
	t.Parallel()
	services := matchgen.Directory(1, 5000)
	requests := matchgen.Requests(2, 400, 5000)
	ix, err := matching.NewIndex(services, matching.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range services {
		if s.Lat < matchgen.LatMin || s.Lat > matchgen.LatMax || s.Lon < matchgen.LonMin || s.Lon > matchgen.LonMax {
			t.Fatalf("service %s at (%v, %v) is outside Greater Manchester", s.ID, s.Lat, s.Lon)
		}
	}
	eligible := 0
	for _, r := range requests {
		res, err := ix.Match(r)
		if err != nil {
			t.Fatalf("request %s: %v", r.ID, err)
		}
		eligible += len(res.Ranked)
	}
	if mean := float64(eligible) / float64(len(requests)); mean < 25 || mean > 100 {
		t.Fatalf("%.1f eligible services per request; the benchmarks are meant to have about 50", mean)
	}
}
