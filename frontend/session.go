package frontend

import (
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
)

// Session is the signed-in person's session as a page handler sees it.
type Session struct {
	ID        uuid.UUID
	Actor     accounts.Actor
	User      accounts.User
	CSRFToken string
	// EndsAt is when the session ends unless the person does something:
	// IdleTimeout after their last activity, or its absolute limit (then
	// Extendable is false).
	EndsAt     time.Time
	Extendable bool
	expiresAt  time.Time
	flash      string
}

const (
	ctxSession      = "frontend.session"
	ctxSessionEnded = "frontend.session_ended"
	// ctxActor is the key api's request log reads the actor from, so page
	// requests are logged with the user like API requests are.
	ctxActor = "actor"
	// touchEvery limits the writes that keep a session alive to one a minute.
	touchEvery = time.Minute
)

// sessionCookie is the cookie's name: with the __Host- prefix over TLS, so
// the browser refuses it unless it is Secure, host-only and for path /.
func (f *Frontend) sessionCookie() string {
	if f.secure {
		return "__Host-carebroker_session"
	}
	return "carebroker_session"
}

func (f *Frontend) setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: f.secure, SameSite: http.SameSiteLaxMode,
	})
}

// loadSession finds the session named by the cookie, if any, and puts it
// and its actor in the context (see attachSession).
func (f *Frontend) loadSession(c *gin.Context) {
	if err := f.attachSession(c); err != nil {
		f.fail(c, err)
		return
	}
	c.Next()
}

// attachSession puts the live session the cookie names, and its actor, in
// the context. A cookie naming no live session is cleared and remembered,
// so the sign-in page can say the session ended. It returns only errors of
// the database, never "no session".
func (f *Frontend) attachSession(c *gin.Context) error {
	cookie, err := c.Request.Cookie(f.sessionCookie())
	if err != nil || cookie.Value == "" {
		return nil
	}
	row, err := f.sessions.lookup(f.ctx(c), cookie.Value, f.now(), f.deps.IdleTimeout)
	if err == nil {
		err = f.checkAccount(c, row)
	}
	if errs.Is(err, errs.Unauthorized) {
		f.setCookie(c, f.sessionCookie(), "", -1)
		c.Set(ctxSessionEnded, true)
		return nil
	}
	return err
}

// checkAccount loads the session's user and ends the session if the account
// was disabled or its password changed after sign-in (which ends every
// session, as it does every API refresh token). The role and name come
// fresh from the account on every request. A request records activity
// (at most once a minute) unless the page's script made it by itself.
func (f *Frontend) checkAccount(c *gin.Context, row webSession) error {
	now := f.now()
	user, err := f.deps.Accounts.User(f.ctx(c), row.UserID)
	if errs.Is(err, errs.NotFound) {
		return errNoSession
	}
	if err != nil {
		return err
	}
	if user.DisabledAt != nil || user.PasswordChangedAt.After(row.CreatedAt) {
		if err := f.sessions.end(f.ctx(c), row.ID, user.Actor(), "account changed", now); err != nil {
			return err
		}
		return errNoSession
	}
	lastSeen := row.LastSeenAt
	if now.Sub(row.LastSeenAt) >= touchEvery && !background(c) {
		if err := f.sessions.touch(f.ctx(c), row.ID, now); err != nil {
			// The page can still be served; the session just ages a little sooner.
			slog.WarnContext(f.ctx(c), "could not record session activity", "error", err.Error())
		} else {
			lastSeen = now
		}
	}
	s := &Session{ID: row.ID, Actor: user.Actor(), User: user, CSRFToken: row.CSRFToken, expiresAt: row.ExpiresAt}
	s.EndsAt, s.Extendable = sessionEnd(lastSeen, row.ExpiresAt, f.deps.IdleTimeout)
	if row.Flash != nil {
		s.flash = *row.Flash
	}
	c.Set(ctxSession, s)
	c.Set(ctxActor, s.Actor)
	return nil
}

// sessionOf returns the request's session, or nil when nobody is signed in.
func sessionOf(c *gin.Context) *Session {
	s, _ := c.Get(ctxSession)
	sess, _ := s.(*Session)
	return sess
}

// ActorOf returns the signed-in actor of a page request. Pages registered
// with Router.Get or Router.Post always have one.
func ActorOf(c *gin.Context) accounts.Actor {
	if s := sessionOf(c); s != nil {
		return s.Actor
	}
	return accounts.Actor{}
}

// requireSignIn sends people who are not signed in to the sign-in page,
// remembering where they were going when it was a page they can come back to.
func (f *Frontend) requireSignIn(c *gin.Context) {
	if sessionOf(c) != nil {
		c.Next()
		return
	}
	q := url.Values{}
	if c.Request.Method == http.MethodGet {
		q.Set("return_to", c.Request.URL.RequestURI())
	}
	if c.GetBool(ctxSessionEnded) {
		q.Set("ended", "1")
	}
	target := "/sign-in"
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	redirect(c, target)
}

// allow shows the "You do not have access" page unless the actor has one
// of the roles. No roles means any signed-in user.
func (f *Frontend) allow(roles []accounts.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		if len(roles) > 0 && !ActorOf(c).Is(roles...) {
			f.fail(c, errs.Forbiddenf("a %s cannot see this page", ActorOf(c).Role))
			c.Abort()
			return
		}
		c.Next()
	}
}

// Flash keeps a success message to show in a notification banner on the
// session's next page (after the redirect that follows a form).
func (f *Frontend) Flash(c *gin.Context, message string) error {
	s := sessionOf(c)
	if s == nil {
		return errs.Unauthorizedf("sign in first")
	}
	return f.sessions.setFlash(f.ctx(c), s.ID, message)
}
