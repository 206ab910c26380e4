package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/providers"
)

// everyRole signs in a user of each role (the provider user of a new
// organisation, the client of a new person) and returns their tokens.
func (h *harness) everyRole(t *testing.T) map[accounts.Role]string {
	t.Helper()
	tokens := map[accounts.Role]string{}
	_, tokens[accounts.Practitioner] = h.user(accounts.NewUser{Email: "kit-practitioner@council.example", Role: accounts.Practitioner})
	r := h.do("POST", "/api/v1/persons", tokens[accounts.Practitioner], map[string]any{
		"name": "Kit Person", "date_of_birth": "1940-01-01", "address": "1 Kit Street, Salford", "postcode": "M5 4WT"})
	wantStatus(t, r, http.StatusCreated)
	person := mustUUID(t, r.json(t)["id"].(string))
	org, err := h.srv.Providers.CreateOrganisation(t.Context(), accounts.SystemActor, providers.NewOrganisation{Name: "Kit Care Ltd"})
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range accounts.Roles {
		n := accounts.NewUser{Email: "kit-" + string(role) + "@council.example", Role: role}
		switch role {
		case accounts.Practitioner:
			continue
		case accounts.ProviderUser:
			n.ProviderOrgID = &org.ID
		case accounts.Client:
			n.PersonID = &person
		}
		_, tokens[role] = h.user(n)
	}
	return tokens
}

// TestEveryListAnswersInTheOneShape asks every list the OpenAPI
// description promises on a path without an id, as each role: every
// answer given is {"items": [...]} (an empty list as [], never null), with
// at most next beside it, and is not to be stored. The provider
// organisations' pages follow next to the end.
func TestEveryListAnswersInTheOneShape(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tokens := h.everyRole(t)
	for i := 0; i < 3; i++ {
		wantStatus(t, h.do("POST", "/api/v1/provider-organisations", tokens[accounts.Broker],
			map[string]any{"name": fmt.Sprintf("Paged Care %d Ltd", i)}), http.StatusCreated)
	}
	asked := 0
	for name, schema := range listAnswers(t) {
		method, path, _ := strings.Cut(name, " ")
		path, _, _ = strings.Cut(path, " ")
		if method != http.MethodGet || strings.Contains(path, "{") || !isList(schema) {
			continue
		}
		answered := false
		for role, token := range tokens {
			r := h.do("GET", path, token, nil)
			if r.Status != http.StatusOK {
				continue
			}
			answered = true
			wantOneListShape(t, role, path, r)
		}
		if !answered {
			t.Errorf("GET %s answered no role with 200", path)
		}
		asked++
	}
	if asked < 10 {
		t.Fatalf("only %d lists asked; the walk is broken", asked)
	}

	// Four organisations (three and the provider user's), two a page.
	var names []string
	next := "/api/v1/provider-organisations?limit=2"
	for pages := 0; next != ""; pages++ {
		if pages == 3 {
			t.Fatalf("next keeps going: %s", next)
		}
		r := h.do("GET", next, tokens[accounts.Broker], nil)
		page := wantOneListShape(t, accounts.Broker, next, r)
		for _, o := range page.Items {
			names = append(names, o["name"].(string))
		}
		next = page.Next
	}
	sort.Strings(names)
	if strings.Join(names, ", ") != "Kit Care Ltd, Paged Care 0 Ltd, Paged Care 1 Ltd, Paged Care 2 Ltd" {
		t.Fatalf("the pages held %v", names)
	}
}

type listPage struct {
	Items []map[string]any `json:"items"`
	Next  string           `json:"next"`
}

// wantOneListShape checks r is a list in the one shape, not to be stored,
// and returns it.
func wantOneListShape(t *testing.T, role accounts.Role, path string, r response) listPage {
	t.Helper()
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(r.Body, &keys); err != nil {
		t.Fatalf("GET %s as %s: not a JSON object: %s", path, role, r.Body)
	}
	for k := range keys {
		if k != "items" && k != "next" {
			t.Errorf("GET %s as %s: %q beside the items: %s", path, role, k, r.Body)
		}
	}
	if items := bytes.TrimSpace(keys["items"]); len(items) == 0 || items[0] != '[' {
		t.Errorf("GET %s as %s: items is not a list: %s", path, role, r.Body)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("GET %s as %s: Cache-Control %q, want no-store", path, role, cc)
	}
	var page listPage
	if err := json.Unmarshal(r.Body, &page); err != nil {
		t.Fatalf("GET %s as %s: %v", path, role, err)
	}
	return page
}

// TestAMalformedPathIDIsNotFoundOnEveryRoute sends "not-a-uuid" as the id
// of every registered route that has one, as anonymous and as each role:
// no answer is 400 (or a success, or a failure of ours), and at least one
// caller per route reaches the handler and gets 404 naming the parameter
// id, as a problem document that is not to be stored.
func TestAMalformedPathIDIsNotFoundOnEveryRoute(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tokens := h.everyRole(t)
	tokens["anonymous"] = ""
	routes := 0
	for _, rt := range h.srv.Engine().Routes() {
		if !strings.Contains(rt.Path, ":id") {
			continue
		}
		routes++
		path := strings.ReplaceAll(rt.Path, ":id", "not-a-uuid")
		var body any
		if rt.Method != http.MethodGet {
			body = map[string]any{}
		}
		reached := false
		for role, token := range tokens {
			r := h.do(rt.Method, path, token, body)
			switch {
			case r.Status == http.StatusNotFound:
				wantProblem(t, r, http.StatusNotFound, "id")
				if r.Header.Get("Cache-Control") != "no-store" {
					t.Errorf("%s %s as %s: a problem that may be stored", rt.Method, path, role)
				}
				reached = true
			case r.Status != http.StatusUnauthorized && r.Status != http.StatusForbidden:
				t.Errorf("%s %s as %s: %d, want 404 naming id (or 401/403 before the handler): %s", rt.Method, path, role, r.Status, r.Body)
			}
		}
		if !reached {
			t.Errorf("%s %s: no caller reached the handler to be told 404", rt.Method, path)
		}
	}
	if routes < 40 {
		t.Fatalf("only %d routes with an id; the walk is broken", routes)
	}
}

// TestRenderSendsEverySliceAsAList is the one renderer's rule on its own:
// a slice (nil or not) is a list, anything else goes as it is, json's
// own raw JSON is not a slice to it, and nil sends no body.
func TestRenderSendsEverySliceAsAList(t *testing.T) {
	t.Parallel()
	type thing struct {
		ID uuid.UUID `json:"id"`
	}
	id := uuid.MustParse("3f2b6c1e-9d1a-4a53-8a0e-1b2c3d4e5f60")
	for _, c := range []struct {
		name   string
		status int
		v      any
		want   string
	}{
		{"a slice", 200, []thing{{ID: id}}, `{"items":[{"id":"` + id.String() + `"}]}`},
		{"a nil slice", 200, []thing(nil), `{"items":[]}`},
		{"a paged list", 200, listOf([]thing(nil), "/api/v1/things?offset=2"), `{"items":[],"next":"/api/v1/things?offset=2"}`},
		{"an object", 201, thing{ID: id}, `{"id":"` + id.String() + `"}`},
		{"raw JSON", 200, json.RawMessage(`[1, 2]`), `[1,2]`},
		{"nothing", 204, nil, ``},
	} {
		rec := httptest.NewRecorder()
		ctx, _ := gin.CreateTestContext(rec)
		if err := render(ctx, c.status, c.v); err != nil {
			t.Fatal(err)
		}
		ctx.Writer.WriteHeaderNow()
		if rec.Code != c.status || rec.Body.String() != c.want {
			t.Errorf("%s: %d %s, want %d %s", c.name, rec.Code, rec.Body, c.status, c.want)
		}
	}
}

// TestThePublishedDirectoryMayBeKept: the public Open Referral UK export
// is outside the API's no-store; anyone may keep it for five minutes.
func TestThePublishedDirectoryMayBeKept(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.do("GET", "/openreferral/services", "", nil)
	wantStatus(t, r, http.StatusOK)
	if cc := r.Header.Get("Cache-Control"); cc != "public, max-age=300" {
		t.Fatalf("Cache-Control %q", cc)
	}
}
