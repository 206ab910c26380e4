package frontend

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// FormIDField is the hidden field that names one drawing of a form whose
// sending must act at most once ({{template "formID"}} in the form).
const FormIDField = "form_id"

// onceWait is how long a second sending of a form waits for the first to
// finish before it simply shows where things stand.
var onceWait = 15 * time.Second

// once runs do, the action of a form, at most once per drawing of the
// form. A second sending of the same drawing (a double-click, a POST sent
// again) waits for the first to finish: if the first acted, it only sends
// the browser to fallback (where the first's success message shows, if its
// own answer was lost); if the first failed, the second acts. Forms without
// a form id (programs, the access table) simply act. do's error is
// returned as it is.
func (f *Frontend) once(c *gin.Context, fallback string, do func() error) error {
	s := sessionOf(c)
	formID := c.PostForm(FormIDField)
	if s == nil || !validFormID(formID) {
		return do()
	}
	ctx := f.ctx(c)
	for attempt := 0; ; attempt++ {
		first, err := f.forms.claim(ctx, s.ID, formID, f.now())
		if err != nil {
			return err
		}
		if first {
			break
		}
		state, err := f.forms.wait(ctx, s.ID, formID, onceWait)
		if err != nil {
			return err
		}
		if state != formGone || attempt > 0 {
			return redirect(c, fallback)
		}
	}
	err := do()
	succeeded := err == nil && c.Writer.Status() < http.StatusBadRequest
	// Record the outcome even if the browser has gone away meanwhile.
	if ferr := f.forms.finish(context.WithoutCancel(ctx), s.ID, formID, succeeded); ferr != nil {
		slog.ErrorContext(ctx, "could not record a form's outcome", "error", ferr.Error())
	}
	return err
}
