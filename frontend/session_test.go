package frontend

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/carebroker/carebroker/accounts"
)

func TestEachRoleLandsOnItsHomePageAfterSignIn(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// Provider and client users must name an organisation or person, whose
	// tables other areas own; their homes are covered by the browser tests
	// with the demo data. The staff roles are all here.
	for _, role := range []accounts.Role{accounts.Broker, accounts.BudgetApprover, accounts.Finance, accounts.Admin, accounts.Practitioner} {
		u, pw := h.user(role, string(role)+"@example.org")
		b := h.browser()
		wantRedirect(t, b.signIn(u.Email, pw), HomePath(role))
		page := b.get(HomePath(role))
		wantStatus(t, page, http.StatusOK)
		if got := heading(t, page); got != homes[role].Title {
			t.Errorf("%s lands on %q, want %q", role, got, homes[role].Title)
		}
		// Real home pages (the queue, the approvals ...) replace the
		// placeholders, which also named the user; both have the title.
		wantBody(t, page, "<title>"+html.EscapeString(homes[role].Title)+" – Carebroker</title>", `aria-current="page"`)
		if role == accounts.Practitioner {
			wantBody(t, page, "Mental Health")
		}
		// The start page sends a signed-in person home too.
		wantRedirect(t, b.get("/"), HomePath(role))
	}
	if n := h.count(`SELECT count(*) FROM audit_events WHERE action = 'session.start'`); n != 5 {
		t.Fatalf("%d sign-ins audited, want 5", n)
	}
}

func TestEveryRoleHasAHomeAndAName(t *testing.T) {
	t.Parallel()
	paths := map[string]accounts.Role{}
	for _, role := range accounts.Roles {
		p := HomePath(role)
		if p == "/sign-in" || !strings.HasPrefix(p, "/") {
			t.Errorf("%s has no home page", role)
		}
		if other, ok := paths[p]; ok {
			t.Errorf("%s and %s share the home %s", role, other, p)
		}
		paths[p] = role
		if _, ok := roleNames[role]; !ok {
			t.Errorf("%s has no name in words", role)
		}
	}
}

func TestSignInMistakesShowTheErrorSummaryLinkedToTheFields(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	u, _ := h.user(accounts.Broker, "broker@example.org")
	b := h.browser()

	r := b.post("/sign-in", url.Values{CSRFField: {token(t, b.get("/sign-in").Body.String())}})
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, "<title>Error: Sign in – Carebroker</title>", `class="govuk-error-summary"`,
		`<a href="#email">Enter your email address</a>`, `<a href="#password">Enter your password</a>`,
		`aria-describedby="email-error"`, `<p id="email-error" class="govuk-error-message">`)

	r = b.post("/sign-in", url.Values{"email": {"  " + u.Email + " "}, "password": {"wrong-password-here"}, CSRFField: {token(t, r.Body.String())}})
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#email">Enter an email address and password that match your account</a>`, `value="`+u.Email+`"`)
	if strings.Contains(r.Body.String(), "wrong-password-here") {
		t.Fatal("the password was sent back to the browser")
	}
	// An unknown email gets exactly the same answer, so the page does not
	// tell whether an account exists.
	r2 := b.post("/sign-in", url.Values{"email": {"nobody@example.org"}, "password": {"wrong-password-here"}, CSRFField: {token(t, r.Body.String())}})
	wantBody(t, r2, `<a href="#email">Enter an email address and password that match your account</a>`)
	if len(b.cookies) != 1 {
		t.Fatalf("cookies after failed sign-ins: %v, want only the sign-in form's", b.cookies)
	}
	if n := h.count(`SELECT count(*) FROM web_sessions`); n != 0 {
		t.Fatalf("%d sessions after failed sign-ins", n)
	}
}

func TestSignOutEndsTheSession(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	u, pw := h.user(accounts.Finance, "finance@example.org")
	b := h.browser()
	b.signIn(u.Email, pw)
	home := b.get(HomePath(accounts.Finance))
	stolen := b.cookies["carebroker_session"].Value

	wantRedirect(t, b.post("/sign-out", url.Values{CSRFField: {token(t, home.Body.String())}}), "/signed-out")
	if _, ok := b.cookies["carebroker_session"]; ok {
		t.Fatal("the session cookie was not cleared")
	}
	wantBody(t, b.get("/signed-out"), "You have signed out")
	// The server forgot the session: a copy of the old cookie is worth nothing.
	other := h.browser()
	other.cookies["carebroker_session"] = &http.Cookie{Name: "carebroker_session", Value: stolen}
	wantRedirect(t, other.get("/finance/inbox"), "/sign-in?ended=1&return_to=%2Ffinance%2Finbox")
	if n := h.count(`SELECT count(*) FROM audit_events WHERE action = 'session.end' AND actor_user_id = ?`, u.ID); n != 1 {
		t.Fatalf("%d sign-outs audited, want 1", n)
	}
	// The confirmation page at GET /sign-out exists for people who type it.
	b.signIn(u.Email, pw)
	wantBody(t, b.get("/sign-out"), "You are signed in as "+u.DisplayName)
}

func TestSessionsEndWhenIdleAndAtTheirLimit(t *testing.T) {
	t.Parallel()
	clock := &testClock{}
	h := newHarness(t, withClock(clock))
	u, pw := h.user(accounts.Admin, "admin@example.org")
	b := h.browser()
	b.signIn(u.Email, pw)

	// Used just before the idle limit, a session carries on, and each use
	// starts the idle time again.
	for i := 0; i < 3; i++ {
		clock.Advance(DefaultIdleTimeout - time.Minute)
		wantStatus(t, b.get("/admin"), http.StatusOK)
	}
	// Left alone past the limit, it ends.
	clock.Advance(DefaultIdleTimeout + time.Second)
	r := b.get("/admin")
	wantRedirect(t, r, "/sign-in?ended=1&return_to=%2Fadmin")
	if c := r.Result().Cookies(); len(c) != 1 || c[0].MaxAge >= 0 {
		t.Fatalf("the dead session's cookie was not cleared: %v", c)
	}
	wantBody(t, b.get("/sign-in?ended=1&return_to=%2Fadmin"), "You have been signed out")

	// However busy, a session ends at its absolute limit.
	b.signIn(u.Email, pw)
	for used := time.Duration(0); used < DefaultMaxAge-time.Hour; used += 30 * time.Minute {
		clock.Advance(30 * time.Minute)
		wantStatus(t, b.get("/admin"), http.StatusOK)
	}
	clock.Advance(90 * time.Minute)
	wantRedirect(t, b.get("/admin"), "/sign-in?ended=1&return_to=%2Fadmin")
}

func TestChangingThePasswordOrDisablingTheAccountEndsSessions(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	u, pw := h.user(accounts.Broker, "broker@example.org")
	b := h.browser()
	b.signIn(u.Email, pw)
	wantStatus(t, b.get("/broker/queue"), http.StatusOK)
	if err := h.accounts.ChangePassword(context.Background(), u.ID, "another-long-password-2026"); err != nil {
		t.Fatal(err)
	}
	wantRedirect(t, b.get("/broker/queue"), "/sign-in?ended=1&return_to=%2Fbroker%2Fqueue")

	b.signIn(u.Email, "another-long-password-2026")
	wantStatus(t, b.get("/broker/queue"), http.StatusOK)
	if err := h.db.Gorm(context.Background()).Exec(`UPDATE users SET disabled_at = now() WHERE id = ?`, u.ID).Error; err != nil {
		t.Fatal(err)
	}
	wantRedirect(t, b.get("/broker/queue"), "/sign-in?ended=1&return_to=%2Fbroker%2Fqueue")
	if n := h.count(`SELECT count(*) FROM web_sessions WHERE user_id = ? AND ended_at IS NULL`, u.ID); n != 0 {
		t.Fatalf("%d sessions still open", n)
	}
}

func TestTheSessionCookieIsHttpOnlyLaxAndSecureOverTLS(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		publicURL, name string
		secure          bool
	}{
		{"http://127.0.0.1:8080", "carebroker_session", false},
		{"https://care.example.gov.uk", "__Host-carebroker_session", true},
	} {
		h := newHarness(t, withConfig(testConfig(t, map[string]string{"PUBLIC_URL": tc.publicURL})))
		u, pw := h.user(accounts.Broker, "broker@example.org")
		b := h.browser()
		r := b.signIn(u.Email, pw)
		var session *http.Cookie
		for _, c := range r.Result().Cookies() {
			if c.Name == tc.name {
				session = c
			}
		}
		if session == nil {
			t.Fatalf("%s: no %s cookie in %v", tc.publicURL, tc.name, r.Result().Cookies())
		}
		if !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Secure != tc.secure || session.Path != "/" || session.Domain != "" {
			t.Fatalf("%s: cookie %+v", tc.publicURL, session)
		}
		if session.MaxAge != 0 || !session.Expires.IsZero() {
			t.Fatalf("%s: the session cookie should go when the browser closes: %+v", tc.publicURL, session)
		}
	}
}

func TestSignInReturnsToThePageAskedForButNeverElsewhere(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	u, pw := h.user(accounts.Practitioner, "practitioner@example.org")
	b := h.browser()
	wantRedirect(t, b.get("/practitioner/requests?tab=reviews"), "/sign-in?return_to=%2Fpractitioner%2Frequests%3Ftab%3Dreviews")
	page := b.get("/sign-in?return_to=%2Fpractitioner%2Frequests%3Ftab%3Dreviews")
	wantBody(t, page, `name="return_to" value="/practitioner/requests?tab=reviews"`)
	r := b.post("/sign-in", url.Values{"email": {u.Email}, "password": {pw}, "return_to": {"/practitioner/requests?tab=reviews"}, CSRFField: {token(t, page.Body.String())}})
	wantRedirect(t, r, "/practitioner/requests?tab=reviews")

	for _, evil := range []string{"https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "/sign-out", "/api/v1/me"} {
		b := h.browser()
		page := b.get("/sign-in?return_to=" + url.QueryEscape(evil))
		r := b.post("/sign-in", url.Values{"email": {u.Email}, "password": {pw}, "return_to": {evil}, CSRFField: {token(t, page.Body.String())}})
		wantRedirect(t, r, "/practitioner/requests")
	}
}

func TestSafeReturn(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]string{
		"/broker/queue":          "/broker/queue",
		"/broker/queue?status=x": "/broker/queue?status=x",
		"":                       "",
		"broker/queue":           "",
		"//evil.example":         "",
		"/\\evil.example":        "",
		"https://evil.example/":  "",
		"/sign-in?x=1":           "",
		"/assets/app.css":        "",
		"/a\r\nSet-Cookie: x=1":  "",
	} {
		if got := safeReturn(raw); got != want {
			t.Errorf("safeReturn(%q) = %q, want %q", raw, got, want)
		}
	}
}
