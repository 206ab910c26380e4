package api_test

import (
	"net/http"
	"net/url"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/api"
)

// The provider accepts its agreement from its portal: only a user of the
// agreement's provider organisation (B's users get 404).
var _ = registerAccess(accessArea{
	Name:    "agreement acceptance",
	Wire:    func(d *api.Deps) { d.Agreements = agreements.NewStore(d.DB) },
	Fixture: agreementsFixture,
	Entries: []accessEntry{
		{Method: "POST", Path: "/api/v1/agreements/:id/accept", Params: map[string]string{"id": "agreement"}, Want: 200,
			Owned: ownedByOrg, Roles: roles(accounts.ProviderUser)},
		{Method: "POST", Path: "/provider/agreements/:id/accept", Params: map[string]string{"id": "agreement"}, Page: true,
			Want: http.StatusSeeOther, Owned: ownedByOrg, Roles: roles(accounts.ProviderUser),
			Body: func(map[string]string) any { return url.Values{} }},
	},
})
