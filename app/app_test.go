package app

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/api"
	"github.com/carebroker/carebroker/internal/config"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/redisx/redistest"
)

func TestMain(m *testing.M) {
	accounts.UseFastHashing()
	os.Exit(m.Run())
}

func newApp(t *testing.T) *gin.Engine {
	t.Helper()
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"JWT_SECRET": "test-secret-at-least-32-characters-long!!"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	db := pgtest.New(t)
	e, err := New(api.Deps{Config: cfg, DB: db, Redis: redistest.New(t), Accounts: accounts.NewStore(db)})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func get(e http.Handler, path, accept string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

func TestUnknownAddressesAnswerPagesToBrowsersAndProblemsToPrograms(t *testing.T) {
	t.Parallel()
	e := newApp(t)
	for _, tc := range []struct {
		path, accept, contentType string
	}{
		{"/no/such/page", browserAccept, "text/html; charset=utf-8"},
		{"/no/such/page", "application/json", "application/problem+json"},
		{"/no/such/page", "", "application/problem+json"},
		{"/api/v1/no-such-thing", browserAccept, "application/problem+json"},
	} {
		r := get(e, tc.path, tc.accept)
		if r.Code != http.StatusNotFound || r.Header().Get("Content-Type") != tc.contentType {
			t.Errorf("GET %s (Accept %q): %d %q, want 404 %q", tc.path, tc.accept, r.Code, r.Header().Get("Content-Type"), tc.contentType)
		}
		if tc.contentType == "application/problem+json" {
			var p api.Problem
			if err := json.Unmarshal(r.Body.Bytes(), &p); err != nil || p.Status != 404 {
				t.Errorf("GET %s: not a problem document: %s", tc.path, r.Body)
			}
		} else if !strings.Contains(r.Body.String(), "<h1 class=\"govuk-heading-l\">Page not found</h1>") {
			t.Errorf("GET %s: not the page not found page", tc.path)
		}
	}
}

func TestPagesCarryTheServicesSecurityHeaders(t *testing.T) {
	t.Parallel()
	e := newApp(t)
	r := get(e, "/sign-in", browserAccept)
	if r.Code != http.StatusOK {
		t.Fatalf("sign-in: %d", r.Code)
	}
	csp := r.Header().Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "form-action 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %s", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	for _, h := range []string{"X-Request-Id", "X-Content-Type-Options", "X-Frame-Options"} {
		if r.Header().Get(h) == "" {
			t.Errorf("no %s on a page", h)
		}
	}
}

func TestOneEngineServesTheAPIAndThePages(t *testing.T) {
	t.Parallel()
	e := newApp(t)
	routes := map[string]bool{}
	for _, r := range e.Routes() {
		routes[r.Method+" "+r.Path] = true
	}
	for _, want := range []string{"POST /api/v1/auth/login", "GET /api/v1/me", "GET /readyz", "GET /sign-in", "POST /sign-in", "POST /sign-out", "GET /broker/queue", "GET /assets/*filepath", "GET /live"} {
		if !routes[want] {
			t.Errorf("%s is not registered", want)
		}
	}
	if r := get(e, "/readyz", ""); r.Code != http.StatusOK {
		t.Errorf("readyz: %d", r.Code)
	}
	if r := get(e, "/api/v1/me", "application/json"); r.Code != http.StatusUnauthorized {
		t.Errorf("the API without a token answered %d", r.Code)
	}
}
