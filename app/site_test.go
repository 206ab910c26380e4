package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/api"
	"github.com/carebroker/carebroker/internal/config"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/internal/redisx"
)

// site is the whole service (app.New) on a real HTTP server, a fresh
// database and the given Redis client.
type site struct {
	t        *testing.T
	url      string
	db       *postgres.DB
	accounts *accounts.Store
}

func newSite(t *testing.T, rdb *redisx.Client, limits *api.Limits) *site {
	t.Helper()
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"JWT_SECRET": "test-secret-at-least-32-characters-long!!"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	db := pgtest.New(t)
	store := accounts.NewStore(db)
	e, err := New(api.Deps{Config: cfg, DB: db, Redis: rdb, Accounts: store, Limits: limits})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &site{t: t, url: srv.URL, db: db, accounts: store}
}

// user creates a user of the role and returns it with its password.
func (s *site) user(role accounts.Role, email string) (accounts.User, string) {
	s.t.Helper()
	const password = "a-long-password-for-the-test"
	n := accounts.NewUser{Email: email, DisplayName: "Test user", Password: password, Role: role}
	if role == accounts.Practitioner {
		n.Team = "mental_health"
	}
	u, err := s.accounts.CreateUser(context.Background(), n)
	if err != nil {
		s.t.Fatal(err)
	}
	return u, password
}

// visitor is one browser: it keeps its cookies and does not follow redirects.
type visitor struct {
	s      *site
	client *http.Client
}

func (s *site) visitor() *visitor {
	jar, _ := cookiejar.New(nil)
	return &visitor{s: s, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type answer struct {
	Status int
	Header http.Header
	Body   string
}

func (v *visitor) send(req *http.Request) answer {
	v.s.t.Helper()
	resp, err := v.client.Do(req)
	if err != nil {
		v.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

func (v *visitor) get(path string) answer {
	req, _ := http.NewRequest(http.MethodGet, v.s.url+path, nil)
	req.Header.Set("Accept", browserAccept)
	return v.send(req)
}

func (v *visitor) post(path string, form url.Values) answer {
	req, _ := http.NewRequest(http.MethodPost, v.s.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", browserAccept)
	return v.send(req)
}

// api sends a JSON request to the API with the bearer token (if any).
func (v *visitor) api(method, path, token string, body any) answer {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, v.s.url+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return v.send(req)
}

// signIn signs in through the sign-in form and returns the answer to the POST.
func (v *visitor) signIn(email, password string) answer {
	v.s.t.Helper()
	page := v.get("/sign-in")
	m := csrfField.FindStringSubmatch(page.Body)
	if m == nil {
		v.s.t.Fatalf("no form token on the sign-in page: %d", page.Status)
	}
	return v.post("/sign-in", url.Values{"email": {email}, "password": {password}, "csrf_token": {m[1]}})
}

// tokens signs in through the API and returns the access and refresh tokens.
func (v *visitor) tokens(email, password string) (access, refresh string) {
	v.s.t.Helper()
	r := v.api("POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": password})
	var body struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	if r.Status != http.StatusOK || json.Unmarshal([]byte(r.Body), &body) != nil {
		v.s.t.Fatalf("API sign-in: %d %s", r.Status, r.Body)
	}
	return body.AccessToken, body.RefreshToken
}
