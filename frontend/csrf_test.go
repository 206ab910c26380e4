package frontend

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/carebroker/carebroker/accounts"
)

func TestAFormWithoutItsTokenIsRefusedAndDoesNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	u, pw := h.user(accounts.Broker, "broker@example.org")
	b := h.browser()
	b.signIn(u.Email, pw)
	good := token(t, b.get("/broker/queue").Body.String())

	other := h.browser()
	ou, opw := h.user(accounts.Admin, "admin@example.org")
	other.signIn(ou.Email, opw)
	othersToken := token(t, other.get("/admin").Body.String())

	for name, form := range map[string]url.Values{
		"no token":                      {},
		"an empty token":                {CSRFField: {""}},
		"a wrong token":                 {CSRFField: {"x" + good[1:]}},
		"another session's token":       {CSRFField: {othersToken}},
		"the sign-in form's token kind": {CSRFField: {h.f.signInToken("0123456789abcdef0123456789abcdef")}},
	} {
		r := b.post("/sign-out", form)
		wantStatus(t, r, http.StatusForbidden)
		if got := heading(t, r); got != "Sorry, your form could not be sent" {
			t.Fatalf("%s: page %q", name, got)
		}
		// Nothing happened: still signed in.
		wantStatus(t, b.get("/broker/queue"), http.StatusOK)
	}
	// A browser saying the form came from another site is refused even with the right token.
	b.header.Set("Sec-Fetch-Site", "cross-site")
	wantStatus(t, b.post("/sign-out", url.Values{CSRFField: {good}}), http.StatusForbidden)
	b.header.Del("Sec-Fetch-Site")
	// The header works as well as the field, for scripts that post.
	b.header.Set("X-CSRF-Token", good)
	wantRedirect(t, b.post("/sign-out", url.Values{}), "/signed-out")
	if n := h.count(`SELECT count(*) FROM web_sessions WHERE user_id = ? AND ended_at IS NOT NULL`, u.ID); n != 1 {
		t.Fatalf("%d sessions ended, want 1", n)
	}
}

func TestTheSignInFormNeedsItsTokenToo(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	u, pw := h.user(accounts.Finance, "finance@example.org")

	// No token, or no pre-session cookie to check it against (a page on
	// another site posting a login form): refused, and nobody is signed in.
	b := h.browser()
	page := b.get("/sign-in")
	wantStatus(t, b.post("/sign-in", url.Values{"email": {u.Email}, "password": {pw}}), http.StatusForbidden)
	stranger := h.browser()
	wantStatus(t, stranger.post("/sign-in", url.Values{"email": {u.Email}, "password": {pw}, CSRFField: {token(t, page.Body.String())}}), http.StatusForbidden)
	if n := h.count(`SELECT count(*) FROM web_sessions`); n != 0 {
		t.Fatalf("%d sessions started by refused forms", n)
	}
	wantRedirect(t, b.post("/sign-in", url.Values{"email": {u.Email}, "password": {pw}, CSRFField: {token(t, page.Body.String())}}), "/finance/inbox")
	if _, ok := b.cookies["carebroker_sign_in"]; ok {
		t.Fatal("the sign-in form's cookie outlived the sign-in")
	}
}

func TestAFormSentAfterTheSessionEndedAsksToSignInAgain(t *testing.T) {
	t.Parallel()
	clock := &testClock{}
	h := newHarness(t, withClock(clock))
	u, pw := h.user(accounts.Broker, "broker@example.org")
	b := h.browser()
	b.signIn(u.Email, pw)
	good := token(t, b.get("/broker/queue").Body.String())
	clock.Advance(DefaultIdleTimeout + time.Minute)
	wantRedirect(t, b.post("/sign-out", url.Values{CSRFField: {good}}), "/sign-in?ended=1")
}

// wrong returns the token with its first character changed.
func wrong(token string) string {
	if token[0] == 'A' {
		return "B" + token[1:]
	}
	return "A" + token[1:]
}
