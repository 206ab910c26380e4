package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/config"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/ratelimit"
	"github.com/carebroker/carebroker/internal/redisx"
	"github.com/carebroker/carebroker/internal/redisx/redistest"
)

// newHarnessWith is newHarness with a chosen Redis (nil: the test Redis),
// limits (nil: the defaults) and configuration changes.
func newHarnessWith(t *testing.T, rdb *redisx.Client, limits *Limits, mod func(*config.Config)) *harness {
	t.Helper()
	db := pgtest.New(t)
	cfg := testConfig(t)
	if mod != nil {
		mod(&cfg)
	}
	if rdb == nil {
		rdb = redistest.New(t)
	}
	srv := New(Deps{Config: cfg, DB: db, Redis: rdb, Accounts: accounts.NewStore(db), Limits: limits})
	return &harness{t: t, srv: srv, cfg: cfg}
}

// newStillHarness is newHarnessWith whose limits are counted in-process by
// a clock that does not move: however long a busy machine takes to run the
// test, no event is refilled meanwhile, so the counts it checks are exact.
// (The Redis path is tested by the storm and per-user tests, whose bounds
// hold at any speed.)
func newStillHarness(t *testing.T, limits *Limits, mod func(*config.Config)) *harness {
	t.Helper()
	db := pgtest.New(t)
	cfg := testConfig(t)
	if mod != nil {
		mod(&cfg)
	}
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	srv := New(Deps{Config: cfg, DB: db, Redis: redistest.New(t), Accounts: accounts.NewStore(db), Limits: limits,
		Limiter: ratelimit.NewInProcess(func() time.Time { return at })})
	return &harness{t: t, srv: srv, cfg: cfg}
}

// deadRedis is a client for a port nothing listens on.
func deadRedis(t *testing.T) *redisx.Client {
	t.Helper()
	c, err := redisx.Open("redis://127.0.0.1:1/0", "dead:")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// doFrom sends a JSON request from the given client address (the
// connection's peer), with optional header pairs.
func (h *harness) doFrom(addr, method, path, token string, body any, headers ...string) response {
	js, _ := json.Marshal(body)
	req := httptest.NewRequest(method, path, bytes.NewReader(js))
	req.RemoteAddr = addr + ":40000"
	req.Header.Set("Content-Type", "application/json")
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

func login(email, password string) map[string]string {
	return map[string]string{"email": email, "password": password}
}

// TestLoginStormIsThrottledAndTheRealUserGetsIn is issue 6's done-when: a
// thousand wrong passwords for one account from one address, at once, get
// through to the password check only a handful of times; the real user,
// elsewhere, signs in. With Redis down, the in-process fallback does it.
func TestLoginStormIsThrottledAndTheRealUserGetsIn(t *testing.T) {
	t.Parallel()
	for name, rdb := range map[string]func(*testing.T) *redisx.Client{
		"redis up":   func(t *testing.T) *redisx.Client { return redistest.New(t) },
		"redis down": deadRedis,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarnessWith(t, rdb(t), nil, nil)
			h.user(accounts.NewUser{Email: "real.user@council.example", Role: accounts.Broker, Password: "the-real-users-long-password"})
			const attacker, storm = "203.0.113.66", 1000
			statuses := map[int]int{}
			var mu sync.Mutex
			var wg sync.WaitGroup
			work := make(chan int)
			for w := 0; w < 16; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range work {
						r := h.doFrom(attacker, "POST", "/api/v1/auth/login", "", login("real.user@council.example", "guess-number-"+strconv.Itoa(i)))
						if r.Status == http.StatusTooManyRequests {
							if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 {
								t.Errorf("429 with Retry-After %q", r.Header.Get("Retry-After"))
							}
						}
						mu.Lock()
						statuses[r.Status]++
						mu.Unlock()
					}
				}()
			}
			for i := 0; i < storm; i++ {
				work <- i
			}
			close(work)
			wg.Wait()
			pairBurst := DefaultLimits.Login.PerAccountAddress.Burst
			if statuses[401] > pairBurst || statuses[401]+statuses[429] != storm {
				t.Fatalf("storm answers %v: want at most %d password checks (401) and every other attempt 429", statuses, pairBurst)
			}
			t.Logf("%d wrong passwords from one address: %v", storm, statuses)
			wantProblem(t, h.doFrom(attacker, "POST", "/api/v1/auth/login", "", login("real.user@council.example", "the-real-users-long-password")), 429, "")
			wantStatus(t, h.doFrom("198.51.100.20", "POST", "/api/v1/auth/login", "", login("real.user@council.example", "the-real-users-long-password")), 200)
		})
	}
}

// TestCredentialStuffingFromOneAddressIsThrottled: many emails, one address.
// Its clock stands still: on a busy machine the per-address budget (one
// attempt back every 20 s) used to refill while it ran, and a 31st attempt
// reached the password check.
func TestCredentialStuffingFromOneAddressIsThrottled(t *testing.T) {
	t.Parallel()
	h := newStillHarness(t, nil, nil)
	checked := 0
	for i := 0; i < 200; i++ {
		r := h.doFrom("203.0.113.67", "POST", "/api/v1/auth/login", "", login("user"+strconv.Itoa(i)+"@example.org", "a-leaked-password-"+strconv.Itoa(i)))
		if r.Status == 401 {
			checked++
		} else if r.Status != 429 {
			t.Fatalf("attempt %d: %d %s", i, r.Status, r.Body)
		}
	}
	if checked != DefaultLimits.Login.PerAddress.Burst {
		t.Fatalf("%d of 200 attempts reached the password check, want the per-address burst %d", checked, DefaultLimits.Login.PerAddress.Burst)
	}
}

// TestLockoutLooksTheSameForUnknownEmails compares whole answers, attempt by
// attempt, for an account that exists and one that does not.
func TestLockoutLooksTheSameForUnknownEmails(t *testing.T) {
	t.Parallel()
	h := newStillHarness(t, nil, nil) // Retry-After is compared to the second
	h.user(accounts.NewUser{Email: "exists@council.example", Role: accounts.Finance, Password: "finance-long-password-1"})
	for i := 0; i < DefaultLimits.Login.PerAccountAddress.Burst+2; i++ {
		a := h.doFrom("203.0.113.10", "POST", "/api/v1/auth/login", "", login("exists@council.example", "wrong-password-"+strconv.Itoa(i)))
		b := h.doFrom("203.0.113.11", "POST", "/api/v1/auth/login", "", login("nobody@council.example", "wrong-password-"+strconv.Itoa(i)))
		if a.Status != b.Status || a.Header.Get("Retry-After") != b.Header.Get("Retry-After") || a.Header.Get("Content-Type") != b.Header.Get("Content-Type") {
			t.Fatalf("attempt %d: %d (Retry-After %q) for a real account, %d (Retry-After %q) for none", i+1, a.Status, a.Header.Get("Retry-After"), b.Status, b.Header.Get("Retry-After"))
		}
		pa, pb := withoutRequestID(t, a), withoutRequestID(t, b)
		if pa != pb {
			t.Fatalf("attempt %d: answers differ:\n%s\n%s", i+1, pa, pb)
		}
	}
}

func withoutRequestID(t *testing.T, r response) string {
	t.Helper()
	m := r.json(t)
	delete(m, "request_id")
	b, _ := json.Marshal(m)
	return string(b)
}

// TestForwardedForIsBelievedOnlyFromTrustedProxies: by default a caller
// cannot escape the per-address limit by inventing X-Forwarded-For; behind
// a configured proxy, the forwarded address is the one limited.
func TestForwardedForIsBelievedOnlyFromTrustedProxies(t *testing.T) {
	t.Parallel()
	burst := DefaultLimits.Login.PerAddress.Burst
	spoof := func(h *harness, proxy string) map[int]int {
		statuses := map[int]int{}
		for i := 0; i < burst+10; i++ {
			r := h.doFrom(proxy, "POST", "/api/v1/auth/login", "", login("x"+strconv.Itoa(i)+"@example.org", "wrong-password-here"),
				"X-Forwarded-For", "198.51.100."+strconv.Itoa(i+1))
			statuses[r.Status]++
		}
		return statuses
	}
	// Still clocks: the limit must not refill while a busy machine runs it.
	untrusted := newStillHarness(t, nil, nil)
	if got := spoof(untrusted, "192.0.2.50"); got[429] != 10 {
		t.Fatalf("with no trusted proxy, invented X-Forwarded-For escaped the limit: %v", got)
	}
	trusted := newStillHarness(t, nil, func(c *config.Config) { c.TrustedProxies = []string{"192.0.2.0/24"} })
	if got := spoof(trusted, "192.0.2.50"); got[429] != 0 {
		t.Fatalf("behind a trusted proxy, distinct clients were limited together: %v", got)
	}
}

func TestTrustedProxiesAreCheckedAtStartUp(t *testing.T) {
	t.Parallel()
	_, err := config.Load(func(k string) string {
		return map[string]string{"JWT_SECRET": testSecret, "TRUSTED_PROXIES": "10.0.0.0/8, not-an-address"}[k]
	})
	if err == nil {
		t.Fatal("a bad TRUSTED_PROXIES was accepted")
	}
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"JWT_SECRET": testSecret, "TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.7"}[k]
	})
	if err != nil || len(cfg.TrustedProxies) != 2 {
		t.Fatalf("good TRUSTED_PROXIES: %v %v", cfg.TrustedProxies, err)
	}
	if cfg, _ := config.Load(func(k string) string { return map[string]string{"JWT_SECRET": testSecret}[k] }); len(cfg.TrustedProxies) != 0 {
		t.Fatalf("trusted proxies by default: %v", cfg.TrustedProxies)
	}
}

// TestPerUserRequestLimit (OWASP API4): past the limit a user gets 429 with
// Retry-After as a problem document; other users are not affected. With
// Redis down the in-process fallback limits the same way.
func TestPerUserRequestLimit(t *testing.T) {
	t.Parallel()
	limits := DefaultLimits
	limits.PerUser = ratelimit.Limit{Rate: 5, Period: time.Minute, Burst: 5}
	for name, rdb := range map[string]func(*testing.T) *redisx.Client{
		"redis up":   func(t *testing.T) *redisx.Client { return redistest.New(t) },
		"redis down": deadRedis,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarnessWith(t, rdb(t), &limits, nil)
			_, busy := h.user(accounts.NewUser{Email: "busy@council.example", Role: accounts.Broker})
			_, calm := h.user(accounts.NewUser{Email: "calm@council.example", Role: accounts.Broker})
			for i := 0; i < 5; i++ {
				wantStatus(t, h.do("GET", "/api/v1/me", busy, nil), 200)
			}
			r := h.do("GET", "/api/v1/me", busy, nil)
			wantProblem(t, r, 429, "")
			if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 || s > 12 {
				t.Fatalf("Retry-After %q, want 1..12 seconds (one request per 12s)", r.Header.Get("Retry-After"))
			}
			wantStatus(t, h.do("GET", "/api/v1/me", calm, nil), 200)
		})
	}
}

func TestTokenRequestsAreLimitedPerAddress(t *testing.T) {
	t.Parallel()
	limits := DefaultLimits
	limits.TokenPerAddress = ratelimit.Limit{Rate: 3, Period: time.Minute, Burst: 3}
	h := newStillHarness(t, &limits, nil)
	for i := 0; i < 3; i++ {
		wantProblem(t, h.doFrom("203.0.113.30", "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": "guess" + strconv.Itoa(i)}), 401, "")
	}
	wantProblem(t, h.doFrom("203.0.113.30", "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": "guess"}), 429, "")
	wantProblem(t, h.doFrom("203.0.113.30", "POST", "/api/v1/auth/logout", "", map[string]string{"refresh_token": "guess"}), 429, "")
	wantProblem(t, h.doFrom("203.0.113.31", "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": "guess"}), 401, "")
}
