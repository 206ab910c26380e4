package frontend

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"golang.org/x/net/html"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
)

// failingPages are test pages that return each kind of error, and a form
// that flashes a success message.
func failingPages(f *Frontend, r *Router) {
	for path, err := range map[string]error{
		"/test/conflict":    errs.Conflictf("the offer is withdrawn"),
		"/test/not-found":   errs.NotFoundf("no such request"),
		"/test/invalid":     errs.InvalidField("hours_per_week", "must be more than 0"),
		"/test/unavailable": errs.Unavailablef(errors.New("connection refused"), "the database is not answering"),
		"/test/internal":    errors.New("pq: relation \"secret_table\" does not exist"),
	} {
		r.Get(path, func(c *gin.Context) error { return err })
	}
	r.Get("/test/panic", func(c *gin.Context) error { panic("boom at 0xdeadbeef") })
	r.Post("/test/save", func(c *gin.Context) error {
		if err := f.Flash(c, "Offer sent to the person"); err != nil {
			return err
		}
		return redirect(c, "/broker/queue")
	}, accounts.Broker)
}

func TestHandlerErrorsBecomeGOVUKErrorPages(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withPages(failingPages))
	u, pw := h.user(accounts.Broker, "broker@example.org")
	b := h.browser()
	b.signIn(u.Email, pw)
	for _, tc := range []struct {
		path, heading string
		status        int
		shows         string
	}{
		{"/test/conflict", "This cannot be done now", 409, "The offer is withdrawn."},
		{"/test/not-found", "Page not found", 404, "If you typed the web address, check it is correct."},
		{"/test/invalid", "There is a problem with what was sent", 400, "Hours per week must be more than 0."},
		{"/test/unavailable", "Sorry, the service is unavailable", 503, "Try again in a few minutes."},
		{"/test/internal", "Sorry, there is a problem with the service", 500, "quote reference <strong>test-request-id</strong>"},
		{"/test/panic", "Sorry, there is a problem with the service", 500, "Try again later."},
		{"/finance/inbox", "You do not have access to this page", 403, `<a class="govuk-link" href="/broker/queue">Go to your home page</a>`},
		{"/no/such/page", "Page not found", 404, `<a class="govuk-service-navigation__link" href="/broker/queue"`},
	} {
		r := b.get(tc.path)
		wantStatus(t, r, tc.status)
		if got := heading(t, r); got != tc.heading {
			t.Errorf("%s: heading %q, want %q", tc.path, got, tc.heading)
		}
		wantBody(t, r, tc.shows)
		for _, secret := range []string{"secret_table", "pq:", "deadbeef", "connection refused", "goroutine"} {
			if strings.Contains(r.Body.String(), secret) {
				t.Errorf("%s shows %q", tc.path, secret)
			}
		}
		if tc.status == 503 && r.Header().Get("Retry-After") == "" {
			t.Errorf("%s: no Retry-After", tc.path)
		}
		if cc := r.Header().Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q", tc.path, cc)
		}
	}
	// Not signed in, a page sends people to sign in; the 404 page asks
	// nothing of them.
	anon := h.browser()
	wantRedirect(t, anon.get("/test/conflict"), "/sign-in?return_to=%2Ftest%2Fconflict")
	r := anon.get("/no/such/page")
	wantStatus(t, r, http.StatusNotFound)
	wantBody(t, r, `<a class="govuk-link" href="/sign-in">Sign in</a>`)
}

func TestASuccessMessageShowsOnceAfterTheForm(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withPages(failingPages))
	u, pw := h.user(accounts.Broker, "broker@example.org")
	b := h.browser()
	b.signIn(u.Email, pw)
	tok := token(t, b.get("/broker/queue").Body.String())
	wantRedirect(t, b.post("/test/save", url.Values{CSRFField: {tok}}), "/broker/queue")
	r := b.get("/broker/queue")
	wantBody(t, r, `govuk-notification-banner--success" role="alert"`, `<p class="govuk-notification-banner__heading">Offer sent to the person</p>`)
	if strings.Contains(b.get("/broker/queue").Body.String(), "Offer sent to the person") {
		t.Fatal("the success message showed twice")
	}
}

// TestPagesHaveNoInlineScriptOrStyle draws every page there is (and each
// error page) and checks what the Content Security Policy and the GOV.UK
// template require: scripts only from /assets, no inline script, no style
// element or attribute, no event handler attribute; lang en-GB; a title
// ending "– Carebroker"; and every POST form carrying its token.
func TestPagesHaveNoInlineScriptOrStyle(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withPages(failingPages))
	anon := h.browser()
	pages := map[string]*httptest.ResponseRecorder{
		"sign in":    anon.get("/sign-in"),
		"signed out": anon.get("/signed-out"),
		"not found":  anon.get("/nothing-here"),
		"ended":      anon.get("/sign-in?ended=1"),
	}
	pages["sign in with errors"] = anon.post("/sign-in", url.Values{CSRFField: {token(t, pages["sign in"].Body.String())}})
	for _, role := range []accounts.Role{accounts.Broker, accounts.BudgetApprover, accounts.Finance, accounts.Admin, accounts.Practitioner} {
		u, pw := h.user(role, string(role)+"@example.org")
		b := h.browser()
		b.signIn(u.Email, pw)
		pages[string(role)+" home"] = b.get(HomePath(role))
		if role == accounts.Broker {
			pages["sign out"] = b.get("/sign-out")
			pages["forbidden"] = b.get("/admin")
			for _, p := range []string{"/test/conflict", "/test/invalid", "/test/internal", "/test/panic", "/test/unavailable"} {
				pages[p] = b.get(p)
			}
			tok := token(t, pages["sign out"].Body.String())
			pages["refused form"] = b.post("/sign-out", url.Values{})
			b.post("/test/save", url.Values{CSRFField: {tok}})
			pages["success banner"] = b.get("/broker/queue")
		}
	}
	if len(pages) < 18 {
		t.Fatalf("only %d pages drawn", len(pages))
	}
	for name, r := range pages {
		if ct := r.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("%s: Content-Type %q (status %d)", name, ct, r.Code)
			continue
		}
		for _, problem := range auditHTML(r.Body.String()) {
			t.Errorf("%s: %s", name, problem)
		}
	}
}

// auditHTML lists what in a page breaks the rules above.
func auditHTML(page string) []string {
	var problems []string
	z := html.NewTokenizer(strings.NewReader(page))
	var inTitle, inPostForm, formHasToken bool
	title := ""
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case html.TextToken:
			if inTitle {
				title += tok.Data
			}
			if strings.Contains(tok.Data, "javascript:") {
				problems = append(problems, "javascript: in text")
			}
		case html.EndTagToken:
			switch tok.Data {
			case "title":
				inTitle = false
			case "form":
				if inPostForm && !formHasToken {
					problems = append(problems, "a POST form without its csrf_token")
				}
				inPostForm = false
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			attrs := map[string]string{}
			for _, a := range tok.Attr {
				attrs[a.Key] = a.Val
				if a.Key == "style" {
					problems = append(problems, "style attribute on <"+tok.Data+">")
				}
				if strings.HasPrefix(a.Key, "on") {
					problems = append(problems, a.Key+" attribute on <"+tok.Data+">")
				}
				if strings.HasPrefix(strings.TrimSpace(strings.ToLower(a.Val)), "javascript:") {
					problems = append(problems, "javascript: URL in "+a.Key)
				}
			}
			switch tok.Data {
			case "html":
				if attrs["lang"] != "en-GB" {
					problems = append(problems, `<html> lang is not "en-GB"`)
				}
			case "title":
				inTitle = true
			case "style":
				problems = append(problems, "a <style> element")
			case "script":
				if !strings.HasPrefix(attrs["src"], "/assets/") {
					problems = append(problems, "a script not from /assets: "+attrs["src"])
				}
				if z.Next() == html.TextToken && strings.TrimSpace(string(z.Text())) != "" {
					problems = append(problems, "inline script")
				}
			case "link":
				if attrs["rel"] == "stylesheet" && !strings.HasPrefix(attrs["href"], "/assets/") {
					problems = append(problems, "a stylesheet not from /assets")
				}
			case "form":
				inPostForm, formHasToken = strings.EqualFold(attrs["method"], "post"), false
			case "input":
				if attrs["name"] == CSRFField && len(attrs["value"]) >= 32 {
					formHasToken = true
				}
			}
		}
	}
	if !strings.HasSuffix(title, " – Carebroker") || len(title) <= len(" – Carebroker") {
		problems = append(problems, "title "+title+" is not \"Page – Carebroker\"")
	}
	return problems
}

func TestTheAuditCatchesWhatItLooksFor(t *testing.T) {
	t.Parallel()
	ok := `<html lang="en-GB"><title>Page – Carebroker</title><script src="/assets/v/app.mjs"></script>` +
		`<form method="post"><input type="hidden" name="csrf_token" value="0123456789abcdef0123456789abcdef"></form></html>`
	if p := auditHTML(ok); len(p) != 0 {
		t.Fatalf("a good page has problems: %v", p)
	}
	for _, bad := range []string{
		`<html lang="en"><title>Page – Carebroker</title></html>`,
		`<html lang="en-GB"><title>Page</title></html>`,
		`<html lang="en-GB"><title>Page – Carebroker</title><script>alert(1)</script></html>`,
		`<html lang="en-GB"><title>Page – Carebroker</title><script src="https://cdn.example/x.js"></script></html>`,
		`<html lang="en-GB"><title>Page – Carebroker</title><p style="color:red">x</p></html>`,
		`<html lang="en-GB"><title>Page – Carebroker</title><style>p{}</style></html>`,
		`<html lang="en-GB"><title>Page – Carebroker</title><button onclick="x()">x</button></html>`,
		`<html lang="en-GB"><title>Page – Carebroker</title><a href="javascript:x()">x</a></html>`,
		`<html lang="en-GB"><title>Page – Carebroker</title><form method="post"></form></html>`,
	} {
		if p := auditHTML(bad); len(p) == 0 {
			t.Errorf("no problem found in %s", bad)
		}
	}
}
