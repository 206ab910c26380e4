package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/api"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/packages"
	"github.com/carebroker/carebroker/providers"
)

// The packages area: what agreements become over time.
var _ = registerAccess(accessArea{
	Name: "packages",
	Wire: func(d *api.Deps) {
		d.Agreements = agreements.NewStore(d.DB)
		d.Providers = providers.NewStore(d.DB)
	},
	Fixture: packagesFixture,
	Entries: []accessEntry{
		{Method: "GET", Path: "/api/v1/agreements/:id/package", Params: map[string]string{"id": "agreement"}, Want: 200, Owned: ownedByOrg | ownedByPerson,
			Roles: roles(accounts.Client, accounts.ProviderUser, accounts.Practitioner, accounts.Broker, accounts.Admin, accounts.Finance)},
		{Method: "POST", Path: "/api/v1/agreements/:id/package/changes", Params: map[string]string{"id": "agreement"}, Want: 201, Owned: ownedByOrg | ownedByPerson,
			Roles: roles(accounts.ProviderUser, accounts.Practitioner, accounts.Broker),
			Body: func(map[string]string) any {
				return map[string]any{"kind": "hours", "version": 1, "from": "2027-02-01", "hours_per_week": 12, "reason": "more help at tea time"}
			}},
		{Method: "GET", Path: "/api/v1/package-changes", Want: 200, Owned: ownedByOrg | ownedByPerson, List: true,
			Roles: roles(accounts.ProviderUser, accounts.Practitioner, accounts.Broker)},
		{Method: "POST", Path: "/api/v1/package-changes/:id/decision", Params: map[string]string{"id": "asked_change"}, Want: 200, Owned: ownedByOrg | ownedByPerson,
			Roles: roles(accounts.Practitioner, accounts.Broker),
			Body:  func(map[string]string) any { return map[string]any{"approve": false, "reason": "not needed yet"} }},
		{Method: "POST", Path: "/api/v1/frameworks/:id/uplifts", Params: map[string]string{"id": "framework"}, Want: 201, Roles: roles(accounts.Admin),
			Body: func(map[string]string) any {
				return map[string]any{"basis_points": 300, "from": "2027-04-05", "reason": "2027/28 uplift"}
			}},
		{Method: "GET", Path: "/api/v1/provider-organisations/:id/package-terms", Params: map[string]string{"id": "org"}, Want: 200, Owned: ownedByOrg,
			Roles: roles(accounts.Admin, accounts.Broker, accounts.ProviderUser)},
		{Method: "PUT", Path: "/api/v1/provider-organisations/:id/package-terms", Params: map[string]string{"id": "org"}, Want: 200, Roles: roles(accounts.Admin),
			Body: func(map[string]string) any {
				return map[string]any{"retainer_percent": 100, "retainer_weeks": 2, "notice_days": 28}
			}},
		{Method: "POST", Path: "/api/v1/agreements/:id/package/handback", Params: map[string]string{"id": "agreement"}, Want: 201,
			Owned: ownedByOrg | ownedByPerson, Roles: roles(accounts.ProviderUser),
			Body: func(map[string]string) any {
				return map[string]any{"version": 1, "last_day": day.Today(time.Now).AddDays(60).String(), "reason": "staffing"}
			}},
		{Method: "GET", Path: "/api/v1/package-handbacks/by-provider", Want: 200, Roles: roles(accounts.Broker, accounts.Admin)},
		// The pages.
		{Method: "GET", Path: "/packages", Page: true, Want: 200, Owned: ownedByOrg | ownedByPerson, List: true,
			Roles: roles(accounts.Client, accounts.Admin, accounts.ProviderUser, accounts.Practitioner, accounts.Broker)},
		{Method: "GET", Path: "/packages/:id", Page: true, Params: map[string]string{"id": "agreement"}, Want: 200, Owned: ownedByOrg | ownedByPerson,
			Roles: roles(accounts.Client, accounts.ProviderUser, accounts.Practitioner, accounts.Broker, accounts.Admin, accounts.Finance)},
		{Method: "POST", Path: "/packages/:id/changes", Page: true, Params: map[string]string{"id": "agreement"}, Want: http.StatusSeeOther,
			Owned: ownedByOrg | ownedByPerson, Roles: roles(accounts.ProviderUser, accounts.Practitioner, accounts.Broker),
			Body: pageForm(append([]string{"kind", "hours", "version", "1", "units", "12", "reason", "more help at tea time"},
				dateFields("from", day.MustParse("2027-02-01"))...)...)},
		{Method: "POST", Path: "/packages/:id/handback", Page: true, Params: map[string]string{"id": "agreement"}, Want: http.StatusSeeOther,
			Owned: ownedByOrg | ownedByPerson, Roles: roles(accounts.ProviderUser),
			Body: pageForm(append([]string{"version", "1", "handback_reason", "travel"},
				dateFields("handback_last_day", day.Today(time.Now).AddDays(60))...)...)},
		{Method: "POST", Path: "/packages/changes/:id", Page: true, Params: map[string]string{"id": "asked_change"}, Want: http.StatusSeeOther,
			Owned: ownedByOrg | ownedByPerson, Roles: roles(accounts.Practitioner, accounts.Broker),
			Body: pageForm("agreement_id", "asked_agreement", "decision", "refuse", "decision_reason", "not needed yet")},
	},
})

// packagesFixture makes the agreements area's fixture (an agreement of A's,
// finance told) with its package, a second agreement of A's whose provider
// asked for a change, and a framework.
func packagesFixture(t *testing.T, w *accessWorld) map[string]string {
	t.Helper()
	ctx := context.Background()
	ids := agreementsFixture(t, w)
	first, err := uuid.Parse(ids["agreement"])
	if err != nil {
		t.Fatal(err)
	}
	ags, err := w.Deps.Agreements.ByIDs(ctx, []uuid.UUID{first})
	if err != nil {
		t.Fatal(err)
	}
	second := agreements.NewAgreement{
		RequestID: uuid.New(), OfferID: uuid.New(), PlanID: uuid.New(), PersonID: w.PersonA, ProviderOrgID: w.OrgA,
		ServiceID: uuid.New(), PersonName: "Person A", ProviderName: "Organisation A", ServiceName: "Day service A",
		ServiceType: "homecare", Team: w.TeamA, HoursPerWeek: 6, HourlyRatePence: 2000, WeeklyCostPence: 12000,
		StartDate: day.MustParse("2026-12-01"), Funding: agreements.CouncilFunded,
		InformationPack: agreements.InformationPack{
			Needs:   []agreements.PackNeed{{Need: "Company", Outcome: "Sees friends", HowMet: "Day centre"}},
			Contact: agreements.Contact{Name: "Person A"}, Address: "1 Test Street", Postcode: "M1 1AA",
		},
	}
	var made agreements.Agreement
	err = w.DB.Transaction(ctx, func(tx *postgres.Tx) error {
		if err := packages.Open(ctx, tx, ags[first]); err != nil {
			return err
		}
		if made, err = w.Deps.Agreements.Create(ctx, tx, accounts.SystemActor, second); err != nil {
			return err
		}
		return packages.Open(ctx, tx, made)
	})
	if err != nil {
		t.Fatal(err)
	}
	orgA := accounts.Actor{UserID: uuid.Nil, Role: accounts.ProviderUser, ProviderOrgID: w.OrgA}
	p, err := packages.NewStore(w.DB, w.Deps.Agreements).Change(ctx, orgA, made.ID, packages.NewChange{Kind: packages.Hours, Version: 1,
		From: day.MustParse("2027-02-01"), HoursPerWeek: ptrTo(8), Reason: "two more hours"})
	if err != nil {
		t.Fatal(err)
	}
	ids["asked_change"], ids["asked_agreement"] = p.Changes[0].ID.String(), made.ID.String()
	fw := uuid.New()
	w.DB.Gorm(ctx).Exec(`INSERT INTO frameworks (id, name, kind, starts_on) VALUES (?, ?, 'framework', '2026-04-01')`, fw, "Uplift framework "+fw.String())
	ids["framework"], ids["org"] = fw.String(), w.OrgA.String()
	return ids
}

func ptrTo[T any](v T) *T { return &v }
