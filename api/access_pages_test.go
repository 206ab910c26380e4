package api_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/frontend"
)

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// pageSession signs u in through the sign-in form, as a browser does, and
// returns the session's cookies and the token its forms carry. Each call
// makes a new session, so an entry that ends one (signing out, or signing
// in again) cannot disturb another.
func pageSession(t *testing.T, w *accessWorld, u accessUser) ([]*http.Cookie, string) {
	t.Helper()
	form, cookies, token := anonymousForm(t, w)
	_ = form
	body := url.Values{"email": {u.Email}, "password": {w.Password}, "csrf_token": {token}}
	req := httptest.NewRequest("POST", "/sign-in", strings.NewReader(body.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	w.Handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("page sign-in as %s: %d %s", u.Role, rec.Code, rec.Body.String())
	}
	session := rec.Result().Cookies()
	// The token comes from the sign-out page, which every role has and which
	// costs nothing to draw: the home pages (checked by their own entries)
	// list everything of A's the table has made, which grows with the table.
	page := httptest.NewRequest("GET", "/sign-out", nil)
	for _, c := range session {
		page.AddCookie(c)
	}
	rec = httptest.NewRecorder()
	w.Handler.ServeHTTP(rec, page)
	m := csrfInput.FindStringSubmatch(rec.Body.String())
	if rec.Code != http.StatusOK || m == nil {
		t.Fatalf("%s's sign-out page after sign-in: %d, token found %v", u.Role, rec.Code, m != nil)
	}
	return session, m[1]
}

// anonymousForm fetches the sign-in page: its pre-session cookie and the
// token its form carries.
func anonymousForm(t *testing.T, w *accessWorld) (string, []*http.Cookie, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	w.Handler.ServeHTTP(rec, httptest.NewRequest("GET", "/sign-in", nil))
	m := csrfInput.FindStringSubmatch(rec.Body.String())
	if rec.Code != http.StatusOK || m == nil {
		t.Fatalf("the sign-in page: %d, token found %v", rec.Code, m != nil)
	}
	return rec.Body.String(), rec.Result().Cookies(), m[1]
}

var _ = func() bool {
	pageClient = &accessClient{
		SignIn: func(t *testing.T, w *accessWorld, req *http.Request, u accessUser) {
			cookies, token := pageSession(t, w, u)
			for _, c := range cookies {
				req.AddCookie(c)
			}
			req.Header.Set("X-CSRF-Token", token)
		},
		// A page refuses someone not signed in by sending them to sign in;
		// a form sent by nobody signed in (no session, so no form token) is
		// refused before any handler as a forged form.
		RefusesAnonymous: func(r *httptest.ResponseRecorder) bool {
			return r.Code == http.StatusSeeOther && strings.HasPrefix(r.Header().Get("Location"), "/sign-in") ||
				r.Code == http.StatusForbidden && strings.Contains(r.Body.String(), "<title>Sorry, your form could not be sent – Carebroker</title>")
		},
	}
	return true
}()

// The web pages: sign-in and sign-out, each role's home, live updates and
// the assets. Fixtures give the anonymous form's cookie and token.
var _ = registerAccess(accessArea{
	Name: "pages",
	Fixture: func(t *testing.T, w *accessWorld) map[string]string {
		_, cookies, token := anonymousForm(t, w)
		var cookie []string
		for _, c := range cookies {
			cookie = append(cookie, c.Name+"="+c.Value)
		}
		broker := w.Users[string(accounts.Broker)]
		return map[string]string{"cookie": strings.Join(cookie, "; "), "token": token, "email": broker.Email,
			"password": w.Password, "asset": "app.css"}
	},
	Entries: append([]accessEntry{
		{Method: "GET", Path: "/", Public: true, Page: true, Want: http.StatusSeeOther},
		{Method: "GET", Path: "/sign-in", Public: true, Page: true, Wants: []int{200, 303}},
		{Method: "POST", Path: "/sign-in", Public: true, Page: true, Want: http.StatusSeeOther,
			Headers: anonymousFormHeaders,
			Body: func(ids map[string]string) any {
				return url.Values{"email": {ids["email"]}, "password": {ids["password"]}}
			}},
		{Method: "GET", Path: "/signed-out", Public: true, Page: true, Wants: []int{200, 303}},
		{Method: "POST", Path: "/sign-out", Public: true, Page: true, Want: http.StatusSeeOther, Headers: anonymousFormHeaders,
			Body: func(map[string]string) any { return url.Values{} }},
		{Method: "GET", Path: "/sign-out", Roles: everyRole, Page: true, Want: 200},
		// The session page and its "Stay signed in" form (the timeout warning).
		{Method: "GET", Path: "/session", Roles: everyRole, Page: true, Want: 200},
		{Method: "POST", Path: "/session/extend", Roles: everyRole, Page: true, Want: http.StatusSeeOther,
			Body: func(map[string]string) any { return url.Values{} }},
		// Streams end after the API's LiveStreamMax (the agreements area sets it short).
		{Method: "GET", Path: "/live", Roles: everyRole, Page: true, Want: http.StatusOK},
		{Method: "GET", Path: "/assets/*filepath", Public: true, Page: true, Params: map[string]string{"filepath": "asset"}, Want: 200},
	}, homePages()...),
})

// anonymousFormHeaders send the sign-in page's cookie and token, as the
// browser of someone not signed in would; a signed-in caller's session
// token replaces the token.
func anonymousFormHeaders(ids map[string]string) http.Header {
	return http.Header{"Cookie": {ids["cookie"]}, "X-Csrf-Token": {ids["token"]}}
}

// homePages: each role's home page is for that role only.
func homePages() []accessEntry {
	var es []accessEntry
	for _, r := range everyRole {
		es = append(es, accessEntry{Method: "GET", Path: frontend.HomePath(r), Roles: roles(r), Page: true, Want: 200})
	}
	return es
}
