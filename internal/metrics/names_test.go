package metrics

import (
	"os"
	"regexp"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// Every carebroker_ series the alert rules and the Grafana dashboard name
// is one this package serves, so a renamed metric cannot silently leave an
// alert that never fires.
func TestAlertsAndDashboardNameOnlySeriesWeServe(t *testing.T) {
	served := map[string]bool{}
	fqName := regexp.MustCompile(`fqName: "([^"]+)"`)
	for _, c := range ours {
		ch := make(chan *prometheus.Desc, 16)
		c.Describe(ch)
		close(ch)
		for d := range ch {
			name := fqName.FindStringSubmatch(d.String())[1]
			served[name] = true
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				served[name+suffix] = true
			}
		}
	}
	named := regexp.MustCompile(`carebroker_[a-z_]+`)
	for _, file := range []string{"../../ops/alerts.yml", "../../ops/grafana-dashboard.json"} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		found := named.FindAllString(string(b), -1)
		if len(found) < 5 {
			t.Fatalf("%s names only %d series", file, len(found))
		}
		for _, n := range found {
			if !served[n] {
				t.Errorf("%s names %s, which internal/metrics does not serve", file, n)
			}
		}
	}
}
