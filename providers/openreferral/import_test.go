package openreferral

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/providers"
)

func parse(t *testing.T, data []byte) providers.ImportBatch {
	t.Helper()
	b, err := Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTheProfileExamplesAreReportedNotGuessed(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"service_full.json", "service_list.json", "organization_full.json"} {
		data, err := os.ReadFile("testdata/" + f)
		if err != nil {
			t.Fatal(err)
		}
		b := parse(t, data)
		if b.Read != 1 || len(b.Records) != 0 {
			t.Fatalf("%s: read %d, %d records; want 1 read and nothing to import", f, b.Read, len(b.Records))
		}
		if !hasProblem(b, "attributes", "no attribute's taxonomy term names a service type") {
			t.Errorf("%s: the missing service type is not reported: %+v", f, b.Issues)
		}
	}
	full, _ := os.ReadFile("testdata/service_full.json")
	b := parse(t, full)
	// The example's location is in the United States, at latitude 100.
	for field, text := range map[string]string{
		"service_at_locations[0].location.addresses[0].postal_code": "is not a UK postcode",
		"service_at_locations[0].location.latitude":                 "must be between -90 and 90",
	} {
		if !hasProblem(b, field, text) {
			t.Errorf("no issue on %s saying %q: %+v", field, text, b.Issues)
		}
	}
	for _, is := range b.Issues {
		if is.Item != "service" || is.Outcome != providers.OutcomeRowSkipped {
			t.Errorf("issue %+v: want item \"service\", row skipped", is)
		}
	}
}

func TestAServiceWithAKnownTypeImportsDespiteBadCoordinates(t *testing.T) {
	t.Parallel()
	var svc map[string]any
	full, _ := os.ReadFile("testdata/service_full.json")
	if err := json.Unmarshal(full, &svc); err != nil {
		t.Fatal(err)
	}
	svc["attributes"] = []any{map[string]any{"id": "a", "taxonomy_term": map[string]any{"id": "b", "name": "Nursing homes", "description": ""}}}
	loc := svc["service_at_locations"].([]any)[0].(map[string]any)["location"].(map[string]any)
	loc["addresses"].([]any)[0].(map[string]any)["postal_code"] = "m33 6rx"
	data, _ := json.Marshal(svc)
	b := parse(t, data)
	if len(b.Records) != 1 || b.Records[0].ServiceTypes[0] != providers.NursingCare || b.Records[0].Postcode != "M33 6RX" || b.Records[0].Latitude != nil {
		t.Fatalf("records %+v", b.Records)
	}
	if !hasProblem(b, "service_at_locations[0].location.latitude", "the postcode lookup is used instead") {
		t.Fatalf("latitude 100 not reported: %+v", b.Issues)
	}
	if b.Records[0].ProviderName != "Example Organization Inc." {
		t.Fatalf("provider %q", b.Records[0].ProviderName)
	}
}

func TestParseRefusesWhatIsNotOpenReferral(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{"", "not json", `{"hello": "world"}`, `{"contents": 3}`} {
		if _, err := Parse(strings.NewReader(doc)); err == nil {
			t.Errorf("%q parsed", doc)
		}
	}
	b := parse(t, []byte(`[{"id": "x", "name": "y", "status": "active", "service_at_locations": "nope"}]`))
	if b.Read != 1 || len(b.Issues) != 1 || b.Issues[0].Field != "service_at_locations" || b.Issues[0].Item != "[0]" {
		t.Fatalf("a service of the wrong shape: %+v", b.Issues)
	}
}

// The export read back changes nothing in the directory it came from, and
// rebuilds the same locations and services in an empty one.
func TestTheExportImportsBackUnchanged(t *testing.T) {
	t.Parallel()
	page, service := schemas(t)
	s := importedDirectory(t)
	all := exportAll(t, s, page, service)
	data, err := json.Marshal(all)
	if err != nil {
		t.Fatal(err)
	}
	b := parse(t, data)
	if len(b.Issues) != 0 {
		t.Fatalf("reading the export back: %+v", b.Issues[:min(5, len(b.Issues))])
	}
	again, err := s.Import(ctx, admin, b)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("export of %d services read back: %+v", len(all), again)
	if again.Created != 0 || again.Updated != 0 || again.Skipped != 0 {
		t.Fatalf("importing the export into its own directory: %+v", again)
	}

	fresh := providers.NewStore(pgtest.New(t))
	lookup, _ := os.ReadFile("../../demo/data/postcode_lookup.csv")
	if _, err := fresh.ImportPostcodes(ctx, admin, bytes.NewReader(lookup)); err != nil {
		t.Fatal(err)
	}
	rep, err := fresh.Import(ctx, admin, parse(t, data))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created != again.Unchanged || rep.Skipped != 0 || rep.Read != len(all) {
		t.Fatalf("into an empty directory: %+v; want %d locations created", rep, again.Unchanged)
	}
	if got := len(exportAll(t, fresh, page, service)); got != len(all) {
		t.Fatalf("the rebuilt directory has %d services, want %d", got, len(all))
	}
}

func hasProblem(b providers.ImportBatch, field, text string) bool {
	for _, is := range b.Issues {
		if is.Field == field && strings.Contains(is.Problem, text) {
			return true
		}
	}
	return false
}
