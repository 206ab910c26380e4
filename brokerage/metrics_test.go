package brokerage

import (
	"io"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"

	"github.com/carebroker/carebroker/internal/metrics"
)

// A match records its time, and the first match of a service type (or the
// first after the directory changed) the time its index took to build.
func TestMatchRecordsItsTimings(t *testing.T) {
	f := newFixture(t)
	p := f.provider("homecare", providerOpts{})
	match, build := `carebroker_match_duration_seconds_count`, `carebroker_match_index_build_duration_seconds_count{service_type="homecare"}`
	before := scrapeValues(t, match, build)
	f.invited("Mo Metric", p)
	after := scrapeValues(t, match, build)
	if after[match] <= before[match] {
		t.Errorf("%s stayed at %v after a match", match, after[match])
	}
	if after[build] <= before[build] {
		t.Errorf("%s stayed at %v after the first homecare match on a new directory", build, after[build])
	}
}

// scrapeValues reads the named series from the metrics handler (0 when absent).
func scrapeValues(t *testing.T, names ...string) map[string]float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	out := map[string]float64{}
	for _, n := range names {
		m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(n) + ` (\S+)$`).FindSubmatch(body)
		if m != nil {
			out[n], _ = strconv.ParseFloat(string(m[1]), 64)
		}
	}
	return out
}
