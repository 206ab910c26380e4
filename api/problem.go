package api

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/ratelimit"
)

// statusOf is the one place an error code becomes an HTTP status.
var statusOf = map[errs.Code]int{
	errs.Invalid:      http.StatusBadRequest,
	errs.Unauthorized: http.StatusUnauthorized,
	errs.Forbidden:    http.StatusForbidden,
	errs.NotFound:     http.StatusNotFound,
	errs.Conflict:     http.StatusConflict,
	errs.Mismatch:     http.StatusUnprocessableEntity,
	errs.TooMany:      http.StatusTooManyRequests,
	errs.Unavailable:  http.StatusServiceUnavailable,
	errs.Internal:     http.StatusInternalServerError,
}

var titleOf = map[errs.Code]string{
	errs.Invalid:      "There is a problem with what was sent",
	errs.Unauthorized: "You need to sign in",
	errs.Forbidden:    "You do not have permission to do this",
	errs.NotFound:     "Not found",
	errs.Conflict:     "This cannot be done now",
	errs.Mismatch:     "This does not match the earlier request",
	errs.TooMany:      "Too many requests",
	errs.Unavailable:  "The service is temporarily unavailable",
	errs.Internal:     "Sorry, there is a problem with the service",
}

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail"`
	Code      string `json:"code"`
	Field     string `json:"field,omitempty"`
	Rule      string `json:"rule,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

// ProblemFor builds the problem document for err. Internal errors never
// show their cause: the cause is logged with the request id instead.
func ProblemFor(err error, requestID string) Problem {
	e := errs.As(err)
	if e == nil {
		e = errs.Internalf(err, "unexpected error")
	}
	p := Problem{
		Type: "https://carebroker.example/problems/" + string(e.Code), Title: titleOf[e.Code],
		Status: statusOf[e.Code], Detail: e.Message, Code: string(e.Code), Field: e.Field, Rule: e.Rule, RequestID: requestID,
	}
	if p.Status == 0 {
		p.Status, p.Title = 500, titleOf[errs.Internal]
	}
	if e.Code == errs.Internal {
		p.Detail = "Something went wrong on our side. Quote the request id if you contact support."
	}
	return p
}

// fail writes err as a problem document and stops the chain. Handlers
// return their errors to handle, which calls it; middleware calls it
// directly. A refusal over a rate limit (*ratelimit.Exceeded) says when to
// try again in Retry-After; other 429 and 503 answers say 5 seconds.
func fail(c *gin.Context, err error) {
	p := ProblemFor(err, requestID(c))
	if p.Status >= 500 {
		slog.ErrorContext(c.Request.Context(), "request failed", "request_id", p.RequestID, "error", err.Error())
	}
	var limited *ratelimit.Exceeded
	if errors.As(err, &limited) && p.Status == http.StatusTooManyRequests {
		c.Header("Retry-After", limited.RetryAfterHeader())
	}
	if p.Status == http.StatusServiceUnavailable || p.Status == http.StatusTooManyRequests {
		if c.Writer.Header().Get("Retry-After") == "" {
			c.Header("Retry-After", "5")
		}
	}
	c.Header("Content-Type", "application/problem+json")
	c.Header("Cache-Control", "no-store")
	c.AbortWithStatusJSON(p.Status, p)
}

// NotFound answers a request no route matched with a 404 problem document.
// app puts the HTML page in front of it for browsers.
func NotFound(c *gin.Context) {
	fail(c, errs.NotFoundf("there is nothing at %s", c.Request.URL.Path))
}
