package api_test

import (
	"context"
	"fmt"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/api"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/providers"
)

// Organisations A and B are real provider organisations: users.provider_org_id
// refers to them.
var _ = func() bool {
	accessWorldSetups = append(accessWorldSetups, func(t *testing.T, w *accessWorld) {
		if w.Deps.Providers == nil {
			w.Deps.Providers = providers.NewStore(w.DB)
		}
		for _, org := range []*uuid.UUID{&w.OrgA, &w.OrgB} {
			o, err := w.Deps.Providers.CreateOrganisation(context.Background(), accounts.SystemActor,
				providers.NewOrganisation{Name: "Access Care " + uuid.NewString()[:8]})
			if err != nil {
				t.Fatalf("access world: organisation: %v", err)
			}
			*org = o.ID
		}
	})
	return true
}()

var accessCQCSeq atomic.Int64

var (
	staff           = roles(accounts.Broker, accounts.Admin, accounts.Practitioner, accounts.BudgetApprover)
	staffOrProvider = roles(accounts.Broker, accounts.Admin, accounts.Practitioner, accounts.BudgetApprover, accounts.ProviderUser)
	editors         = roles(accounts.Broker, accounts.Admin, accounts.ProviderUser)
	managers        = roles(accounts.Broker, accounts.Admin)
)

func id(name string) map[string]string { return map[string]string{"id": name} }

func jsonBody(m map[string]any) func(map[string]string) any {
	return func(map[string]string) any { return m }
}

// The provider directory: organisation A's location, service, document,
// framework membership and suspension, fresh for each caller.
var _ = registerAccess(accessArea{
	Name: "providers",
	Wire: func(d *api.Deps) { d.Providers = providers.NewStore(d.DB) },
	Fixture: func(t *testing.T, w *accessWorld) map[string]string {
		ctx, sys, p := context.Background(), accounts.SystemActor, w.Deps.Providers
		lat, lon := 53.45, -2.3
		loc, svcs, err := p.CreateLocation(ctx, sys, providers.NewLocation{OrganisationID: w.OrgA, Name: "Access office",
			CQCLocationID: fmt.Sprintf("1-%09d", 500000000+accessCQCSeq.Add(1)), Postcode: "M41 5BU", Latitude: &lat, Longitude: &lon,
			ServiceTypes: []providers.ServiceType{providers.Homecare}})
		if err != nil {
			t.Fatal(err)
		}
		doc, err := p.AddDocument(ctx, sys, w.OrgA, providers.NewDocument{Kind: "insurance", Name: "Public liability",
			ValidFrom: day.MustParse("2026-04-01"), ExpiresOn: day.MustParse("2027-03-31")})
		if err != nil {
			t.Fatal(err)
		}
		fw, err := p.CreateFramework(ctx, sys, providers.NewFramework{Name: "Access framework " + uuid.NewString(), Kind: "framework",
			StartsOn: day.MustParse("2026-01-01"), Lots: []providers.NewLot{{Name: "Lot 1", ServiceTypes: []providers.ServiceType{providers.Homecare}}}})
		if err != nil {
			t.Fatal(err)
		}
		m, err := p.AddMembership(ctx, sys, w.OrgA, providers.NewMembership{LotID: fw.Lots[0].ID, StartsOn: day.MustParse("2026-01-01")})
		if err != nil {
			t.Fatal(err)
		}
		fw2, err := p.CreateFramework(ctx, sys, providers.NewFramework{Name: "Access framework " + uuid.NewString(), Kind: "framework",
			StartsOn: day.MustParse("2026-01-01"), Lots: []providers.NewLot{{Name: "Lot 1", ServiceTypes: []providers.ServiceType{providers.Homecare}}}})
		if err != nil {
			t.Fatal(err)
		}
		sus, err := p.Suspend(ctx, sys, w.OrgA, providers.NewSuspension{Kind: "embargo", Reason: "access table", StartsOn: day.MustParse("2026-12-01")})
		if err != nil {
			t.Fatal(err)
		}
		return map[string]string{
			"org": w.OrgA.String(), "location": loc.ID.String(), "service": svcs[0].ID.String(), "document": doc.ID.String(),
			"membership": m.ID.String(), "free_lot": fw2.Lots[0].ID.String(), "suspension": sus.ID.String(), "unique": uuid.NewString(),
		}
	},
	Entries: []accessEntry{
		{Method: "GET", Path: "/openreferral/services", Public: true, Want: 200},
		{Method: "GET", Path: "/openreferral/services/:id", Public: true, Params: id("service"), Want: 200},

		{Method: "GET", Path: "/api/v1/provider-organisations", Roles: staff, Want: 200},
		{Method: "POST", Path: "/api/v1/provider-organisations", Roles: managers, Want: 201,
			Body: func(ids map[string]string) any { return map[string]any{"name": "New Care " + ids["unique"]} }},
		{Method: "GET", Path: "/api/v1/provider-organisations/:id", Roles: staffOrProvider, Params: id("org"), Want: 200, Owned: ownedByOrg},
		{Method: "GET", Path: "/api/v1/provider-organisations/:id/compliance", Roles: staffOrProvider, Params: id("org"), Want: 200, Owned: ownedByOrg},
		{Method: "PUT", Path: "/api/v1/provider-organisations/:id/contract-status", Roles: managers, Params: id("org"), Want: 200, Owned: ownedByOrg,
			Body: jsonBody(map[string]any{"status": "active", "reason": "contract signed"})},
		{Method: "POST", Path: "/api/v1/provider-organisations/:id/memberships", Roles: managers, Params: id("org"), Want: 201, Owned: ownedByOrg,
			Body: func(ids map[string]string) any {
				return map[string]any{"lot_id": ids["free_lot"], "starts_on": "2026-12-01"}
			}},
		{Method: "POST", Path: "/api/v1/provider-organisations/:id/suspensions", Roles: managers, Params: id("org"), Want: 201, Owned: ownedByOrg,
			Body: jsonBody(map[string]any{"kind": "embargo", "reason": "safeguarding enquiry", "starts_on": "2027-01-01"})},
		{Method: "GET", Path: "/api/v1/provider-organisations/:id/documents", Roles: staffOrProvider, Params: id("org"), Want: 200, Owned: ownedByOrg},
		{Method: "POST", Path: "/api/v1/provider-organisations/:id/documents", Roles: editors, Params: id("org"), Want: 201, Owned: ownedByOrg,
			Body: jsonBody(map[string]any{"kind": "insurance", "name": "Employers' liability", "valid_from": "2026-04-01", "expires_on": "2027-03-31"})},
		{Method: "POST", Path: "/api/v1/provider-memberships/:id/end", Roles: managers, Params: id("membership"), Want: 200, Owned: ownedByOrg,
			Body: jsonBody(map[string]any{"ends_on": "2027-01-01", "reason": "framework re-let"})},
		{Method: "POST", Path: "/api/v1/provider-suspensions/:id/end", Roles: managers, Params: id("suspension"), Want: 200, Owned: ownedByOrg,
			Body: jsonBody(map[string]any{"ends_on": "2027-01-01", "reason": "enquiry closed"})},
		{Method: "POST", Path: "/api/v1/provider-documents/:id/review", Roles: managers, Params: id("document"), Want: 200, Owned: ownedByOrg,
			Body: jsonBody(map[string]any{"decision": "accepted"})},

		{Method: "POST", Path: "/api/v1/provider-locations", Roles: editors, Want: 201, Owned: ownedByOrg,
			Body: func(ids map[string]string) any {
				return map[string]any{"organisation_id": ids["org"], "name": "New office " + ids["unique"], "postcode": "M41 5BU",
					"latitude": 53.45, "longitude": -2.3, "service_types": []string{"homecare"}}
			}},
		{Method: "PUT", Path: "/api/v1/provider-locations/:id/rating", Roles: managers, Params: id("location"), Want: 200, Owned: ownedByOrg,
			Body: jsonBody(map[string]any{"registration_status": "registered", "rating": "good", "rating_date": "2026-06-01"})},
		{Method: "POST", Path: "/api/v1/provider-locations/:id/services", Roles: editors, Params: id("location"), Want: 201, Owned: ownedByOrg,
			Body: jsonBody(map[string]any{"service_type": "reablement"})},

		{Method: "GET", Path: "/api/v1/provider-services/:id", Roles: staffOrProvider, Params: id("service"), Want: 200, Owned: ownedByOrg},
		{Method: "PATCH", Path: "/api/v1/provider-services/:id", Roles: editors, Params: id("service"), Want: 200, Owned: ownedByOrg,
			Body: jsonBody(map[string]any{"languages": []string{"Polish"}})},
		{Method: "GET", Path: "/api/v1/provider-services/:id/capacity", Roles: staffOrProvider, Params: id("service"), Want: 200, Owned: ownedByOrg},
		{Method: "PUT", Path: "/api/v1/provider-services/:id/capacity", Roles: editors, Params: id("service"), Want: 200, Owned: ownedByOrg,
			Body: jsonBody(map[string]any{"from": "2026-12-01", "units": 10})},
		{Method: "GET", Path: "/api/v1/provider-services/:id/rates", Roles: staffOrProvider, Params: id("service"), Want: 200, Owned: ownedByOrg},
		{Method: "POST", Path: "/api/v1/provider-services/:id/rates", Roles: editors, Params: id("service"), Want: 201, Owned: ownedByOrg,
			Body: jsonBody(map[string]any{"pence": 2400, "valid_from": "2026-12-01"})},
		{Method: "GET", Path: "/api/v1/provider-services/:id/eligibility", Roles: staffOrProvider, Params: id("service"), Want: 200, Owned: ownedByOrg},

		{Method: "GET", Path: "/api/v1/frameworks", Roles: staff, Want: 200},
		{Method: "POST", Path: "/api/v1/frameworks", Roles: managers, Want: 201,
			Body: func(ids map[string]string) any {
				return map[string]any{"name": "Framework " + ids["unique"], "kind": "framework", "starts_on": "2026-01-01",
					"lots": []any{map[string]any{"name": "Lot 1", "service_types": []string{"homecare"}}}}
			}},
		{Method: "POST", Path: "/api/v1/provider-imports", Roles: roles(accounts.Admin), Want: 200,
			Query: func(map[string]string) url.Values { return url.Values{"format": {"ons-postcodes"}} },
			Body: func(map[string]string) any {
				return rawBody{ContentType: "text/csv", Data: []byte("pcds,lat,long\nM41 5BU,53.4500,-2.3000\n")}
			}},
	},
})
