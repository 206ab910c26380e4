package faults

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/api"
	"github.com/carebroker/carebroker/app"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/internal/redisx/redistest"
	"github.com/carebroker/carebroker/providers"
)

// browser keeps a page visitor's cookies between requests to an engine.
type browser struct {
	e       *gin.Engine
	cookies map[string]string
}

func (b *browser) do(method, path string, form url.Values) *httptest.ResponseRecorder {
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	req.Header.Set("Accept", "text/html")
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	rec := httptest.NewRecorder()
	b.e.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	return rec
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// signIn signs in through the form and returns the home page it leads to.
func (b *browser) signIn(t testing.TB, email string) string {
	t.Helper()
	page := b.do("GET", "/sign-in", nil)
	m := csrfInput.FindStringSubmatch(page.Body.String())
	if m == nil {
		t.Fatalf("no form token on the sign-in page: %d", page.Code)
	}
	r := b.do("POST", "/sign-in", url.Values{"email": {email}, "password": {testPassword}, "csrf_token": {m[1]}})
	if r.Code != http.StatusSeeOther {
		t.Fatalf("sign-in answered %d", r.Code)
	}
	return r.Header().Get("Location")
}

func serveJSON(e *gin.Engine, method, path, token, idemKey string, body any) *httptest.ResponseRecorder {
	var b []byte
	if body != nil {
		b, _ = json.Marshal(body)
	}
	req := httptest.NewRequest(method, path, strings.NewReader(string(b)))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if idemKey != "" {
		req.Header.Set("Idempotency-Key", idemKey)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// PostgreSQL stopped (as in a crash) and started again under a running
// service: while it is down every path that needs it answers 503 with
// Retry-After, not 500, and writes nothing; once it is back the same
// service, not restarted, works again.
func TestPostgresRestartAnswers503ThenRecovers(t *testing.T) {
	pg := startPostgres(t)
	dsn := pg.URL("carebroker")
	if err := postgres.EnsureDatabase(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if err := postgres.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	w := newWorld(t, db)
	p := w.provider(100)
	const hammered = 40
	ids := w.chosen(4+hammered, p)
	brokerUser := w.user(accounts.Broker, "", nil)
	token := tokenFor(t, brokerUser.Actor())
	cfg := childConfig(dsn, testRedisURL(), "127.0.0.1:0")
	rdb := redistest.New(t)
	e, err := app.New(api.Deps{Config: cfg, DB: db, Redis: rdb, Accounts: w.users, Providers: providers.NewStore(db),
		Agreements: agreements.NewStore(db), Brokerage: w.svc})
	if err != nil {
		t.Fatal(err)
	}
	agree := func(i int, key string) *httptest.ResponseRecorder {
		return serveJSON(e, "POST", "/api/v1/requests/"+ids[i].String()+"/agreement", token, key,
			map[string]string{"start_date": startDay().String()})
	}
	if r := agree(0, "agree-0"); r.Code != http.StatusCreated {
		t.Fatalf("before the outage: %d %s", r.Code, r.Body)
	}
	page := &browser{e: e, cookies: map[string]string{}}
	home := page.signIn(t, brokerUser.Email)
	homePage := page.do("GET", home, nil)
	if homePage.Code != http.StatusOK {
		t.Fatalf("the broker's page before the outage: %d", homePage.Code)
	}
	sessionToken := csrfInput.FindStringSubmatch(homePage.Body.String())
	if sessionToken == nil {
		t.Fatal("no form token on the broker's page")
	}
	before := w.count(`SELECT count(*) FROM agreements`)

	// Meanwhile agreements keep coming: the outage cuts some mid-transaction.
	var (
		mu       sync.Mutex
		statuses = map[int]int{}
		stopLoad = make(chan struct{})
		loadDone sync.WaitGroup
	)
	for g := 0; g < 4; g++ {
		loadDone.Add(1)
		go func(g int) {
			defer loadDone.Done()
			for n := 0; ; n++ {
				select {
				case <-stopLoad:
					return
				default:
				}
				r := agree(4+(g*hammered/4)+n%(hammered/4), "")
				mu.Lock()
				statuses[r.Code]++
				mu.Unlock()
				time.Sleep(2 * time.Millisecond)
			}
		}(g)
	}
	time.Sleep(150 * time.Millisecond)
	pg.Stop()
	down := time.Now()
	checks := []struct {
		name string
		do   func() *httptest.ResponseRecorder
	}{
		{"agree a start date (idempotency key, rate limit, brokerage)", func() *httptest.ResponseRecorder { return agree(1, "agree-1") }},
		{"agree without a key", func() *httptest.ResponseRecorder { return agree(2, "") }},
		{"the broker's queue", func() *httptest.ResponseRecorder { return serveJSON(e, "GET", "/api/v1/requests", token, "", nil) }},
		{"sign in to the API", func() *httptest.ResponseRecorder {
			return serveJSON(e, "POST", "/api/v1/auth/login", "", "", map[string]string{"email": brokerUser.Email, "password": testPassword})
		}},
		{"refresh a token", func() *httptest.ResponseRecorder {
			return serveJSON(e, "POST", "/api/v1/auth/refresh", "", "", map[string]string{"refresh_token": "no-such-token-but-the-database-is-asked"})
		}},
		{"readiness", func() *httptest.ResponseRecorder { return serveJSON(e, "GET", "/readyz", "", "", nil) }},
		{"a page with a session", func() *httptest.ResponseRecorder { return page.do("GET", home, nil) }},
		{"a page form with a session (sign out)", func() *httptest.ResponseRecorder {
			return page.do("POST", "/sign-out", url.Values{"csrf_token": {sessionToken[1]}})
		}},
		{"the sign-in form", func() *httptest.ResponseRecorder {
			anon := &browser{e: e, cookies: map[string]string{}}
			form := anon.do("GET", "/sign-in", nil) // needs no database
			m := csrfInput.FindStringSubmatch(form.Body.String())
			if m == nil {
				t.Fatalf("no form token on the sign-in page: %d", form.Code)
			}
			return anon.do("POST", "/sign-in", url.Values{"email": {brokerUser.Email}, "password": {testPassword}, "csrf_token": {m[1]}})
		}},
	}
	for _, c := range checks {
		r := c.do()
		if r.Code != http.StatusServiceUnavailable || r.Header().Get("Retry-After") == "" {
			t.Errorf("%s with PostgreSQL down: %d (Retry-After %q), want 503 with Retry-After; body %.300s",
				c.name, r.Code, r.Header().Get("Retry-After"), r.Body)
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	pg.Start()
	downFor := time.Since(down)
	// The pool reconnects on its own; the first requests may still meet a dead connection.
	var r *httptest.ResponseRecorder
	deadline := time.Now().Add(30 * time.Second)
	for {
		r = agree(1, "agree-1") // the same key: a 503 was not kept, so it runs again
		if r.Code != http.StatusServiceUnavailable || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if r.Code != http.StatusCreated {
		t.Fatalf("after the restart the agreement answered %d: %s", r.Code, r.Body)
	}
	if r := agree(2, ""); r.Code != http.StatusCreated {
		t.Fatalf("after the restart: %d %s", r.Code, r.Body)
	}
	time.Sleep(300 * time.Millisecond) // the load meets the restarted server too
	close(stopLoad)
	loadDone.Wait()
	for code, n := range statuses {
		if code != http.StatusCreated && code != http.StatusConflict && code != http.StatusServiceUnavailable {
			t.Errorf("%d agreements under load answered %d", n, code)
		}
	}
	if statuses[http.StatusServiceUnavailable] == 0 || statuses[http.StatusCreated] == 0 {
		t.Errorf("the load saw %v; it should have met the outage (503) and agreed some (201)", statuses)
	}
	if r := page.do("GET", home, nil); r.Code != http.StatusOK {
		t.Fatalf("the broker's page after the restart: %d", r.Code)
	}
	if r := serveJSON(e, "GET", "/readyz", "", "", nil); r.Code != http.StatusOK {
		t.Fatalf("readiness after the restart: %d %s", r.Code, r.Body)
	}
	var loaded int
	w.must(db.Gorm(context.Background()).Raw(`SELECT count(*) FROM agreements WHERE request_id IN ?`, ids[4:]).Scan(&loaded).Error)
	if n := w.count(`SELECT count(*) FROM agreements`); n != before+2+loaded {
		t.Fatalf("%d agreements, want %d: those before, the two refused while down and made once each after, and %d of the load",
			n, before+2+loaded, loaded)
	}
	checkInvariants(t, db)
	t.Logf("PostgreSQL down %s: %d paths answered 503 with Retry-After; agreements under load answered %v (status: count); recovered without a restart",
		downFor.Round(time.Millisecond), len(checks), statuses)
}
