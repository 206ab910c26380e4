package frontend

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
)

// FormIDField is the hidden field that names one drawing of a form whose
// sending must act at most once ({{template "formID"}} in the form).
const FormIDField = "form_id"

// errNotDone rolls back the claim of a form whose action did not
// happen, so the form may be sent again.
var errNotDone = errors.New("the form's action did not complete")

// once runs do, the action of a form, at most once per drawing of the
// form: a second sending of the same drawing (a double-click, a reload of
// the POST, the back button) waits for the first to finish and then, if
// the first acted, does nothing but send the browser to fallback (where
// the first's success message shows, if its own answer was lost); if the
// first failed, the second runs. Forms without a form id (programs, the
// access table) simply run. do's error is returned as it is.
func (f *Frontend) once(c *gin.Context, fallback string, do func() error) error {
	s := sessionOf(c)
	formID := c.PostForm(FormIDField)
	if s == nil || formID == "" {
		return do()
	}
	var doErr error
	duplicate := false
	err := f.forms.claim(f.ctx(c), s.ID, formID, f.now(), func(first bool) error {
		if !first {
			duplicate = true
			return nil
		}
		doErr = do()
		if doErr != nil || c.Writer.Status() >= http.StatusBadRequest {
			return errNotDone
		}
		return nil
	})
	switch {
	case doErr != nil:
		return doErr
	case err != nil && !errors.Is(err, errNotDone):
		return err
	case duplicate:
		// The first sending's success message, if nobody has seen it yet,
		// shows on that page.
		return redirect(c, fallback)
	}
	return nil
}
