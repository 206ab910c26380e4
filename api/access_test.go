package api_test

// The route-by-role access table (issue 6, OWASP API1 and API5). Every route
// registered on the engine must have exactly one entry; each entry is tried
// as anonymous, as each role, and, for routes that touch objects, as a user
// of another organisation, person or team. A new route without an entry
// fails TestEveryRouteHasAnAccessEntryAndKeepsIt.
//
// Each area keeps its entries in its own file, access_<area>_test.go:
//
//	var _ = registerAccess(accessArea{
//		Name:    "brokerage",
//		Wire:    func(d *api.Deps) { d.Brokerage = brokerage.NewService(d.DB) },
//		Fixture: func(t *testing.T, w *accessWorld) map[string]string { ...objects of A...; return map[string]string{"plan": id} },
//		Entries: []accessEntry{
//			{Method: "GET", Path: "/api/v1/plans/:id", Roles: roles(accounts.Practitioner, accounts.Broker, accounts.Client),
//				Params: map[string]string{"id": "plan"}, Want: 200, Owned: true},
//		},
//	})
//
// CONTRIBUTING.md says the same at more length.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/api"
	"github.com/carebroker/carebroker/internal/postgres"
)

// accessEntry is one route's row in the table.
type accessEntry struct {
	Method string
	Path   string // exactly as registered with gin, e.g. /api/v1/plans/:id

	Public bool            // anyone may call it, signed in or not
	Roles  []accounts.Role // who may call it (when not Public); everyone else gets 403 or 404

	Params map[string]string                      // path parameter -> name of a fixture id, e.g. {"id": "plan"}
	Query  func(ids map[string]string) url.Values // query string, if any
	Body   func(ids map[string]string) any        // JSON body (url.Values: a form; rawBody: as it is), if any

	Headers func(ids map[string]string) http.Header // extra request headers, if any

	Want  int   // the status each allowed caller gets, each on fresh fixtures (0: any 2xx)
	Wants []int // instead of Want, when the answer depends on the caller (a page that redirects the signed-in)

	// Owned says whose the objects the route touches (named in the path or
	// the body) are: organisation A's, person A's (in team A), or both. The
	// users of B bound the same way get 404, as if the objects did not exist.
	Owned owner
	// List marks an Owned route that lists things: B's users get Want, and
	// the answer must not mention any of the fixture's ids.
	List bool

	Page bool // a web page, signed in the pages' way (pageClient) instead of a bearer token
}

// owner says who the objects of a route belong to.
type owner int

const (
	// ownedByOrg: provider organisation A's; the provider user of B must not see them.
	ownedByOrg owner = 1 << iota
	// ownedByPerson: person A's, whose case is team A's; the client of B and the
	// practitioner of team B must not see them.
	ownedByPerson
)

// keepsOut reports whether c, a user of B, is kept from objects owned o.
func (o owner) keepsOut(c caller) bool {
	if c.Role == accounts.ProviderUser {
		return o&ownedByOrg != 0
	}
	return o&ownedByPerson != 0
}

// rawBody is a request body sent as it is (a CSV file, say).
type rawBody struct {
	ContentType string
	Data        []byte
}

// accessArea is one area's part of the table.
type accessArea struct {
	Name string
	// Wire adds the area's dependencies to the API's (optional).
	Wire func(d *api.Deps)
	// Fixture creates fresh objects owned by A and returns their ids by
	// name (optional). It is called for each caller who may act on a
	// state-changing route, so each meets the objects in the same state;
	// everyone else (the callers refused, and every caller of a GET) shares
	// one set made once per area and world, which nobody changes.
	Fixture func(t *testing.T, w *accessWorld) map[string]string
	Entries []accessEntry
}

var accessAreas []accessArea

// registerAccess adds an area's entries; call it from a package-level var.
func registerAccess(a accessArea) bool {
	accessAreas = append(accessAreas, a)
	return true
}

// roles is a readable way to write a list of roles.
func roles(rs ...accounts.Role) []accounts.Role { return rs }

// everyRole is every role a user can have.
var everyRole = accounts.Roles

// accessWorld is what the fixtures build on: organisation, person and team
// A (whose objects the fixtures create) and B (the "other" callers'), and a
// signed-in user per caller.
type accessWorld struct {
	DB       *postgres.DB
	Deps     api.Deps
	OrgA     uuid.UUID
	OrgB     uuid.UUID
	PersonA  uuid.UUID
	PersonB  uuid.UUID
	TeamA    string
	TeamB    string
	Users    map[string]accessUser // by caller name, see callers()
	Password string                // every world user's password
	// Handler is the engine under test, for fixtures and sign-ins that
	// need to make requests of their own (set before any entry runs).
	Handler http.Handler
}

// accessUser is a world user with an access token.
type accessUser struct {
	accounts.User
	Token string
}

// accessWorldSetups run before the world's users are made. The area that
// owns organisations (providers) replaces OrgA/OrgB with real ones, the
// area that owns people (brokerage) PersonA/PersonB, once their tables
// have foreign keys from users.
var accessWorldSetups []func(t *testing.T, w *accessWorld)

// accessClient is how a kind of route is called and refused.
type accessClient struct {
	// SignIn makes req come from u.
	SignIn func(t *testing.T, w *accessWorld, req *http.Request, u accessUser)
	// RefusesAnonymous reports whether r is this kind's refusal of a
	// caller who is not signed in.
	RefusesAnonymous func(r *httptest.ResponseRecorder) bool
}

var apiClient = accessClient{
	SignIn: func(_ *testing.T, _ *accessWorld, req *http.Request, u accessUser) {
		req.Header.Set("Authorization", "Bearer "+u.Token)
	},
	RefusesAnonymous: func(r *httptest.ResponseRecorder) bool {
		return r.Code == http.StatusUnauthorized && isProblem(r)
	},
}

// pageClient is set by the frontend's access file: how the pages sign a
// user in (a session cookie) and what their refusal of an anonymous caller
// looks like (a redirect to the sign-in page).
var pageClient *accessClient

func isProblem(r *httptest.ResponseRecorder) bool {
	return r.Header().Get("Content-Type") == "application/problem+json"
}

// caller is one way of calling a route.
type caller struct {
	Name  string        // "anonymous", a role, or "<role> of B"
	Role  accounts.Role // "" for anonymous
	Other bool          // bound to B rather than A
}

// callers: anonymous, every role (bound to A), and the roles bound to an
// organisation, person or team as users of B.
func callers() []caller {
	cs := []caller{{Name: "anonymous"}}
	for _, r := range everyRole {
		cs = append(cs, caller{Name: string(r), Role: r})
	}
	for _, r := range []accounts.Role{accounts.ProviderUser, accounts.Client, accounts.Practitioner} {
		cs = append(cs, caller{Name: string(r) + " of B", Role: r, Other: true})
	}
	return cs
}

func (e accessEntry) key() string { return e.Method + " " + e.Path }

// coverage compares the registered routes with the table's entries.
func coverage(routes gin.RoutesInfo, areas []accessArea) (problems []string) {
	registered := map[string]bool{}
	for _, r := range routes {
		registered[r.Method+" "+r.Path] = true
	}
	seen := map[string]string{}
	for _, a := range areas {
		for _, e := range a.Entries {
			if prev, dup := seen[e.key()]; dup {
				problems = append(problems, fmt.Sprintf("%s has entries in both %s and %s", e.key(), prev, a.Name))
			}
			seen[e.key()] = a.Name
			if !registered[e.key()] {
				problems = append(problems, fmt.Sprintf("%s (area %s) is in the access table but not registered", e.key(), a.Name))
			}
		}
	}
	var missing []string
	for k := range registered {
		if _, ok := seen[k]; !ok {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	for _, k := range missing {
		m, p, _ := strings.Cut(k, " ")
		problems = append(problems, fmt.Sprintf("%s is registered but has no access entry; add one to api/access_<area>_test.go, e.g.\n\t{Method: %q, Path: %q, Roles: roles(...), Want: 200}", k, m, p))
	}
	return problems
}

var requestSeq atomic.Int64

// tryEntry calls e as every caller, each on fresh fixtures, and returns
// what is wrong.
func tryEntry(t *testing.T, h http.Handler, w *accessWorld, a accessArea, e accessEntry) (problems []string) {
	client := &apiClient
	if e.Page {
		if pageClient == nil {
			return []string{e.key() + " is a page, but no pageClient is registered: the frontend's access file must set it"}
		}
		client = pageClient
	}
	bad := func(c caller, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("%s as %s: %s", e.key(), c.Name, fmt.Sprintf(format, args...)))
	}
	for _, c := range callers() {
		ids := map[string]string{}
		if a.Fixture != nil {
			ids = fixtureFor(t, w, a, e, c)
		}
		req, err := buildRequest(e, ids)
		if err != nil {
			return []string{e.key() + ": " + err.Error()}
		}
		reqID := fmt.Sprintf("access-%d-%s", requestSeq.Add(1), uuid.NewString()[:8])
		req.Header.Set("X-Request-Id", reqID)
		if c.Role != "" {
			client.SignIn(t, w, req, w.Users[c.Name])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)

		allowedRole := e.Public || slices.Contains(e.Roles, c.Role)
		denied := false
		switch {
		case e.Public:
			if !wantStatus(e, rec.Code) {
				bad(c, "status %d, want %s for a public route: %s", rec.Code, wantText(e), snippet(rec))
			}
		case c.Role == "":
			denied = true
			if !client.RefusesAnonymous(rec) {
				bad(c, "status %d, want the refusal of a caller who is not signed in: %s", rec.Code, snippet(rec))
			}
		case !allowedRole:
			denied = true
			if rec.Code != http.StatusForbidden && rec.Code != http.StatusNotFound || !e.Page && !isProblem(rec) {
				bad(c, "status %d, want 403 or 404 as a problem document for a role not allowed: %s", rec.Code, snippet(rec))
			}
		case c.Other && e.Owned.keepsOut(c) && !e.List:
			denied = true
			if rec.Code != http.StatusNotFound {
				bad(c, "status %d, want 404: another organisation's, person's or team's object must look like none: %s", rec.Code, snippet(rec))
			}
		case c.Other && e.Owned.keepsOut(c) && e.List:
			if !wantStatus(e, rec.Code) {
				bad(c, "status %d, want %s: %s", rec.Code, wantText(e), snippet(rec))
			}
			for name, id := range ids {
				if id != "" && strings.Contains(rec.Body.String(), id) {
					bad(c, "the answer mentions A's %s (%s)", name, id)
				}
			}
		default:
			if !wantStatus(e, rec.Code) {
				bad(c, "status %d, want %s: %s", rec.Code, wantText(e), snippet(rec))
			}
		}
		if denied {
			var n int64
			if err := w.DB.Gorm(context.Background()).Table("audit_events").Where("request_id = ?", reqID).Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				bad(c, "the refused request wrote %d audit event(s): a refusal must change nothing", n)
			}
		}
	}
	return problems
}

// acts reports whether c may do what e does, and so may change the objects
// it names: a public route's callers, and the allowed roles, except users
// of B kept out of A's objects.
func (e accessEntry) acts(c caller) bool {
	switch {
	case e.Public:
		return true
	case c.Role == "" || !slices.Contains(e.Roles, c.Role):
		return false
	}
	return !(c.Other && e.Owned.keepsOut(c) && !e.List)
}

// fixtureFor returns the objects c calls e on. Only a caller who acts on a
// state-changing route needs fresh ones. A refusal changes nothing (the
// table checks that it writes no audit event), nor does a GET, so the
// others share one set per area and world: building a whole story (plan,
// sign-off, match, invitation, offer, choice) for each of a dozen callers
// of every route made the table the slowest test of the suite.
func fixtureFor(t *testing.T, w *accessWorld, a accessArea, e accessEntry, c caller) map[string]string {
	if e.acts(c) && e.Method != http.MethodGet && e.Method != http.MethodHead {
		return a.Fixture(t, w)
	}
	return oncePerWorld("area "+a.Name, a.Fixture)(t, w)
}

func wantStatus(e accessEntry, got int) bool {
	if len(e.Wants) > 0 {
		return slices.Contains(e.Wants, got)
	}
	if e.Want == 0 {
		return got >= 200 && got < 300
	}
	return got == e.Want
}

func wantText(e accessEntry) string {
	if len(e.Wants) > 0 {
		return fmt.Sprint(e.Wants)
	}
	if e.Want == 0 {
		return "2xx"
	}
	return fmt.Sprint(e.Want)
}

func snippet(r *httptest.ResponseRecorder) string {
	s := r.Body.String()
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// buildRequest fills the path parameters from the fixture's ids and adds
// the query and body.
func buildRequest(e accessEntry, ids map[string]string) (*http.Request, error) {
	var parts []string
	for _, seg := range strings.Split(e.Path, "/") {
		if strings.HasPrefix(seg, ":") || strings.HasPrefix(seg, "*") {
			name := seg[1:]
			idName, ok := e.Params[name]
			if !ok {
				return nil, fmt.Errorf("path parameter %s has no Params entry naming a fixture id", seg)
			}
			id, ok := ids[idName]
			if !ok {
				return nil, fmt.Errorf("Params names fixture id %q, which the area's Fixture did not return", idName)
			}
			seg = url.PathEscape(id)
		}
		parts = append(parts, seg)
	}
	target := strings.Join(parts, "/")
	if e.Query != nil {
		target += "?" + e.Query(ids).Encode()
	}
	var body io.Reader
	contentType := ""
	if e.Body != nil {
		switch b := e.Body(ids).(type) {
		case url.Values:
			body, contentType = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
		case rawBody:
			body, contentType = bytes.NewReader(b.Data), b.ContentType
		default:
			js, err := json.Marshal(b)
			if err != nil {
				return nil, err
			}
			body, contentType = bytes.NewReader(js), "application/json"
		}
	}
	req := httptest.NewRequest(e.Method, target, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if e.Headers != nil {
		for k, vs := range e.Headers(ids) {
			for _, v := range vs {
				req.Header.Add(k, v)
			}
		}
	}
	return req, nil
}
