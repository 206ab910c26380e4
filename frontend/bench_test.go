package frontend

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/carebroker/carebroker/accounts"
)

// BenchmarkSignedInPage is a signed-in page request end to end: the
// session and account lookups in PostgreSQL, the role check, and drawing
// the page with the layout.
func BenchmarkSignedInPage(b *testing.B) {
	h := newHarness(b)
	u, pw := h.user(accounts.Broker, "broker@example.org")
	br := h.browser()
	br.signIn(u.Email, pw)
	cookie := br.cookies["carebroker_session"]
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "/broker/queue", nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		h.handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// BenchmarkSignInPage is drawing the sign-in page, which needs no database.
func BenchmarkSignInPage(b *testing.B) {
	h := newHarness(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/sign-in", nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
