package frontend

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
)

//go:embed templates
var templateFS embed.FS

// The templates every page is drawn with: the GOV.UK page template and the
// components. Every other file in templates/ is one page, defining "content"
// (and, if it needs one, "beforeContent" for a back link).
var baseTemplates = []string{"templates/layout.html", "templates/components.html"}

func parseTemplates(funcs template.FuncMap) (map[string]*template.Template, error) {
	base, err := template.New("base").Funcs(funcs).ParseFS(templateFS, baseTemplates...)
	if err != nil {
		return nil, fmt.Errorf("frontend: templates: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, name := range names {
		if name == baseTemplates[0] || name == baseTemplates[1] {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, name)
		if err != nil {
			return nil, fmt.Errorf("frontend: template %s: %w", name, err)
		}
		pages[strings.TrimSuffix(path.Base(name), ".html")] = t
	}
	return pages, nil
}

// View is what a handler asks to render.
type View struct {
	// Title is the page's title, usually its h1: the browser tab shows
	// "Title – Carebroker", with "Error: " in front when the form has errors.
	Title string
	// Form is the page's form, if any; its errors make the error summary.
	Form *Form
	// Data is the page's own data, .Data in its template.
	Data any
}

// pageData is what the layout and every page template receive.
type pageData struct {
	View
	Actor     *accounts.Actor
	Nav       []NavItem
	HomePath  string
	CSRFToken string
	Flash     string
	Path      string
	// Timeout says when the signed-in session ends, for the timeout
	// warning (nil when nobody is signed in).
	Timeout *timeoutView
	// Here is the page's address with its query, for "come back here".
	Here string
}

// HasErrors reports whether the page shows form errors.
func (p pageData) HasErrors() bool { return p.Form.HasErrors() }

// render draws the named page with the layout and writes it with status.
// The page is drawn into memory first, so a template failure becomes the
// error page, never half a page.
func (f *Frontend) render(c *gin.Context, status int, name string, v View) error {
	t, ok := f.pages[name]
	if !ok {
		return errs.Internalf(nil, "no page template %q", name)
	}
	d := pageData{View: v, Path: c.Request.URL.Path, CSRFToken: f.formToken(c)}
	if s := sessionOf(c); s != nil {
		a := s.Actor
		d.Actor = &a
		d.Nav = f.navFor(&a, c.Request.URL.Path)
		d.HomePath = HomePath(a.Role)
		d.Timeout = f.timeoutOf(s)
		if c.Request.Method == http.MethodGet {
			d.Here = safeReturn(c.Request.URL.RequestURI())
		}
		if s.flash != "" {
			flash, err := f.sessions.takeFlash(f.ctx(c), s.ID)
			if err != nil {
				slog.WarnContext(f.ctx(c), "could not take the flash message", "error", err.Error())
			}
			d.Flash, s.flash = flash, ""
		}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", d); err != nil {
		return errs.Internalf(err, "render page %s", name)
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
	return nil
}

// drawing draws a page with its form at status: 200 with a new form on
// GET, 400 with the form's errors after a refused POST. Such a page loads
// what it shows itself, so the POST that refuses redraws it the same way.
type drawing func(c *gin.Context, status int, form *Form) error

// formPage is the GET handler of a page with a form: the page drawn with a
// new, empty form.
func formPage(draw drawing, newForm func() *Form) Handler {
	return func(c *gin.Context) error { return draw(c, http.StatusOK, newForm()) }
}

// ok renders a page with 200.
func (f *Frontend) ok(c *gin.Context, name string, v View) error {
	return f.render(c, http.StatusOK, name, v)
}
