package api

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/config"
)

// TestEveryResponseCarriesTheSecurityHeaders, whatever the outcome: a page
// of JSON, a problem, an unknown route, a panic.
func TestEveryResponseCarriesTheSecurityHeaders(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.srv.Engine().GET("/test-panic", func(*gin.Context) { panic("boom") })
	_, tok := h.user(accounts.NewUser{Email: "a@test.example", Role: accounts.Admin})
	responses := map[string]response{
		"200":         h.do("GET", "/api/v1/me", tok, nil),
		"401":         h.do("GET", "/api/v1/me", "", nil),
		"400":         h.do("POST", "/api/v1/auth/login", "", "{"),
		"404":         h.do("GET", "/api/v1/nothing", "", nil),
		"500 (panic)": h.do("GET", "/test-panic", "", nil),
		"openapi":     h.do("GET", "/api/v1/openapi.json", "", nil),
	}
	for name, r := range responses {
		hd := r.Header
		csp := hd.Get("Content-Security-Policy")
		if hd.Get("X-Content-Type-Options") != "nosniff" || hd.Get("X-Frame-Options") != "DENY" || hd.Get("Referrer-Policy") == "" {
			t.Errorf("%s: missing nosniff, frame or referrer header: %v", name, hd)
		}
		for _, want := range []string{"default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", name, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "*") {
			t.Errorf("%s: CSP allows inline or eval'd script or style, or any host: %q", name, csp)
		}
		if hd.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS sent though PUBLIC_URL is http", name)
		}
		if hd.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s: Access-Control-Allow-Origin sent", name)
		}
	}
	if r := responses["500 (panic)"]; r.Status != 500 || bytes.Contains(r.Body, []byte("boom")) || bytes.Contains(r.Body, []byte(".go:")) {
		t.Fatalf("a panic's answer: %d %s", r.Status, r.Body)
	}
}

func TestHSTSOnlyBehindTLS(t *testing.T) {
	t.Parallel()
	h := newHarnessWith(t, nil, nil, func(c *config.Config) { c.PublicURL = "https://care.council.example" })
	hsts := h.do("GET", "/healthz", "", nil).Header.Get("Strict-Transport-Security")
	if !strings.Contains(hsts, "max-age=31536000") {
		t.Fatalf("HSTS with an https PUBLIC_URL: %q", hsts)
	}
}

// TestCORSIsClosed: no response allows another origin, and a preflight is
// refused, for every kind of route.
func TestCORSIsClosed(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	_, tok := h.user(accounts.NewUser{Email: "a@test.example", Role: accounts.Broker})
	for _, path := range []string{"/api/v1/me", "/api/v1/auth/login", "/api/v1/admin/audit", "/healthz", "/api/v1/nowhere"} {
		r := h.do("OPTIONS", path, "", nil, "Origin", "https://evil.example", "Access-Control-Request-Method", "POST",
			"Access-Control-Request-Headers", "authorization")
		wantProblem(t, r, http.StatusForbidden, "")
		for k := range r.Header {
			if strings.HasPrefix(k, "Access-Control-") {
				t.Errorf("preflight of %s answered with %s", path, k)
			}
		}
		r = h.do("GET", path, tok, nil, "Origin", "https://evil.example")
		if r.Header.Get("Access-Control-Allow-Origin") != "" || r.Header.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("GET %s from another origin was allowed: %v", path, r.Header)
		}
	}
}

// TestBodyLimits: a body over MAX_BODY_BYTES is refused with 400 naming
// body, with or without a Content-Length; one just under is read.
func TestBodyLimits(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	limit := int(h.cfg.MaxBodyBytes)
	pad := func(n int) string {
		s := `{"email":"a@b.example","password":"`
		return s + strings.Repeat("x", n-len(s)-2) + `"}`
	}
	wantProblem(t, h.do("POST", "/api/v1/auth/login", "", pad(limit+1)), 400, "body")
	wantProblem(t, h.do("POST", "/api/v1/auth/login", "", pad(limit)), 401, "")

	req := httptest.NewRequest("POST", "/api/v1/auth/login", io.MultiReader(strings.NewReader(pad(limit*4))))
	req.ContentLength = -1 // chunked: the size is not declared
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.srv.Handler().ServeHTTP(rec, req)
	wantProblem(t, response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}, 400, "body")
}

// TestSlowClientsAreCutOff starts a real server with a short header timeout
// and sends headers too slowly: the server must close the connection.
func TestSlowClientsAreCutOff(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	timeouts := DefaultServerTimeouts
	timeouts.ReadHeader = 200 * time.Millisecond
	srv := NewHTTPServer("127.0.0.1:0", h.srv.Handler(), timeouts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n") // and never the blank line
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))       // a guard against hanging, not a measurement
	_, err = bufio.NewReader(conn).ReadString('\n')
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("the server kept a connection with unfinished headers open")
	}
	if err == nil {
		// It may answer 408 before closing; then the connection must end.
		_, err = io.ReadAll(conn)
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatal("the server kept a connection with unfinished headers open")
		}
	}
	d := DefaultServerTimeouts
	if d.ReadHeader <= 0 || d.Read <= 0 || d.Write <= 0 || d.Idle <= 0 || d.ReadHeader > d.Read {
		t.Fatalf("the service's timeouts are not all set: %+v", d)
	}
	if s := NewHTTPServer(":0", nil, d); s.MaxHeaderBytes != MaxHeaderBytes || s.ReadHeaderTimeout != d.ReadHeader || s.IdleTimeout != d.Idle {
		t.Fatalf("NewHTTPServer does not apply the timeouts: %+v", s)
	}
}
