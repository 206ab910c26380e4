package app

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/api"
	"github.com/carebroker/carebroker/internal/config"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/redisx/redistest"
)

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// TestSignInFormStormIsThrottled is issue 6's login storm through the web
// pages' sign-in form instead of the API: the form shares the API's guard,
// so a thousand wrong passwords from one address reach the password check
// a handful of times, the rest get 429 with Retry-After, and the real
// user signs in from another address.
func TestSignInFormStormIsThrottled(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"JWT_SECRET": "test-secret-at-least-32-characters-long!!"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	db := pgtest.New(t)
	store := accounts.NewStore(db)
	e, err := New(api.Deps{Config: cfg, DB: db, Redis: redistest.New(t), Accounts: store})
	if err != nil {
		t.Fatal(err)
	}
	const email, password = "real.user@council.example", "the-real-users-long-password"
	if _, err := store.CreateUser(context.Background(), accounts.NewUser{Email: email, DisplayName: "Real", Password: password, Role: accounts.Broker}); err != nil {
		t.Fatal(err)
	}
	form := func(from string) (cookies []*http.Cookie, token string) {
		req := httptest.NewRequest("GET", "/sign-in", nil)
		req.RemoteAddr = from + ":50000"
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		m := csrfField.FindStringSubmatch(rec.Body.String())
		if m == nil {
			t.Fatalf("no form token on the sign-in page: %d", rec.Code)
		}
		return rec.Result().Cookies(), m[1]
	}
	signIn := func(from string, cookies []*http.Cookie, token, pw string) *httptest.ResponseRecorder {
		body := url.Values{"email": {email}, "password": {pw}, "csrf_token": {token}}
		req := httptest.NewRequest("POST", "/sign-in", strings.NewReader(body.Encode()))
		req.RemoteAddr = from + ":50000"
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		return rec
	}
	const attacker = "203.0.113.77"
	cookies, token := form(attacker)
	statuses := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	work := make(chan int)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				rec := signIn(attacker, cookies, token, "guess-"+strconv.Itoa(i))
				if rec.Code == http.StatusTooManyRequests && rec.Header().Get("Retry-After") == "" {
					t.Error("429 without Retry-After")
				}
				mu.Lock()
				statuses[rec.Code]++
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < 1000; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
	burst := api.DefaultLimits.Login.PerAccountAddress.Burst
	if statuses[http.StatusBadRequest] > burst || statuses[http.StatusBadRequest]+statuses[http.StatusTooManyRequests] != 1000 {
		t.Fatalf("storm answers %v: want at most %d password checks (400) and the rest 429", statuses, burst)
	}
	t.Logf("1000 wrong passwords through the form from one address: %v", statuses)
	if rec := signIn(attacker, cookies, token, password); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("the locked-out address signed in: %d", rec.Code)
	}
	elsewhere, tok := form("198.51.100.21")
	if rec := signIn("198.51.100.21", elsewhere, tok, password); rec.Code != http.StatusSeeOther {
		t.Fatalf("the real user could not sign in from elsewhere: %d %s", rec.Code, rec.Body.String())
	}
}
