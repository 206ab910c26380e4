package frontend

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/carebroker/carebroker/accounts"
)

// status asks GET /session for JSON, as the timeout dialog does: marked as
// background, so asking is not activity.
func (b *browser) status(t *testing.T) (sessionStatus, *httptest.ResponseRecorder) {
	t.Helper()
	saved := b.header
	b.header = http.Header{"Accept": {"application/json"}, backgroundHeader: {"1"}}
	defer func() { b.header = saved }()
	r := b.get("/session")
	var s sessionStatus
	if r.Code == http.StatusOK {
		if err := json.Unmarshal(r.Body.Bytes(), &s); err != nil {
			t.Fatalf("status %s: %v", r.Body, err)
		}
	}
	return s, r
}

// stay sends the dialog's "Stay signed in" form as the script does.
func (b *browser) stay(t *testing.T, csrf string) sessionStatus {
	t.Helper()
	saved := b.header
	b.header = http.Header{"Accept": {"application/json"}}
	defer func() { b.header = saved }()
	r := b.post("/session/extend", url.Values{CSRFField: {csrf}, "return_to": {"/admin"}})
	wantStatus(t, r, http.StatusOK)
	var s sessionStatus
	if err := json.Unmarshal(r.Body.Bytes(), &s); err != nil {
		t.Fatalf("stay signed in %s: %v", r.Body, err)
	}
	return s
}

// TestEveryPageWarnsBeforeTheSessionTimesOut: a signed-in page carries the
// timeout dialog (for the script) and a notice saying when the session
// ends (for browsers without JavaScript). "Stay signed in" starts the
// inactivity clock again; asking when the session ends, or the page's own
// background refreshes, do not; and the server still ends an idle session
// at 60 minutes, whatever any page shows.
func TestEveryPageWarnsBeforeTheSessionTimesOut(t *testing.T) {
	t.Parallel()
	clock := &testClock{}
	h := newHarness(t, withClock(clock))
	u, pw := h.user(accounts.Admin, "admin@example.org")
	signedIn := clock.Now()
	stays, idle := h.browser(), h.browser()
	stays.signIn(u.Email, pw)
	idle.signIn(u.Email, pw)

	page := stays.get("/admin")
	wantStatus(t, page, http.StatusOK)
	ends := UKTime(signedIn.Add(DefaultIdleTimeout))
	wantBody(t, page,
		`<dialog class="app-timeout-dialog" data-timeout-warning data-ends-in="3600" data-warn-before="300"`,
		"You’re about to be signed out", "we will sign you out in <strong data-timeout-countdown>5 minutes</strong>",
		`formaction="/sign-out"`, `action="/session/extend"`,
		"<noscript>", "We will sign you out if you do nothing for 60 minutes: at "+ends+" if you stay on this page.",
		`href="/session?return_to=%2fadmin"`)
	csrf := token(t, page.Body.String())

	// Half an hour on, asking (and a background refresh of the page) leave
	// the session's end where it was.
	clock.Advance(30 * time.Minute)
	idle.header.Set(backgroundHeader, "1")
	wantStatus(t, idle.get("/admin"), http.StatusOK)
	idle.header.Del(backgroundHeader)
	if s, _ := idle.status(t); s.EndsInSeconds != 30*60 || !s.Extendable {
		t.Fatalf("after 30 minutes: %+v, want 1800 seconds left", s)
	}
	// At 59 minutes the dialog would be open; "Stay signed in" gives 60 again.
	clock.Advance(29 * time.Minute)
	if s, _ := stays.status(t); s.EndsInSeconds != 60 {
		t.Fatalf("after 59 minutes: %+v, want 60 seconds left", s)
	}
	if s := stays.stay(t, csrf); s.EndsInSeconds != 3600 || !s.EndsAt.Equal(clock.Now().Add(DefaultIdleTimeout).UTC()) {
		t.Fatalf("stay signed in: %+v, want 3600 seconds from now", s)
	}

	// At 61 minutes the server has ended the idle session, and the one
	// kept alive carries on.
	clock.Advance(2 * time.Minute)
	if _, r := idle.status(t); r.Code != http.StatusSeeOther || !strings.HasPrefix(r.Header().Get("Location"), "/sign-in?ended=1") {
		t.Fatalf("the idle session's status: %d %q, want the way to sign in", r.Code, r.Header().Get("Location"))
	}
	// (Finding it ended cleared the cookie: the browser is simply signed out.)
	wantRedirect(t, idle.get("/admin"), "/sign-in?return_to=%2Fadmin")
	if s, _ := stays.status(t); s.EndsInSeconds != 58*60 {
		t.Fatalf("the kept session: %+v, want 58 minutes left", s)
	}
	wantStatus(t, stays.get("/admin"), http.StatusOK)
}

// TestTheSessionPageWorksWithoutJavaScript: the notice's link leads to a
// page that says when the session ends, and its form keeps the session
// going and goes back to the page the person was on.
func TestTheSessionPageWorksWithoutJavaScript(t *testing.T) {
	t.Parallel()
	clock := &testClock{}
	h := newHarness(t, withClock(clock))
	u, pw := h.user(accounts.Admin, "admin@example.org")
	b := h.browser()
	b.signIn(u.Email, pw)

	clock.Advance(50 * time.Minute)
	page := b.get("/session?return_to=%2Fadmin")
	wantStatus(t, page, http.StatusOK)
	// Opening a page is activity: the session now ends 60 minutes on.
	wantBody(t, page, "<h1 class=\"govuk-heading-l\">Your session</h1>",
		"If you do nothing, we will sign you out at <strong>"+UKTime(clock.Now().Add(DefaultIdleTimeout))+"</strong>",
		`<input type="hidden" name="return_to" value="/admin">`, ">Stay signed in</button>", `<a class="govuk-link" href="/admin">Go back to the page you were on</a>`)

	clock.Advance(59 * time.Minute)
	r := b.post("/session/extend", url.Values{CSRFField: {token(t, page.Body.String())}, "return_to": {"/admin"}})
	wantRedirect(t, r, "/admin")
	wantBody(t, b.get("/admin"), "You are still signed in")
	clock.Advance(59 * time.Minute)
	wantStatus(t, b.get("/admin"), http.StatusOK)

	// Without its form token the form is refused, like every other.
	wantStatus(t, b.post("/session/extend", url.Values{"return_to": {"/admin"}}), http.StatusForbidden)
}

// TestNearItsAbsoluteLimitTheWarningCannotExtendTheSession: past 11 hours
// of use, the session's end is its 12-hour limit, which "Stay signed in"
// cannot move: the dialog says so and offers only to sign out.
func TestNearItsAbsoluteLimitTheWarningCannotExtendTheSession(t *testing.T) {
	t.Parallel()
	clock := &testClock{}
	h := newHarness(t, withClock(clock))
	u, pw := h.user(accounts.Admin, "admin@example.org")
	b := h.browser()
	signedIn := clock.Now()
	b.signIn(u.Email, pw)
	for used := time.Duration(0); used < DefaultMaxAge-30*time.Minute; used += 30 * time.Minute {
		clock.Advance(30 * time.Minute)
		wantStatus(t, b.get("/admin"), http.StatusOK)
	}
	page := b.get("/admin")
	limit := signedIn.Add(DefaultMaxAge)
	wantBody(t, page, fmt.Sprintf(`data-ends-in="%d"`, int(limit.Sub(clock.Now()).Seconds())),
		`data-timeout-stay hidden>Stay signed in`, "You have been signed in for 12 hours, the longest a session lasts.",
		html.EscapeString("Your session reaches its 12-hour limit at "+UKTime(limit)))
	if s := b.stay(t, token(t, page.Body.String())); s.Extendable || s.EndsAt.Sub(limit).Abs() > time.Millisecond {
		t.Fatalf("staying signed in moved the absolute limit: %+v", s)
	}
}

func TestSessionEnd(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		lastSeen, expires time.Time
		want              time.Time
		extendable        bool
	}{
		{t0, t0.Add(12 * time.Hour), t0.Add(time.Hour), true},
		{t0, t0.Add(time.Hour), t0.Add(time.Hour), true},
		{t0, t0.Add(30 * time.Minute), t0.Add(30 * time.Minute), false},
	} {
		got, ext := sessionEnd(tc.lastSeen, tc.expires, time.Hour)
		if !got.Equal(tc.want) || ext != tc.extendable {
			t.Errorf("sessionEnd(%v, %v) = %v %v, want %v %v", tc.lastSeen, tc.expires, got, ext, tc.want, tc.extendable)
		}
	}
}
