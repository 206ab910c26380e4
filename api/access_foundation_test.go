package api_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
)

// The foundation's routes: probes, the OpenAPI document, sign-in and tokens,
// and the security area's audit trail.
var _ = registerAccess(accessArea{
	Name: "foundation",
	Fixture: func(t *testing.T, w *accessWorld) map[string]string {
		// The refresh token belongs to a user of its own: the callers' users
		// sign out everywhere (revoke-all) in parallel subtests, which would
		// revoke a token of theirs between its issue and its use.
		broker := w.Users[string(accounts.Broker)]
		holder, err := w.Deps.Accounts.CreateUser(context.Background(), accounts.NewUser{
			Email: uuid.NewString()[:8] + ".refresh@access.example", DisplayName: "Refresh holder",
			Password: w.Password, Role: accounts.Broker})
		if err != nil {
			t.Fatal(err)
		}
		refresh, err := w.Deps.Accounts.IssueRefreshToken(context.Background(), holder.ID)
		if err != nil {
			t.Fatal(err)
		}
		return map[string]string{"email": broker.Email, "refresh_token": refresh, "person": w.PersonA.String(), "password": w.Password}
	},
	Entries: []accessEntry{
		{Method: "GET", Path: "/healthz", Public: true, Want: 200},
		{Method: "GET", Path: "/readyz", Public: true, Want: 200},
		{Method: "GET", Path: "/api/v1/openapi.json", Public: true, Want: 200},
		{Method: "POST", Path: "/api/v1/auth/login", Public: true, Want: 200,
			Body: func(ids map[string]string) any {
				return map[string]string{"email": ids["email"], "password": ids["password"]}
			}},
		{Method: "POST", Path: "/api/v1/auth/refresh", Public: true, Want: 200,
			Body: func(ids map[string]string) any { return map[string]string{"refresh_token": ids["refresh_token"]} }},
		{Method: "POST", Path: "/api/v1/auth/logout", Public: true, Want: 204,
			Body: func(ids map[string]string) any { return map[string]string{"refresh_token": ids["refresh_token"]} }},
		{Method: "GET", Path: "/api/v1/me", Roles: everyRole, Want: 200},
		{Method: "POST", Path: "/api/v1/auth/revoke-all", Roles: everyRole, Want: 204},
		{Method: "GET", Path: "/api/v1/admin/audit", Roles: roles(accounts.Admin), Want: 200,
			Query: func(ids map[string]string) url.Values { return url.Values{"person_id": {ids["person"]}} }},
	},
})
