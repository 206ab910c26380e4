package app

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/api"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/config"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/redisx/redistest"
	"github.com/carebroker/carebroker/providers"
)

// world is the whole service as cmd wires it (app.New with every use case)
// on a fresh database, its clock stopped at a moment the test chooses.
type world struct {
	t      *testing.T
	engine *gin.Engine
	deps   api.Deps
	tokens *accounts.Tokens
	now    time.Time
}

func newWorld(t *testing.T, now time.Time) *world {
	t.Helper()
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"JWT_SECRET": "test-secret-at-least-32-characters-long!!"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	db := pgtest.New(t)
	w := &world{t: t, now: now}
	clock := func() time.Time { return w.now }
	// Wired as cmd/carebroker's serve wires it: one clock for everything.
	dir := providers.NewStore(db, providers.WithClock(clock))
	deals := agreements.NewStore(db, agreements.WithClock(clock))
	unlimited := api.Unlimited
	w.deps = api.Deps{Config: cfg, DB: db, Redis: redistest.New(t), Accounts: accounts.NewStore(db), Providers: dir,
		Agreements: deals, Brokerage: brokerage.New(db, brokerage.Config{Now: clock, Directory: dir, Agreements: deals}),
		Limits: &unlimited, Now: clock}
	if w.engine, err = New(w.deps); err != nil {
		t.Fatal(err)
	}
	w.tokens = accounts.NewTokens(cfg.JWTSecrets, cfg.JWTIssuer, cfg.JWTAudience, cfg.AccessTTL)
	return w
}

func (w *world) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

const worldPassword = "a-long-world-password"

// user makes a user of the role. Its password was set long before the
// world's clock, so page sessions begun at that clock are valid.
func (w *world) user(role accounts.Role, team string, org *uuid.UUID) accounts.User {
	w.t.Helper()
	u, err := w.deps.Accounts.CreateUser(context.Background(), accounts.NewUser{Email: uuid.NewString()[:8] + "." + string(role) + "@world.test",
		DisplayName: "World " + string(role), Password: worldPassword, Role: role, Team: team, ProviderOrgID: org})
	w.must(err)
	w.must(w.deps.DB.Gorm(context.Background()).Exec(`UPDATE users SET password_changed_at = '2000-01-01' WHERE id = ?`, u.ID).Error)
	return u
}

// call sends a JSON API request as u.
func (w *world) call(method, path string, u accounts.User, body any) *httptest.ResponseRecorder {
	w.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		w.must(err)
		rd = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, path, rd)
	req.Header.Set("Content-Type", "application/json")
	tok, _, err := w.tokens.Issue(u.Actor())
	w.must(err)
	req.Header.Set("Authorization", "Bearer "+tok)
	rec := httptest.NewRecorder()
	w.engine.ServeHTTP(rec, req)
	return rec
}

// decode reads a JSON answer of the wanted status into v.
func (w *world) decode(r *httptest.ResponseRecorder, status int, v any) {
	w.t.Helper()
	if r.Code != status {
		w.t.Fatalf("status %d, want %d: %s", r.Code, status, r.Body)
	}
	w.must(json.Unmarshal(r.Body.Bytes(), v))
}

// browser is a person at the pages, signed in, keeping cookies.
type browser struct {
	w       *world
	cookies map[string]*http.Cookie
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func (w *world) browser(u accounts.User) *browser {
	w.t.Helper()
	b := &browser{w: w, cookies: map[string]*http.Cookie{}}
	page := b.get("/sign-in")
	m := csrfInput.FindStringSubmatch(page.Body.String())
	if m == nil {
		w.t.Fatalf("no form token on the sign-in page: %d", page.Code)
	}
	r := b.post("/sign-in", url.Values{"email": {u.Email}, "password": {worldPassword}, "csrf_token": {m[1]}})
	if r.Code != http.StatusSeeOther {
		w.t.Fatalf("sign in as %s: %d %s", u.Role, r.Code, r.Body)
	}
	return b
}

func (b *browser) do(req *http.Request) *httptest.ResponseRecorder {
	req.Header.Set("Accept", "text/html")
	for _, c := range b.cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	rec := httptest.NewRecorder()
	b.w.engine.ServeHTTP(rec, req)
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

// page gets a page that must answer 200 and returns its text, unescaped;
// t is the (sub)test that fails otherwise.
func (b *browser) page(t testing.TB, path string) string {
	t.Helper()
	r := b.get(path)
	if r.Code != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", path, r.Code, r.Body)
	}
	return html.UnescapeString(r.Body.String())
}

var tableRow = regexp.MustCompile(`(?s)<tr[ >].*?</tr>`)

// rowWith returns the text of the first table row on the page that
// mentions s, or "".
func rowWith(page, s string) string {
	for _, row := range tableRow.FindAllString(page, -1) {
		if strings.Contains(row, s) {
			return row
		}
	}
	return ""
}
