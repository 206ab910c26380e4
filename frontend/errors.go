package frontend

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/ratelimit"
)

// errorPage is the data of the error page template.
type errorPage struct {
	Lines     []string
	Reference string // the request id, for people to quote to support
	HomeLink  bool
}

// fail answers a page request with the error page for err: the one place a
// page error becomes an HTTP status. Unauthorized sends people to sign in;
// internal errors are logged with the request id and never shown.
func (f *Frontend) fail(c *gin.Context, err error) {
	defer c.Abort()
	if c.Writer.Written() {
		slog.ErrorContext(f.ctx(c), "page failed after it started", "error", err.Error())
		return
	}
	e := errs.As(err)
	msg := ""
	if e != nil {
		msg = sentence(e.Message)
	}
	status, title, page := http.StatusInternalServerError, "Sorry, there is a problem with the service", errorPage{}
	switch code := errs.CodeOf(err); {
	case errors.Is(err, errBadForm):
		status, title = http.StatusForbidden, "Sorry, your form could not be sent"
		page.Lines = []string{
			"This can happen if the page was open for a long time, or if you signed in or out in another tab.",
			"Go back, reload the page and try again.",
		}
	case code == errs.Unauthorized:
		q := url.Values{"ended": {"1"}}
		if c.Request.Method == http.MethodGet {
			q.Set("return_to", c.Request.URL.RequestURI())
		}
		redirect(c, "/sign-in?"+q.Encode())
		return
	case code == errs.Forbidden:
		status, title = http.StatusForbidden, "You do not have access to this page"
		page.Lines = []string{"Your account cannot see this page or do this.", "If you think you should have access, ask your service administrator."}
		page.HomeLink = true
	case code == errs.NotFound:
		status, title = http.StatusNotFound, "Page not found"
		page.Lines = []string{
			"If you typed the web address, check it is correct.",
			"If you pasted the web address, check you copied the entire address.",
			"If the web address is correct or you selected a link or button, what you are looking for may have been removed, or it may not be yours to see.",
		}
		page.HomeLink = true
	case code == errs.Conflict:
		status, title = http.StatusConflict, "This cannot be done now"
		page.Lines = []string{msg, "Go back, reload the page to see its current state, and try again."}
		page.HomeLink = true
	case code == errs.Invalid || code == errs.Mismatch:
		status, title = http.StatusBadRequest, "There is a problem with what was sent"
		page.Lines = []string{fieldSentence(e), "Go back and try again."}
	case code == errs.TooMany:
		status, title = http.StatusTooManyRequests, "Sorry, there have been too many requests"
		page.Lines = []string{"Wait a few minutes and try again."}
		var ex *ratelimit.Exceeded
		if errors.As(err, &ex) {
			page.Lines = []string{msg}
			c.Header("Retry-After", ex.RetryAfterHeader())
		}
		setRetryAfter(c)
	case code == errs.Unavailable:
		status, title = http.StatusServiceUnavailable, "Sorry, the service is unavailable"
		page.Lines = []string{"Try again in a few minutes."}
		setRetryAfter(c)
	default:
		slog.ErrorContext(f.ctx(c), "page failed", "request_id", requestID(c), "error", err.Error())
		page.Lines = []string{"Try again later."}
	}
	if status >= 500 {
		page.Reference = requestID(c)
	}
	if rerr := f.render(c, status, "error", View{Title: title, Data: page}); rerr != nil {
		slog.ErrorContext(f.ctx(c), "error page failed", "error", rerr.Error())
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("Sorry, there is a problem with the service.\n"))
	}
}

func setRetryAfter(c *gin.Context) {
	if c.Writer.Header().Get("Retry-After") == "" {
		c.Header("Retry-After", "5")
	}
}

// requestID is the id api's middleware gave the request (X-Request-Id).
func requestID(c *gin.Context) string { return c.Writer.Header().Get("X-Request-Id") }

// sentence turns an error message ("the offer is withdrawn") into a sentence
// for a page ("The offer is withdrawn.").
func sentence(msg string) string {
	msg = strings.TrimSpace(msg)
	if msg == "" {
		return ""
	}
	msg = strings.ToUpper(msg[:1]) + msg[1:]
	if !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, "?") && !strings.HasSuffix(msg, "!") {
		msg += "."
	}
	return msg
}

// fieldSentence names the field of an Invalid error in words.
func fieldSentence(e *errs.Error) string {
	if e == nil {
		return ""
	}
	if e.Field == "" {
		return sentence(e.Message)
	}
	return sentence(fmt.Sprintf("%s %s", humanise(e.Field), e.Message))
}

// recoverPage turns a panic in a page handler into the 500 page; the panic
// is logged, never shown.
func (f *Frontend) recoverPage(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r)
			}
			f.fail(c, errs.Internalf(fmt.Errorf("panic: %v", r), "panic"))
		}
	}()
	c.Next()
}

// NotFound answers with the "Page not found" page, showing the navigation of
// whoever is signed in. app uses it for browser requests no route matched.
func (f *Frontend) NotFound(c *gin.Context) {
	if err := f.attachSession(c); err != nil {
		f.fail(c, err)
		return
	}
	f.fail(c, errs.NotFoundf("there is nothing at %s", c.Request.URL.Path))
}

// WantsHTML reports whether a request comes from a browser asking for a
// page rather than a program asking for JSON.
func WantsHTML(r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return false
	}
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "text/html") || strings.Contains(accept, "application/xhtml+xml")
}
