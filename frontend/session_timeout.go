package frontend

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/internal/ratelimit"
)

// The timeout warning (the GOV.UK "you're about to be signed out" pattern).
// Sessions end on the server after Deps.IdleTimeout without activity; that
// stays the rule whatever the browser does. Every signed-in page says when
// its session will end: with JavaScript, a modal dialog (timeout.mjs)
// warns Deps.TimeoutWarning before the end and offers to stay signed in;
// without it, a notice under the header gives the time and links to the
// session page, which can extend the session with a form.

// DefaultTimeoutWarning is how long before the end of the session the
// dialog warns, when Deps.TimeoutWarning is not set.
const DefaultTimeoutWarning = 5 * time.Minute

// backgroundHeader marks a request the page's JavaScript makes by itself
// (the live updates' refresh, the timeout dialog's status check). It does
// not count as activity: a page left open must still time out.
const backgroundHeader = "X-Carebroker-Background"

// background reports whether a request is not the person's own activity:
// marked by the page's script, or the live-update stream, which a browser
// reopens by itself.
func background(c *gin.Context) bool {
	return c.GetHeader(backgroundHeader) == "1" || c.Request.URL.Path == "/live"
}

// timeoutView is what the layout needs to warn before the session ends.
type timeoutView struct {
	EndsAt      time.Time // when the session ends if nothing else happens
	EndsIn      int       // seconds from now until EndsAt
	WarnBefore  int       // seconds before EndsAt the dialog opens
	IdleMinutes int
	MaxHours    int
	// Extendable is false when the session's absolute limit (MaxAge), not
	// inactivity, ends it: staying active does not help then.
	Extendable bool
}

func (f *Frontend) timeoutOf(s *Session) *timeoutView {
	if s == nil {
		return nil
	}
	return &timeoutView{EndsAt: s.EndsAt, EndsIn: max(0, int(s.EndsAt.Sub(f.now()).Round(time.Second).Seconds())),
		WarnBefore: int(f.deps.TimeoutWarning.Seconds()), IdleMinutes: int(f.deps.IdleTimeout.Minutes()),
		MaxHours: int(f.deps.MaxAge.Hours()), Extendable: s.Extendable}
}

// WarnWords is the warning's lead time in words: "5 minutes".
func (t timeoutView) WarnWords() string {
	return ratelimit.Wait(time.Duration(t.WarnBefore) * time.Second)
}

// sessionPages are the session page and its "Stay signed in" form.
func (f *Frontend) sessionPages(r *Router) {
	r.Get("/session", f.sessionPage)
	r.Post("/session/extend", f.extendSession)
}

type sessionStatus struct {
	EndsInSeconds int       `json:"ends_in_seconds"`
	EndsAt        time.Time `json:"ends_at"`
	Extendable    bool      `json:"extendable"`
}

func (f *Frontend) statusOf(c *gin.Context) sessionStatus {
	t := f.timeoutOf(sessionOf(c))
	return sessionStatus{EndsInSeconds: t.EndsIn, EndsAt: t.EndsAt.UTC(), Extendable: t.Extendable}
}

func wantsJSON(c *gin.Context) bool {
	return strings.Contains(c.GetHeader("Accept"), "application/json")
}

type sessionPageData struct {
	ReturnTo string
}

// sessionPage says when the session will end. Asked for JSON (the dialog's
// check, sent as background so it does not extend the session) it answers
// {"ends_in_seconds", "ends_at", "extendable"}.
func (f *Frontend) sessionPage(c *gin.Context) error {
	if wantsJSON(c) {
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, f.statusOf(c))
		return nil
	}
	return f.ok(c, "session", View{Title: "Your session", Data: sessionPageData{ReturnTo: safeReturn(c.Query("return_to"))}})
}

// extendSession is "Stay signed in": it records activity now, so the
// session's inactivity clock starts again (the absolute limit stays). The
// dialog asks for JSON and gets the new status; a form without JavaScript
// goes back to the page it came from.
func (f *Frontend) extendSession(c *gin.Context) error {
	s := sessionOf(c)
	now := f.now()
	if err := f.sessions.touch(f.ctx(c), s.ID, now); err != nil {
		return err
	}
	s.EndsAt, s.Extendable = sessionEnd(now, s.expiresAt, f.deps.IdleTimeout)
	if wantsJSON(c) {
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, f.statusOf(c))
		return nil
	}
	back := safeReturn(c.PostForm("return_to"))
	if back == "" {
		back = "/session"
	}
	if err := f.Flash(c, "You are still signed in"); err != nil {
		return err
	}
	return redirect(c, back)
}

// sessionEnd is when a session last active at lastSeen ends: after the idle
// timeout, or at its absolute limit if that comes first (then it cannot be
// extended).
func sessionEnd(lastSeen, expiresAt time.Time, idle time.Duration) (time.Time, bool) {
	idleEnd := lastSeen.Add(idle)
	if expiresAt.Before(idleEnd) {
		return expiresAt, false
	}
	return idleEnd, true
}
