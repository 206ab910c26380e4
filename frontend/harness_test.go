package frontend

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/config"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/providers"
)

func TestMain(m *testing.M) {
	accounts.UseFastHashing()
	gin.SetMode(gin.ReleaseMode)
	os.Exit(m.Run())
}

// harness is the pages on a gin engine, a fresh database and a clock the
// test can move. The API's middleware is not here (app's tests cover the
// assembled service); a stand-in gives each request an X-Request-Id.
type harness struct {
	t        testing.TB
	f        *Frontend
	handler  http.Handler
	db       *postgres.DB
	accounts *accounts.Store
}

type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

const testSecret = "test-secret-at-least-32-characters-long!!"

func testConfig(t testing.TB, env map[string]string) config.Config {
	t.Helper()
	cfg, err := config.Load(func(k string) string {
		if k == "JWT_SECRET" {
			return testSecret
		}
		return env[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

type harnessSetup struct {
	deps  Deps
	pages func(f *Frontend, r *Router)
}

type harnessOption func(*harnessSetup)

// withPages adds pages of the test's own next to the real ones, behind the
// same middleware.
func withPages(add func(f *Frontend, r *Router)) harnessOption {
	return func(s *harnessSetup) { s.pages = add }
}

// withClock runs the pages on a clock the test moves, starting an hour
// ahead of the database's clock so rows the database stamps (a user's
// password_changed_at) are always earlier.
func withClock(c *testClock) harnessOption {
	return func(s *harnessSetup) { c.now = time.Now().Add(time.Hour); s.deps.Now = c.Now }
}

func withConfig(cfg config.Config) harnessOption {
	return func(s *harnessSetup) { s.deps.Config = cfg }
}

func withLive(l LiveSource) harnessOption { return func(s *harnessSetup) { s.deps.Live = l } }

func newHarness(t testing.TB, opts ...harnessOption) *harness {
	t.Helper()
	db := pgtest.New(t)
	store := accounts.NewStore(db)
	// The use cases the pages call, as app wires them.
	dir, deals := providers.NewStore(db), agreements.NewStore(db)
	setup := harnessSetup{deps: Deps{Config: testConfig(t, nil), DB: db, Accounts: store, Providers: dir, Agreements: deals,
		Brokerage: brokerage.New(db, brokerage.Config{Directory: dir, Agreements: deals})}}
	for _, o := range opts {
		o(&setup)
	}
	f, err := New(setup.deps)
	if err != nil {
		t.Fatal(err)
	}
	r := gin.New()
	r.Use(func(c *gin.Context) { c.Header("X-Request-Id", "test-request-id"); c.Next() })
	f.Mount(r)
	if setup.pages != nil {
		setup.pages(f, f.router(r))
	}
	r.NoRoute(f.NotFound)
	return &harness{t: t, f: f, handler: r, db: db, accounts: store}
}

// user creates a user of the role and returns it with its password.
func (h *harness) user(role accounts.Role, email string) (accounts.User, string) {
	h.t.Helper()
	n := accounts.NewUser{Email: email, DisplayName: "Test " + RoleName(role), Password: "a-long-test-password-" + string(role), Role: role}
	if role == accounts.Practitioner {
		n.Team = "mental_health"
	}
	u, err := h.accounts.CreateUser(context.Background(), n)
	if err != nil {
		h.t.Fatalf("create user %s: %v", email, err)
	}
	return u, n.Password
}

// browser is one browser: it keeps its cookies between requests.
type browser struct {
	h       *harness
	cookies map[string]*http.Cookie
	header  http.Header // sent with every request
}

func (h *harness) browser() *browser {
	return &browser{h: h, cookies: map[string]*http.Cookie{}, header: http.Header{"Accept": {"text/html"}}}
}

func (b *browser) do(req *http.Request) *httptest.ResponseRecorder {
	b.h.t.Helper()
	for k, vs := range b.header {
		req.Header[k] = vs
	}
	for _, c := range b.cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	rec := httptest.NewRecorder()
	b.h.handler.ServeHTTP(rec, req)
	// Every page any test fetches must keep the CSP and template rules.
	if isRedirect := rec.Code >= 300 && rec.Code < 400; !isRedirect && strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		for _, p := range auditHTML(rec.Body.String()) {
			b.h.t.Errorf("%s %s: %s", req.Method, req.URL, p)
		}
	}
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return rec
}

func (b *browser) get(path string) *httptest.ResponseRecorder {
	return b.do(httptest.NewRequest(http.MethodGet, path, nil))
}

func (b *browser) post(path string, form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// token returns the form token of a page's first form.
func token(t testing.TB, body string) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no csrf_token in the page:\n%s", body)
	}
	return m[1]
}

// signIn signs in through the sign-in form and returns the response to the POST.
func (b *browser) signIn(email, password string) *httptest.ResponseRecorder {
	b.h.t.Helper()
	page := b.get("/sign-in")
	return b.post("/sign-in", url.Values{"email": {email}, "password": {password}, CSRFField: {token(b.h.t, page.Body.String())}})
}

func wantStatus(t *testing.T, r *httptest.ResponseRecorder, status int) {
	t.Helper()
	if r.Code != status {
		t.Fatalf("status %d, want %d; Location %q; body:\n%s", r.Code, status, r.Header().Get("Location"), r.Body.String())
	}
}

func wantRedirect(t *testing.T, r *httptest.ResponseRecorder, location string) {
	t.Helper()
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != location {
		t.Fatalf("got %d to %q, want 303 to %q; body:\n%s", r.Code, r.Header().Get("Location"), location, r.Body.String())
	}
}

func wantBody(t *testing.T, r *httptest.ResponseRecorder, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(r.Body.String(), p) {
			t.Fatalf("the page does not contain %q:\n%s", p, r.Body.String())
		}
	}
}

var h1 = regexp.MustCompile(`<h1 class="govuk-heading-l">([^<]*)</h1>`)

func heading(t *testing.T, r *httptest.ResponseRecorder) string {
	t.Helper()
	m := h1.FindStringSubmatch(r.Body.String())
	if m == nil {
		t.Fatalf("no h1 in the page:\n%s", r.Body.String())
	}
	return html.UnescapeString(m[1])
}

func (h *harness) count(query string, args ...any) int {
	h.t.Helper()
	var n int
	if err := h.db.Gorm(context.Background()).Raw(query, args...).Scan(&n).Error; err != nil {
		h.t.Fatal(err)
	}
	return n
}
