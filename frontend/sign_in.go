package frontend

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
)

// corePages registers the pages every area stands on: the start, sign in
// and out, the live-update stream and the session page.
func (f *Frontend) corePages(r *Router) {
	r.Public(http.MethodGet, "/", f.start)
	r.Public(http.MethodGet, "/sign-in", f.signInPage)
	r.Public(http.MethodPost, "/sign-in", f.signIn)
	r.Public(http.MethodGet, "/signed-out", f.signedOut)
	r.Public(http.MethodPost, "/sign-out", f.signOut)
	r.Get("/sign-out", f.signOutPage)
	r.Get("/live", f.live)
	f.sessionPages(r)
}

// start sends people to their home page, or to sign in.
func (f *Frontend) start(c *gin.Context) error {
	if s := sessionOf(c); s != nil {
		return redirect(c, HomePath(s.Actor.Role))
	}
	return redirect(c, "/sign-in")
}

func signInForm() *Form {
	return NewForm(
		Field{Name: "email", Label: "Email address", Type: "email", Autocomplete: "email", NoSpellcheck: true},
		Field{Name: "password", Label: "Password", Type: "password", Autocomplete: "current-password"},
	)
}

type signInData struct {
	ReturnTo    string
	Ended       bool
	EndedBanner Banner
}

func (f *Frontend) signInPage(c *gin.Context) error {
	returnTo := safeReturn(c.Query("return_to"))
	if s := sessionOf(c); s != nil {
		if returnTo == "" {
			returnTo = HomePath(s.Actor.Role)
		}
		return redirect(c, returnTo)
	}
	return f.ok(c, "sign_in", View{Title: "Sign in", Form: signInForm(), Data: signInData{
		ReturnTo: returnTo,
		Ended:    c.Query("ended") == "1" || c.GetBool(ctxSessionEnded),
		EndedBanner: Banner{Heading: "You have been signed out",
			Text: "For your security, sessions end after a period without activity, at sign-out, or when the account changes. Sign in again to carry on."},
	}})
}

// signIn checks the email and password. Any failure shows the same message
// on the email field, whatever failed, so the page does not reveal whether
// an account exists. On success the old session (if any) ends and a new
// one starts, so a session id fixed before sign-in is worth nothing.
func (f *Frontend) signIn(c *gin.Context) error {
	form := signInForm().Bind(c)
	returnTo := safeReturn(c.PostForm("return_to"))
	email, password := form.Value("email"), form.Value("password")
	if email == "" {
		form.Add("email", "Enter your email address")
	}
	if password == "" {
		form.Add("password", "Enter your password")
	}
	if !form.HasErrors() {
		attempt, err := f.beginSignIn(c, email)
		if err != nil {
			return f.tooManySignIns(c, form, returnTo, err)
		}
		user, err := f.deps.Accounts.Authenticate(f.ctx(c), email, password)
		switch {
		case errors.Is(err, accounts.ErrBadCredentials):
			form.Add("email", "Enter an email address and password that match your account")
		case err != nil:
			return err
		default:
			f.signInSucceeded(c, attempt)
			return f.startSession(c, user, returnTo)
		}
	}
	return f.render(c, http.StatusBadRequest, "sign_in", View{Title: "Sign in", Form: form, Data: signInData{ReturnTo: returnTo}})
}

func (f *Frontend) startSession(c *gin.Context, user accounts.User, returnTo string) error {
	now := f.now()
	if old := sessionOf(c); old != nil {
		if err := f.sessions.end(f.ctx(c), old.ID, old.Actor, "signed in again", now); err != nil {
			return err
		}
	}
	token, _, err := f.sessions.start(f.ctx(c), user, now, f.deps.MaxAge)
	if err != nil {
		return err
	}
	if err := f.sessions.sweep(f.ctx(c), now); err != nil {
		slog.WarnContext(f.ctx(c), "could not delete old sessions", "error", err.Error())
	}
	// A session cookie (no Max-Age): it goes when the browser closes, and
	// the server ends it sooner if idle or old.
	f.setCookie(c, f.sessionCookie(), token, 0)
	f.setCookie(c, f.signInCookie(), "", -1)
	if returnTo == "" {
		returnTo = HomePath(user.Role)
	}
	return redirect(c, returnTo)
}

func (f *Frontend) signOutPage(c *gin.Context) error {
	return f.ok(c, "sign_out", View{Title: "Sign out"})
}

// signOut ends the session. Like every POST it needs the form's token, so
// another site cannot sign people out.
func (f *Frontend) signOut(c *gin.Context) error {
	if s := sessionOf(c); s != nil {
		if err := f.sessions.end(f.ctx(c), s.ID, s.Actor, "signed out", f.now()); err != nil {
			return err
		}
	}
	f.setCookie(c, f.sessionCookie(), "", -1)
	return redirect(c, "/signed-out")
}

func (f *Frontend) signedOut(c *gin.Context) error {
	if s := sessionOf(c); s != nil {
		return redirect(c, HomePath(s.Actor.Role))
	}
	return f.ok(c, "signed_out", View{Title: "You have signed out"})
}

// safeReturn accepts a page of this service to go back to after sign-in,
// and nothing else: no other host, no scheme, no protocol-relative or
// backslash tricks, not the sign-in pages themselves.
func safeReturn(raw string) string {
	if raw == "" || len(raw) > 2000 || !strings.HasPrefix(raw, "/") || strings.HasPrefix(raw, "//") || strings.ContainsAny(raw, "\\\r\n\t") {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	switch u.Path {
	case "/sign-in", "/sign-out", "/signed-out", "/live", "/session/extend":
		return ""
	}
	if strings.HasPrefix(u.Path, "/api/") || strings.HasPrefix(u.Path, "/assets/") {
		return ""
	}
	return u.RequestURI()
}
