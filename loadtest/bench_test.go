package loadtest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/api"
	"github.com/carebroker/carebroker/app"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/config"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/redisx/redistest"
	"github.com/carebroker/carebroker/providers"
)

// BenchmarkMatchEndpoint is one broker's POST /api/v1/requests/:id/match
// through HTTP, the real router, PostgreSQL and Redis, against the
// generated 25,000 services, one request after another (make bench). The
// service types' indexes are built before timing; /healthz on the same
// server is the yardstick.
func BenchmarkMatchEndpoint(b *testing.B) {
	ctx := context.Background()
	db := pgtest.New(b)
	w, err := Generate(ctx, db, testPlaces(b), DefaultSize)
	if err != nil {
		b.Fatal(err)
	}
	cfg := config.Config{JWTSecrets: []string{"benchmark-secret-benchmark-secret-benchmark"}, JWTIssuer: "carebroker",
		JWTAudience: "carebroker-api", AccessTTL: time.Hour, MaxBodyBytes: 1 << 20}
	dir, deals := providers.NewStore(db), agreements.NewStore(db)
	h, err := app.New(api.Deps{Config: cfg, DB: db, Redis: redistest.New(b), Accounts: accounts.NewStore(db), Providers: dir,
		Agreements: deals, Brokerage: brokerage.New(db, brokerage.Config{Directory: dir, Agreements: deals}), Limits: &api.Unlimited})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	token, _, err := accounts.NewTokens(cfg.JWTSecrets, cfg.JWTIssuer, cfg.JWTAudience, cfg.AccessTTL).Issue(w.Brokers[0].Actor)
	if err != nil {
		b.Fatal(err)
	}
	send := func(b *testing.B, method, path string, want int) {
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		req.Header = bearer(token)
		resp, err := srv.Client().Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			b.Fatalf("%s %s: %d, want %d", method, path, resp.StatusCode, want)
		}
	}
	built := map[string]bool{}
	for _, r := range w.OpenRequests {
		if !built[r.ServiceType] {
			built[r.ServiceType] = true
			send(b, "POST", "/api/v1/requests/"+r.ID.String()+"/match", 201)
		}
	}
	b.Run("match", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			send(b, "POST", "/api/v1/requests/"+w.OpenRequests[i%len(w.OpenRequests)].ID.String()+"/match", 201)
		}
	})
	b.Run("healthz", func(b *testing.B) {
		for b.Loop() {
			send(b, "GET", "/healthz", 200)
		}
	})
}
