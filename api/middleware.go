package api

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/metrics"
)

const (
	ctxRequestID = "request_id"
	ctxActor     = "actor"
)

var requestIDShape = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// withRequestID takes a well-formed X-Request-Id from the caller or makes
// one, puts it on the response and in the context for logs and the audit.
func withRequestID(c *gin.Context) {
	id := c.GetHeader("X-Request-Id")
	if !requestIDShape.MatchString(id) {
		b := make([]byte, 8)
		rand.Read(b)
		id = hex.EncodeToString(b)
	}
	c.Set(ctxRequestID, id)
	c.Header("X-Request-Id", id)
	c.Request = c.Request.WithContext(audit.WithRequestID(c.Request.Context(), id))
	c.Next()
}

func requestID(c *gin.Context) string { return c.GetString(ctxRequestID) }

// logRequests writes one structured line per request.
func logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	metrics.ObserveRequest(c.FullPath(), c.Request.Method, c.Writer.Status(), time.Since(start))
	attrs := []any{
		"request_id", requestID(c), "method", c.Request.Method, "route", c.FullPath(),
		"status", c.Writer.Status(), "took_ms", float64(time.Since(start).Microseconds()) / 1000,
	}
	if a, ok := c.Get(ctxActor); ok {
		attrs = append(attrs, "user_id", a.(accounts.Actor).UserID.String(), "role", string(a.(accounts.Actor).Role))
	}
	level := slog.LevelInfo
	if c.Writer.Status() >= 500 {
		level = slog.LevelError
	}
	slog.Log(c.Request.Context(), level, "request", attrs...)
}

// recoverProblem turns a panic into a 500 problem document; the panic is
// logged, never shown.
func recoverProblem(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r)
			}
			fail(c, errs.Internalf(fmt.Errorf("panic: %v", r), "panic"))
		}
	}()
	c.Next()
}

// limitBody caps every request body; bindJSON reports the overflow.
func limitBody(max int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, max)
		}
		c.Next()
	}
}

// noStore marks every answer of the API, its problems included, not to be
// kept by browsers or proxies: they carry people's records and tokens.
func noStore(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Next()
}

// securityHeaders sets the headers every response carries.
func securityHeaders(secure bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		if secure {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		c.Next()
	}
}

// authenticate turns the bearer token into an actor, or refuses with 401.
func (s *Server) authenticate(c *gin.Context) {
	raw, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
	if !ok || raw == "" {
		c.Header("WWW-Authenticate", `Bearer realm="carebroker"`)
		fail(c, errs.Unauthorizedf("send an access token: Authorization: Bearer <token>"))
		return
	}
	a, err := s.tokens.Verify(strings.TrimSpace(raw))
	if err != nil {
		c.Header("WWW-Authenticate", `Bearer realm="carebroker", error="invalid_token"`)
		fail(c, err)
		return
	}
	c.Set(ctxActor, a)
	c.Next()
}

// actor returns the authenticated actor of the request.
func actor(c *gin.Context) accounts.Actor {
	a, _ := c.Get(ctxActor)
	act, _ := a.(accounts.Actor)
	return act
}

// allow refuses the request with 403 unless the actor has one of the roles.
func allow(roles ...accounts.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := actor(c).Require(roles...); err != nil {
			fail(c, err)
			return
		}
		c.Next()
	}
}
