package api_test

import (
	"context"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/api"
	"github.com/carebroker/carebroker/app"
	"github.com/carebroker/carebroker/internal/config"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/redisx/redistest"
)

const accessSecret = "access-table-secret-at-least-32-characters"

// newAccessWorld builds the dependencies (with every area's Wire), the
// organisations, people and teams A and B, and a user for every caller.
func newAccessWorld(t *testing.T, areas []accessArea) *accessWorld {
	t.Helper()
	db := pgtest.New(t)
	cfg, err := config.Load(func(k string) string { return map[string]string{"JWT_SECRET": accessSecret}[k] })
	if err != nil {
		t.Fatal(err)
	}
	unlimited := api.Unlimited
	w := &accessWorld{
		DB:   db,
		Deps: api.Deps{Config: cfg, DB: db, Redis: redistest.New(t), Accounts: accounts.NewStore(db), Limits: &unlimited},
		OrgA: uuid.New(), OrgB: uuid.New(), PersonA: uuid.New(), PersonB: uuid.New(),
		TeamA: "community_led_support", TeamB: "mental_health",
		Users:    map[string]accessUser{},
		Password: "access-table-password-for-everyone",
	}
	for _, a := range areas {
		if a.Wire != nil {
			a.Wire(&w.Deps)
		}
	}
	for _, setup := range accessWorldSetups {
		setup(t, w)
	}
	tokens := accounts.NewTokens(cfg.JWTSecrets, cfg.JWTIssuer, cfg.JWTAudience, cfg.AccessTTL)
	for _, c := range callers() {
		if c.Role == "" {
			continue
		}
		org, person, team := w.OrgA, w.PersonA, w.TeamA
		if c.Other {
			org, person, team = w.OrgB, w.PersonB, w.TeamB
		}
		n := accounts.NewUser{
			Email: uuid.NewString()[:8] + "." + string(c.Role) + "@access.example", DisplayName: c.Name,
			Password: w.Password, Role: c.Role,
		}
		switch c.Role {
		case accounts.ProviderUser:
			n.ProviderOrgID = &org
		case accounts.Client:
			n.PersonID = &person
		case accounts.Practitioner:
			n.Team = team
		}
		u, err := w.Deps.Accounts.CreateUser(context.Background(), n)
		if err != nil {
			t.Fatalf("access world: user %s: %v", c.Name, err)
		}
		tok, _, err := tokens.Issue(u.Actor())
		if err != nil {
			t.Fatal(err)
		}
		w.Users[c.Name] = accessUser{User: u, Token: tok}
	}
	return w
}

// accessEngine is the engine every route is registered on: the API and
// the web pages, assembled by app as cmd/carebroker serves them.
func accessEngine(t *testing.T, w *accessWorld) *gin.Engine {
	t.Helper()
	engine, err := app.New(w.Deps)
	if err != nil {
		t.Fatal(err)
	}
	w.Handler = engine
	return engine
}

func TestEveryRouteHasAnAccessEntryAndKeepsIt(t *testing.T) {
	t.Parallel()
	w := newAccessWorld(t, accessAreas)
	h := accessEngine(t, w)
	routes := h.Routes()
	if len(routes) < 9 {
		t.Fatalf("only %d routes found; the enumeration is broken", len(routes))
	}
	for _, p := range coverage(routes, accessAreas) {
		t.Error(p)
	}
	for _, a := range accessAreas {
		for _, e := range a.Entries {
			t.Run(a.Name+" "+e.key(), func(t *testing.T) {
				t.Parallel()
				for _, p := range tryEntry(t, h, w, a, e) {
					t.Error(p)
				}
			})
		}
	}
}
