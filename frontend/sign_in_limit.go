package frontend

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/internal/ratelimit"
)

// beginSignIn spends a sign-in attempt with the guard the API's sign-in
// uses (the same budgets, shared in Redis), so the form is no way around
// the lockout. With no guard (a frontend built without app) it allows all.
func (f *Frontend) beginSignIn(c *gin.Context, email string) (*ratelimit.Attempt, error) {
	if f.deps.LoginGuard == nil {
		return nil, nil
	}
	return f.deps.LoginGuard.Begin(f.ctx(c), email, c.ClientIP())
}

// signInSucceeded gives the email's failure budget back.
func (f *Frontend) signInSucceeded(c *gin.Context, a *ratelimit.Attempt) {
	if a != nil {
		a.Succeeded(f.ctx(c))
	}
}

// tooManySignIns shows the sign-in form again with 429, Retry-After and the
// guard's message, which is the same whether or not the email has an account.
func (f *Frontend) tooManySignIns(c *gin.Context, form *Form, returnTo string, err error) error {
	var ex *ratelimit.Exceeded
	if !errors.As(err, &ex) {
		return err
	}
	c.Header("Retry-After", ex.RetryAfterHeader())
	form.Add("email", ex.Err.Message)
	return f.render(c, http.StatusTooManyRequests, "sign_in", View{Title: "Sign in", Form: form, Data: signInData{ReturnTo: returnTo}})
}
