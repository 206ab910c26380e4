package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/config"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/redisx/redistest"
	"github.com/carebroker/carebroker/providers"
)

func TestMain(m *testing.M) {
	accounts.UseFastHashing()
	os.Exit(m.Run())
}

// harness is a real router on a fresh database and a real Redis.
type harness struct {
	t   *testing.T
	srv *Server
	cfg config.Config
}

const testSecret = "test-secret-at-least-32-characters-long!!"

func testConfig(t *testing.T) config.Config {
	t.Helper()
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"JWT_SECRET": testSecret, "MAX_BODY_BYTES": "65536"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	db := pgtest.New(t)
	cfg := testConfig(t)
	dir, deals := providers.NewStore(db), agreements.NewStore(db)
	srv := New(Deps{Config: cfg, DB: db, Redis: redistest.New(t), Accounts: accounts.NewStore(db), Providers: dir,
		Agreements: deals, Brokerage: brokerage.New(db, brokerage.Config{Directory: dir, Agreements: deals})})
	return &harness{t: t, srv: srv, cfg: cfg}
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("response is not JSON: %v: %s", err, r.Body)
	}
	return m
}

// do sends a request; body may be nil, a string (sent as is) or a value (sent as JSON).
func (h *harness) do(method, path, token string, body any, headers ...string) response {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(js)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.srv.Handler().ServeHTTP(rec, req)
	return response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// user creates a user of the given role and returns it with an access token.
func (h *harness) user(n accounts.NewUser) (accounts.User, string) {
	h.t.Helper()
	if n.Password == "" {
		n.Password = "a-long-test-password-" + string(n.Role)
	}
	if n.DisplayName == "" {
		n.DisplayName = "Test " + string(n.Role)
	}
	if n.Role == accounts.Practitioner && n.Team == "" {
		n.Team = "community_led_support"
	}
	u, err := h.srv.Accounts.CreateUser(context.Background(), n)
	if err != nil {
		h.t.Fatalf("create user %s: %v", n.Email, err)
	}
	tok, _, err := h.srv.Tokens().Issue(u.Actor())
	if err != nil {
		h.t.Fatal(err)
	}
	return u, tok
}

func wantStatus(t *testing.T, r response, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
}

// wantProblem checks r is a problem document with the status and field.
func wantProblem(t *testing.T, r response, status int, field string) {
	t.Helper()
	wantStatus(t, r, status)
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json", ct)
	}
	var p Problem
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatalf("not a problem document: %s", r.Body)
	}
	if p.Status != status || p.Detail == "" || p.Title == "" {
		t.Fatalf("incomplete problem: %+v", p)
	}
	if field != "" && p.Field != field {
		t.Fatalf("problem names field %q, want %q: %s", p.Field, field, r.Body)
	}
}

var _ = time.Second
