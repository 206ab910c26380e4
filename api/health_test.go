package api

import (
	"context"
	"net/http"
	"testing"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/redisx"
)

func TestReadyWhenMigratedAndRedisUp(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	wantStatus(t, h.do("GET", "/healthz", "", nil), http.StatusOK)
	r := h.do("GET", "/readyz", "", nil)
	wantStatus(t, r, http.StatusOK)
	if m := r.json(t); m["redis"] != "ok" || m["migrations"] != "ok" {
		t.Fatalf("readyz = %s", r.Body)
	}
}

func TestReadyWithoutRedisButNotWithoutMigrations(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	dead, _ := redisx.Open("redis://127.0.0.1:1/0", "x:") // nothing listens on port 1
	srv := New(Deps{Config: testConfig(t), DB: db, Redis: dead, Accounts: accounts.NewStore(db)})
	h := &harness{t: t, srv: srv}
	r := h.do("GET", "/readyz", "", nil)
	wantStatus(t, r, http.StatusOK)
	if m := r.json(t); m["redis"] == "ok" {
		t.Fatalf("a dead Redis was reported ok: %s", r.Body)
	}
	if err := db.Gorm(context.Background()).Exec(`DELETE FROM goose_db_version WHERE version_id = (SELECT max(version_id) FROM goose_db_version)`).Error; err != nil {
		t.Fatal(err)
	}
	r = h.do("GET", "/readyz", "", nil)
	wantStatus(t, r, http.StatusServiceUnavailable)
	if r.Header.Get("Retry-After") == "" {
		t.Fatal("503 without Retry-After")
	}
}
