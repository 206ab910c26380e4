package api

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/providers"
)

var providerSeq atomic.Int64

// providerWorld is two providers, each with a homecare service and a user,
// plus a broker and an administrator.
type providerWorld struct {
	h                    *harness
	orgA, orgB           providers.Organisation
	svcA, svcB           uuid.UUID
	locA                 uuid.UUID
	userA, userB         string // tokens
	broker, admin, pract string
}

func newProviderWorld(t *testing.T) *providerWorld {
	t.Helper()
	h := newHarness(t)
	w := &providerWorld{h: h}
	ctx := context.Background()
	sys := accounts.SystemActor
	mk := func(name string) (providers.Organisation, uuid.UUID, uuid.UUID) {
		n := providerSeq.Add(1)
		org, err := h.srv.Providers.CreateOrganisation(ctx, sys, providers.NewOrganisation{Name: fmt.Sprintf("%s %d", name, n)})
		if err != nil {
			t.Fatal(err)
		}
		lat, lon := 53.45, -2.3
		loc, svcs, err := h.srv.Providers.CreateLocation(ctx, sys, providers.NewLocation{OrganisationID: org.ID, Name: name + " office", CQCLocationID: fmt.Sprintf("1-%09d", n),
			Postcode: "M41 5BU", Latitude: &lat, Longitude: &lon, ServiceTypes: []providers.ServiceType{providers.Homecare}})
		if err != nil {
			t.Fatal(err)
		}
		return org, loc.ID, svcs[0].ID
	}
	w.orgA, w.locA, w.svcA = mk("Alpha Care")
	w.orgB, _, w.svcB = mk("Beta Care")
	_, w.userA = h.user(accounts.NewUser{Email: "a@alpha.example", Role: accounts.ProviderUser, ProviderOrgID: &w.orgA.ID})
	_, w.userB = h.user(accounts.NewUser{Email: "b@beta.example", Role: accounts.ProviderUser, ProviderOrgID: &w.orgB.ID})
	_, w.broker = h.user(accounts.NewUser{Email: "broker@council.example", Role: accounts.Broker})
	_, w.admin = h.user(accounts.NewUser{Email: "admin@council.example", Role: accounts.Admin})
	_, w.pract = h.user(accounts.NewUser{Email: "pract@council.example", Role: accounts.Practitioner})
	return w
}

// rows counts rows of a directory table (a fixed list, so the name is safe).
func (w *providerWorld) rows(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := w.h.srv.DB.Gorm(context.Background()).Raw("SELECT count(*) FROM " + table).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

var directoryTables = []string{"provider_organisations", "provider_locations", "provider_services", "provider_capacity",
	"provider_rates", "provider_documents", "provider_suspensions", "framework_memberships", "frameworks", "audit_events"}

func (w *providerWorld) snapshot(t *testing.T) map[string]int {
	t.Helper()
	m := map[string]int{}
	for _, table := range directoryTables {
		m[table] = w.rows(t, table)
	}
	return m
}

func (w *providerWorld) unchanged(t *testing.T, before map[string]int, what string) {
	t.Helper()
	for table, n := range w.snapshot(t) {
		if n != before[table] {
			t.Fatalf("%s wrote to %s (%d rows, was %d)", what, table, n, before[table])
		}
	}
}

func TestAProviderCannotReadOrChangeAnotherProvidersDetails(t *testing.T) {
	t.Parallel()
	w := newProviderWorld(t)
	h := w.h
	before := w.snapshot(t)
	theirs := "/api/v1/provider-services/" + w.svcA.String()
	theirOrg := "/api/v1/provider-organisations/" + w.orgA.ID.String()
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"GET", theirs, nil},
		{"PATCH", theirs, map[string]any{"languages": []string{"Polish"}}},
		{"GET", theirs + "/capacity", nil},
		{"PUT", theirs + "/capacity", map[string]any{"from": "2026-12-01", "units": 10}},
		{"GET", theirs + "/rates", nil},
		{"POST", theirs + "/rates", map[string]any{"pence": 2400, "valid_from": "2026-12-01"}},
		{"GET", theirs + "/eligibility", nil},
		{"GET", theirOrg, nil},
		{"GET", theirOrg + "/compliance", nil},
		{"GET", theirOrg + "/documents", nil},
		{"POST", theirOrg + "/documents", map[string]any{"kind": "insurance", "name": "x", "valid_from": "2026-04-01", "expires_on": "2027-03-31"}},
		{"POST", "/api/v1/provider-locations/" + w.locA.String() + "/services", map[string]any{"service_type": "reablement"}},
		{"POST", "/api/v1/provider-locations", map[string]any{"organisation_id": w.orgA.ID, "name": "Sneaky", "postcode": "M41 5BU",
			"latitude": 53.4, "longitude": -2.3, "service_types": []string{"homecare"}}},
	} {
		r := h.do(c.method, c.path, w.userB, c.body)
		wantProblem(t, r, 404, "")
	}
	w.unchanged(t, before, "another provider's requests")

	// The same requests on its own service work.
	mine := "/api/v1/provider-services/" + w.svcB.String()
	wantStatus(t, h.do("PUT", mine+"/capacity", w.userB, map[string]any{"from": "2026-12-01", "units": 30}), 200)
	wantStatus(t, h.do("POST", mine+"/rates", w.userB, map[string]any{"pence": 2400, "valid_from": "2026-12-01"}), 201)
	wantStatus(t, h.do("POST", "/api/v1/provider-organisations/"+w.orgB.ID.String()+"/documents", w.userB,
		map[string]any{"kind": "insurance", "name": "Employers' liability", "valid_from": "2026-04-01", "expires_on": "2027-03-31"}), 201)
	r := h.do("GET", mine+"/capacity", w.userB, nil)
	wantStatus(t, r, 200)
	if !strings.Contains(string(r.Body), `"free":30`) || !strings.Contains(string(r.Body), `"unit":"hours"`) {
		t.Fatalf("own capacity: %s", r.Body)
	}
	// A provider may not manage compliance, even its own.
	wantProblem(t, h.do("PUT", "/api/v1/provider-organisations/"+w.orgB.ID.String()+"/contract-status", w.userB,
		map[string]any{"status": "active", "reason": "self-certified"}), 403, "")
}

func TestBadDirectoryInputIsRefusedNamingTheFieldAndNothingIsWritten(t *testing.T) {
	t.Parallel()
	w := newProviderWorld(t)
	h := w.h
	svc := "/api/v1/provider-services/" + w.svcA.String()
	org := "/api/v1/provider-organisations/" + w.orgA.ID.String()
	location := func(change map[string]any) map[string]any {
		body := map[string]any{"organisation_id": w.orgA.ID, "name": "New office", "postcode": "M41 5BU",
			"latitude": 53.45, "longitude": -2.3, "service_types": []string{"homecare"}}
		for k, v := range change {
			body[k] = v
		}
		return body
	}
	cases := []struct {
		name, method, path string
		body               any
		field              string
	}{
		{"unknown service type", "POST", "/api/v1/provider-locations", location(map[string]any{"service_types": []string{"homecare", "care_home"}}), "service_types[1]"},
		{"unknown service type at a location", "POST", "/api/v1/provider-locations/" + w.locA.String() + "/services", map[string]any{"service_type": "care_home"}, "service_type"},
		{"bad postcode", "POST", "/api/v1/provider-locations", location(map[string]any{"postcode": "ABC 1234"}), "postcode"},
		{"latitude 200", "POST", "/api/v1/provider-locations", location(map[string]any{"latitude": 200}), "latitude"},
		{"latitude outside the UK", "POST", "/api/v1/provider-locations", location(map[string]any{"latitude": 10}), "latitude"},
		{"negative capacity", "PUT", svc + "/capacity", map[string]any{"from": "2026-12-01", "units": -5}, "units"},
		{"capacity not a whole number", "PUT", svc + "/capacity", map[string]any{"from": "2026-12-01", "units": 2.5}, "units"},
		{"capacity without a date", "PUT", svc + "/capacity", map[string]any{"units": 5}, "from"},
		{"capacity on an impossible day", "PUT", svc + "/capacity", map[string]any{"from": "2026-02-30", "units": 5}, "from"},
		{"rate of 0", "POST", svc + "/rates", map[string]any{"pence": 0, "valid_from": "2026-12-01"}, "pence"},
		{"rate ending before it starts", "POST", svc + "/rates", map[string]any{"pence": 2400, "valid_from": "2026-12-01", "valid_to": "2026-11-30"}, "valid_to"},
		{"document expiring before its start", "POST", org + "/documents", map[string]any{"kind": "insurance", "name": "PL", "valid_from": "2026-04-01", "expires_on": "2026-03-31"}, "expires_on"},
		{"unknown document kind", "POST", org + "/documents", map[string]any{"kind": "selfie", "name": "PL", "valid_from": "2026-04-01"}, "kind"},
		{"unknown language shape", "PATCH", svc, map[string]any{"languages": []string{"Urdu", "<script>"}}, "languages[1]"},
		{"unknown specialism", "PATCH", svc, map[string]any{"specialisms": []string{"dementia", "everything"}}, "specialisms[1]"},
		{"radius and districts", "PATCH", svc, map[string]any{"coverage": map[string]any{"radius_km": 5, "postcode_districts": []string{"M41"}}}, "coverage"},
		{"bad district", "PATCH", svc, map[string]any{"coverage": map[string]any{"postcode_districts": []string{"M41 5BU"}}}, "coverage.postcode_districts[0]"},
		{"unknown field", "PATCH", svc, map[string]any{"colour": "blue"}, "colour"},
	}
	before := w.snapshot(t)
	for _, c := range cases {
		r := h.do(c.method, c.path, w.userA, c.body)
		if r.Status != 400 {
			t.Errorf("%s: status %d, want 400: %s", c.name, r.Status, r.Body)
			continue
		}
		wantProblem(t, r, 400, c.field)
	}
	// Council-side input too.
	for _, c := range []struct {
		name, method, path string
		body               any
		field              string
	}{
		{"suspension ending before it starts", "POST", org + "/suspensions", map[string]any{"kind": "embargo", "reason": "x", "starts_on": "2026-12-01", "ends_on": "2026-11-01"}, "ends_on"},
		{"framework with an unknown lot type", "POST", "/api/v1/frameworks", map[string]any{"name": "F", "kind": "framework", "starts_on": "2026-01-01",
			"lots": []any{map[string]any{"name": "L", "service_types": []string{"care_home"}}}}, "lots[0].service_types[0]"},
		{"unknown contract status", "PUT", org + "/contract-status", map[string]any{"status": "fine", "reason": "x"}, "status"},
		{"rating without its date", "PUT", "/api/v1/provider-locations/" + w.locA.String() + "/rating", map[string]any{"registration_status": "registered", "rating": "good"}, "rating_date"},
		{"membership of no lot", "POST", org + "/memberships", map[string]any{"lot_id": uuid.New(), "starts_on": "2026-12-01"}, "lot_id"},
	} {
		r := h.do(c.method, c.path, w.broker, c.body)
		if r.Status != 400 {
			t.Errorf("%s: status %d, want 400: %s", c.name, r.Status, r.Body)
			continue
		}
		wantProblem(t, r, 400, c.field)
	}
	w.unchanged(t, before, "refused input")
}

func TestCapacityBelowReservationsIsAConflictNamingUnits(t *testing.T) {
	t.Parallel()
	w := newProviderWorld(t)
	h := w.h
	svc := "/api/v1/provider-services/" + w.svcA.String()
	wantStatus(t, h.do("PUT", svc+"/capacity", w.userA, map[string]any{"from": "2026-11-01", "units": 20}), 200)
	err := h.srv.DB.Transaction(context.Background(), func(tx *postgres.Tx) error {
		return h.srv.Providers.ReserveCapacity(context.Background(), tx, w.svcA, mustDay("2026-12-01"), 15)
	})
	if err != nil {
		t.Fatal(err)
	}
	wantProblem(t, h.do("PUT", svc+"/capacity", w.userA, map[string]any{"from": "2027-01-01", "units": 10}), 409, "units")
	r := h.do("PUT", svc+"/capacity", w.userA, map[string]any{"from": "2027-01-01", "units": 15})
	wantStatus(t, r, 200)
	var got struct {
		Calendar []providers.CapacityStep `json:"calendar"`
	}
	json.Unmarshal(r.Body, &got)
	if last := got.Calendar[len(got.Calendar)-1]; last.Reserved != 15 || last.Free != 0 {
		t.Fatalf("new step %+v, want the 15 reserved carried into it", last)
	}
	var audited int
	h.srv.DB.Gorm(context.Background()).Raw(`SELECT count(*) FROM audit_events WHERE action = 'provider_capacity.set' AND object_id = ? AND actor_user_id IS NOT NULL`, w.svcA.String()).Scan(&audited)
	if audited != 2 {
		t.Fatalf("%d capacity changes audited with their author, want 2", audited)
	}
}

func TestThePublishedDirectoryIsPublic(t *testing.T) {
	t.Parallel()
	w := newProviderWorld(t)
	h := w.h
	r := h.do("GET", "/openreferral/services?per_page=1", "", nil)
	wantStatus(t, r, 200)
	var page struct {
		TotalItems int  `json:"total_items"`
		TotalPages int  `json:"total_pages"`
		LastPage   bool `json:"last_page"`
		Contents   []struct {
			ID, Name, Status string
		} `json:"contents"`
	}
	if err := json.Unmarshal(r.Body, &page); err != nil {
		t.Fatal(err)
	}
	if page.TotalItems != 2 || page.TotalPages != 2 || page.LastPage || len(page.Contents) != 1 || page.Contents[0].Status != "active" {
		t.Fatalf("page: %s", r.Body)
	}
	r = h.do("GET", "/openreferral/services/"+page.Contents[0].ID, "", nil)
	wantStatus(t, r, 200)
	if !strings.Contains(string(r.Body), `"service_at_locations"`) || !strings.Contains(string(r.Body), `"postal_code":"M41 5BU"`) {
		t.Fatalf("service: %s", r.Body)
	}
	// The standard's Page: size is the number of services on this page,
	// not the page size asked for.
	r = h.do("GET", "/openreferral/services?page=1&per_page=50", "", nil)
	wantStatus(t, r, 200)
	var last struct {
		Size     int              `json:"size"`
		LastPage bool             `json:"last_page"`
		Contents []map[string]any `json:"contents"`
	}
	if err := json.Unmarshal(r.Body, &last); err != nil || last.Size != 2 || len(last.Contents) != 2 || !last.LastPage {
		t.Fatalf("a short last page: size %d with %d services (%v): %s", last.Size, len(last.Contents), err, r.Body)
	}
	wantProblem(t, h.do("GET", "/openreferral/services?page=0", "", nil), 400, "page")
	wantProblem(t, h.do("GET", "/openreferral/services?per_page=many", "", nil), 400, "per_page")
	wantProblem(t, h.do("GET", "/openreferral/services/"+uuid.NewString(), "", nil), 404, "")
	wantProblem(t, h.do("GET", "/openreferral/services/not-an-id", "", nil), 404, "")
}

func TestAdministratorsImportTheDirectoryOverHTTP(t *testing.T) {
	t.Parallel()
	w := newProviderWorld(t)
	h := w.h
	lookup, _ := os.ReadFile("../demo/data/postcode_lookup.csv")
	file, _ := os.ReadFile("../demo/data/trafford_care_homes.csv")
	wantProblem(t, h.do("POST", "/api/v1/provider-imports?format=cqc-csv", w.broker, string(file)), 403, "")
	wantProblem(t, h.do("POST", "/api/v1/provider-imports?format=excel", w.admin, string(file)), 400, "format")
	wantStatus(t, h.do("POST", "/api/v1/provider-imports?format=ons-postcodes", w.admin, string(lookup)), 200)
	r := h.do("POST", "/api/v1/provider-imports?format=cqc-csv", w.admin, string(file))
	wantStatus(t, r, 200)
	var rep providers.ImportReport
	json.Unmarshal(r.Body, &rep)
	if rep.Read != 56 || rep.Created != 56 {
		t.Fatalf("report: %s", r.Body)
	}
	r = h.do("POST", "/api/v1/provider-imports?format=cqc-csv", w.admin, string(file))
	json.Unmarshal(r.Body, &rep)
	if rep.Created != 0 || rep.Updated != 0 || rep.Unchanged != 56 {
		t.Fatalf("again: %s", r.Body)
	}
	wantProblem(t, h.do("POST", "/api/v1/provider-imports?format=openreferral", w.admin, "not json"), 400, "file")
}

func TestBrokersManageComplianceAndSeeEligibility(t *testing.T) {
	t.Parallel()
	w := newProviderWorld(t)
	h := w.h
	r := h.do("POST", "/api/v1/frameworks", w.broker, map[string]any{"name": "Greater Manchester Care at Home Framework 2024", "kind": "framework",
		"starts_on": "2024-04-01", "lots": []any{map[string]any{"name": "Lot 1", "service_types": []string{"homecare"}}}})
	wantStatus(t, r, 201)
	var fw providers.Framework
	json.Unmarshal(r.Body, &fw)
	org := "/api/v1/provider-organisations/" + w.orgA.ID.String()
	wantStatus(t, h.do("POST", org+"/memberships", w.broker, map[string]any{"lot_id": fw.Lots[0].ID, "starts_on": "2026-01-01"}), 201)
	wantProblem(t, h.do("POST", org+"/memberships", w.broker, map[string]any{"lot_id": fw.Lots[0].ID, "starts_on": "2026-06-01"}), 409, "starts_on")
	wantStatus(t, h.do("PUT", org+"/contract-status", w.broker, map[string]any{"status": "active", "reason": "contract signed"}), 200)
	r = h.do("POST", org+"/documents", w.userA, map[string]any{"kind": "insurance", "name": "PL 2026", "valid_from": "2026-04-01", "expires_on": "2027-03-31"})
	var doc providers.Document
	json.Unmarshal(r.Body, &doc)
	elig := "/api/v1/provider-services/" + w.svcA.String() + "/eligibility?on=2026-12-01"
	r = h.do("GET", elig, w.pract, nil)
	wantStatus(t, r, 200)
	if !strings.Contains(string(r.Body), `"no_insurance"`) {
		t.Fatalf("before the evidence is accepted: %s", r.Body)
	}
	wantStatus(t, h.do("POST", "/api/v1/provider-documents/"+doc.ID.String()+"/review", w.broker, map[string]any{"decision": "accepted"}), 200)
	r = h.do("GET", elig, w.pract, nil)
	if !strings.Contains(string(r.Body), `"compliant":true`) {
		t.Fatalf("after: %s", r.Body)
	}
	r = h.do("POST", org+"/suspensions", w.broker, map[string]any{"kind": "embargo", "reason": "safeguarding enquiry", "starts_on": "2026-11-20"})
	wantStatus(t, r, 201)
	r = h.do("GET", elig, w.userA, nil)
	if !strings.Contains(string(r.Body), "safeguarding enquiry") {
		t.Fatalf("the provider does not see why it is not eligible: %s", r.Body)
	}
	r = h.do("GET", org+"/compliance", w.userA, nil)
	wantStatus(t, r, 200)
	if !strings.Contains(string(r.Body), `"contract_status":"active"`) || !strings.Contains(string(r.Body), "Lot 1") {
		t.Fatalf("compliance: %s", r.Body)
	}
	wantProblem(t, h.do("GET", elig[:len(elig)-len("2026-12-01")]+"soon", w.pract, nil), 400, "on")
}

func mustDay(s string) day.Date { return day.MustParse(s) }
