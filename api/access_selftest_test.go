package api_test

import (
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
)

// TestTheAccessTableCatchesBrokenRoutes runs the table's checks against an
// engine whose routes get access wrong on purpose, so the guard is known to
// bite: a check that cannot fail would let every one of these through.
func TestTheAccessTableCatchesBrokenRoutes(t *testing.T) {
	t.Parallel()
	w := newAccessWorld(t, nil)
	tokens := accounts.NewTokens(w.Deps.Config.JWTSecrets, w.Deps.Config.JWTIssuer, w.Deps.Config.JWTAudience, w.Deps.Config.AccessTTL)
	signedIn := func(c *gin.Context) (accounts.Actor, bool) {
		raw, _ := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
		a, err := tokens.Verify(raw)
		if err != nil {
			c.Header("Content-Type", "application/problem+json")
			c.AbortWithStatusJSON(401, gin.H{"status": 401})
			return a, false
		}
		return a, true
	}
	refuse := func(c *gin.Context, status int) {
		c.Header("Content-Type", "application/problem+json")
		c.AbortWithStatusJSON(status, gin.H{"status": status})
	}
	// The request id reaches the audit trail, as in the real engine.
	r := gin.New()
	r.Use(func(c *gin.Context) {
		c.Request = c.Request.WithContext(audit.WithRequestID(c.Request.Context(), c.GetHeader("X-Request-Id")))
	})
	// Every signed-in user sees every thing, whatever the role or organisation.
	r.GET("/leaky/things/:id", func(c *gin.Context) {
		if _, ok := signedIn(c); ok {
			c.JSON(200, gin.H{"id": c.Param("id")})
		}
	})
	// No authentication at all.
	r.GET("/open/secret", func(c *gin.Context) { c.JSON(200, gin.H{"secret": true}) })
	// Registered, never described in the table.
	r.GET("/unlisted", func(c *gin.Context) { c.Status(204) })
	// Refuses a client, but only after writing to the audit trail.
	r.POST("/audited/:id", func(c *gin.Context) {
		a, ok := signedIn(c)
		if !ok {
			return
		}
		audit.Record(c.Request.Context(), w.DB, audit.Entry{Actor: a, Action: "thing.change", ObjectType: "thing", ObjectID: c.Param("id")})
		if a.Role == accounts.Client {
			refuse(c, 403)
			return
		}
		c.Status(204)
	})
	// A list that shows every organisation's things to a provider.
	r.GET("/lists/things", func(c *gin.Context) {
		if _, ok := signedIn(c); ok {
			c.JSON(200, gin.H{"things": []string{w.OrgA.String()}})
		}
	})
	// Done right: providers see only their own organisation's thing.
	r.GET("/good/things/:id", func(c *gin.Context) {
		a, ok := signedIn(c)
		if !ok {
			return
		}
		if a.Role != accounts.ProviderUser {
			refuse(c, 403)
			return
		}
		if c.Param("id") != a.ProviderOrgID.String() {
			refuse(c, 404)
			return
		}
		c.JSON(200, gin.H{"id": c.Param("id")})
	})
	r.Use(func(c *gin.Context) {
		c.Request = c.Request.WithContext(audit.WithRequestID(c.Request.Context(), c.GetHeader("X-Request-Id")))
	})

	area := accessArea{
		Name: "broken",
		Fixture: func(t *testing.T, w *accessWorld) map[string]string {
			return map[string]string{"thing": w.OrgA.String()}
		},
		Entries: []accessEntry{
			{Method: "GET", Path: "/leaky/things/:id", Roles: roles(accounts.Broker, accounts.ProviderUser), Params: map[string]string{"id": "thing"}, Want: 200, Owned: ownedByOrg},
			{Method: "GET", Path: "/open/secret", Roles: roles(accounts.Admin), Want: 200},
			{Method: "POST", Path: "/audited/:id", Roles: roles(accounts.Broker), Params: map[string]string{"id": "thing"}, Want: 204},
			{Method: "GET", Path: "/lists/things", Roles: roles(accounts.ProviderUser), Want: 200, Owned: ownedByOrg, List: true},
			{Method: "GET", Path: "/good/things/:id", Roles: roles(accounts.ProviderUser), Params: map[string]string{"id": "thing"}, Want: 200, Owned: ownedByOrg},
			{Method: "GET", Path: "/never/registered", Public: true},
		},
	}
	problems := coverage(r.Routes(), []accessArea{area})
	for _, e := range area.Entries[:5] {
		problems = append(problems, tryEntry(t, r, w, area, e)...)
	}
	all := strings.Join(problems, "\n")
	for _, want := range []string{
		"GET /leaky/things/:id as provider of B: status 200, want 404",
		"GET /leaky/things/:id as client: status 200, want 403 or 404",
		"GET /open/secret as anonymous: status 200",
		"GET /unlisted is registered but has no access entry",
		"POST /audited/:id as client: the refused request wrote 1 audit event(s)",
		"GET /lists/things as provider of B: the answer mentions A's thing",
		"GET /never/registered (area broken) is in the access table but not registered",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the table did not report %q; it reported:\n%s", want, all)
		}
	}
	if strings.Contains(all, "/good/things") {
		t.Errorf("a correct route was reported:\n%s", all)
	}
}
