package openreferral

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/google/uuid"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/providers"
)

var (
	ctx   = context.Background()
	admin = accounts.Actor{UserID: uuid.MustParse("00000000-0000-4000-8000-000000000001"), Role: accounts.Admin}
)

const schemaBase = "https://carebroker.example/openreferral/schema/"

// schemas compiles the shipped schema files with format assertions on (so
// uuid, uri, email and date-time are checked, not just types).
func schemas(t *testing.T) (page, service *jsonschema.Schema) {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for _, name := range []string{"page_of_services.json", "service_list.json", "service.json"} {
		f, err := os.Open("schema/" + name)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := c.AddResource(schemaBase+name, doc); err != nil {
			t.Fatal(err)
		}
	}
	page, err := c.Compile(schemaBase + "page_of_services.json")
	if err != nil {
		t.Fatal(err)
	}
	service, err = c.Compile(schemaBase + "service.json")
	if err != nil {
		t.Fatal(err)
	}
	return page, service
}

func validate(t *testing.T, sch *jsonschema.Schema, v any) error {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return sch.Validate(inst)
}

// importedDirectory is a database holding both real directory files, with a
// few services given the details the export nests (languages, coverage,
// specialisms, a Companies House number).
func importedDirectory(t *testing.T) *providers.Store {
	t.Helper()
	s := providers.NewStore(pgtest.New(t))
	lookup, err := os.ReadFile("../../demo/data/postcode_lookup.csv")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportPostcodes(ctx, admin, bytes.NewReader(lookup)); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"../../demo/data/gm_care_homes.csv", "../../demo/data/trafford_care_homes.csv"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		batch, err := providers.ParseCQC(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Import(ctx, admin, batch); err != nil {
			t.Fatal(err)
		}
	}
	org, err := s.CreateOrganisation(ctx, admin, providers.NewOrganisation{Name: "Salford Home Support Ltd", CompaniesHouseNumber: "01234567", Website: "https://salford-home-support.example"})
	if err != nil {
		t.Fatal(err)
	}
	_, svcs, err := s.CreateLocation(ctx, admin, providers.NewLocation{OrganisationID: org.ID, Name: "Salford Home Support", Address: "1 Chapel Street, Salford",
		Postcode: "M6 8GQ", ServiceTypes: []providers.ServiceType{providers.Homecare, providers.DayServices}})
	if err != nil {
		t.Fatal(err)
	}
	langs, spec := []string{"English", "Polish"}, []string{"dementia"}
	for i, svc := range svcs {
		cov := providers.Coverage{RadiusKm: 12.5}
		if i == 1 {
			cov = providers.Coverage{PostcodeDistricts: []string{"M6", "M5"}}
		}
		if _, err := s.ChangeService(ctx, admin, svc.ID, providers.ServiceChanges{Languages: &langs, Specialisms: &spec, Coverage: &cov}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// allServices pages through the export and returns every service fully
// nested, checking each page and each service against the schemas.
func exportAll(t *testing.T, s *providers.Store, page, service *jsonschema.Schema) []Service {
	t.Helper()
	var out []Service
	const perPage = 97 // not a divisor of the total, so the last page is short
	for n := 1; ; n++ {
		entries, total, err := s.Directory(ctx, providers.DirectoryQuery{Page: n, PerPage: perPage})
		if err != nil {
			t.Fatal(err)
		}
		p := NewPage(entries, n, perPage, total)
		if err := validate(t, page, p); err != nil {
			t.Fatalf("page %d does not validate against page_of_services.json: %v", n, err)
		}
		if p.Size != len(p.Contents) {
			t.Fatalf("page %d: size %d with %d services; the profile's Page counts the entities on the page", n, p.Size, len(p.Contents))
		}
		for _, it := range p.Contents {
			e, err := s.DirectoryService(ctx, uuid.MustParse(it.ID))
			if err != nil {
				t.Fatal(err)
			}
			full := NewService(e)
			if err := validate(t, service, full); err != nil {
				t.Fatalf("service %s (%s) does not validate against service.json: %v", it.ID, it.Name, err)
			}
			out = append(out, full)
		}
		if p.LastPage {
			if len(out) != total || p.TotalPages != n {
				t.Fatalf("exported %d of %d services over %d pages (total_pages %d)", len(out), total, n, p.TotalPages)
			}
			return out
		}
	}
}

func TestTheExportOfTheImportedDirectoryValidates(t *testing.T) {
	t.Parallel()
	page, service := schemas(t)
	s := importedDirectory(t)
	all := exportAll(t, s, page, service)
	if len(all) < 600 {
		t.Fatalf("only %d services exported", len(all))
	}
	nested := 0
	for _, svc := range all {
		if len(svc.Languages) > 0 && len(svc.ServiceAreas) > 0 && svc.Organization != nil && len(svc.Organization.OrganizationIdentifiers) > 0 {
			nested++
		}
	}
	if nested != 2 {
		t.Fatalf("%d services carry languages, service areas and an organisation identifier; want the 2 given them", nested)
	}
}

// The validator is live: documents that break the profile are refused.
func TestTheSchemasRefuseBrokenDocuments(t *testing.T) {
	t.Parallel()
	page, service := schemas(t)
	good := Service{ServiceItem: ServiceItem{ID: uuid.NewString(), Name: "x", Status: "active"}}
	if err := validate(t, service, good); err != nil {
		t.Fatalf("a minimal service does not validate: %v", err)
	}
	for name, broken := range map[string]Service{
		"status not in the enum": {ServiceItem: ServiceItem{ID: uuid.NewString(), Name: "x", Status: "open"}},
		"id not a uuid":          {ServiceItem: ServiceItem{ID: "42", Name: "x", Status: "active"}},
		"url not a uri":          {ServiceItem: ServiceItem{ID: uuid.NewString(), Name: "x", Status: "active", URL: "not a url"}},
		"address id not a uuid": {ServiceItem: ServiceItem{ID: uuid.NewString(), Name: "x", Status: "active"},
			ServiceAtLocations: []ServiceAtLocation{{ID: uuid.NewString(), Location: &Location{ID: uuid.NewString(), LocationType: "physical",
				Addresses: []Address{{ID: "not-a-uuid", Address1: "1 Road", PostalCode: "M1 1AA", Country: "GB", AddressType: "physical"}}}}}},
	} {
		if err := validate(t, service, broken); err == nil {
			t.Errorf("%s: validated", name)
		}
	}
	if err := validate(t, page, map[string]any{"total_items": 1, "contents": []any{}}); err == nil {
		t.Error("a page without its counts validated")
	}
}
