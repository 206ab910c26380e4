package frontend

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
)

// Handler is a page handler. It renders (f.render) or redirects and returns
// nil, or returns an error that fail turns into the right error page.
type Handler func(c *gin.Context) error

// Router registers pages. Every page it registers gets the session, the
// CSRF check on POST (applied before any handler), the error pages, and
// (unless registered with Public) the sign-in check, the per-user request
// limit and the role check.
type Router struct {
	f     *Frontend
	g     *gin.RouterGroup
	paths map[string]bool // "GET /path" of every page registered
}

func (r *Router) handle(method, path string, handlers ...gin.HandlerFunc) {
	r.paths[method+" "+path] = true
	r.g.Handle(method, path, handlers...)
}

func (r *Router) registered(method, path string) bool { return r.paths[method+" "+path] }

// Get registers a page for signed-in users with one of the roles (any
// signed-in user when no role is given).
func (r *Router) Get(path string, h Handler, roles ...accounts.Role) {
	r.handle(http.MethodGet, path, r.f.requireSignIn, r.f.limitPerUser, r.f.allow(roles), r.f.handle(h))
}

// Post registers a form handler for signed-in users with one of the roles.
// Its CSRF token has been checked before it runs.
func (r *Router) Post(path string, h Handler, roles ...accounts.Role) {
	r.handle(http.MethodPost, path, r.f.requireSignIn, r.f.limitPerUser, r.f.allow(roles), r.f.handle(h))
}

// Public registers a page anyone may see, signed in or not (sign-in, signed out).
func (r *Router) Public(method, path string, h Handler) {
	r.handle(method, path, r.f.handle(h))
}

// Nav adds an item to the service navigation of the given roles, in
// registration order. The item is marked current on its path and below.
func (r *Router) Nav(text, path string, roles ...accounts.Role) {
	r.f.nav = append(r.f.nav, navEntry{Text: text, Path: path, Roles: roles})
}

type navEntry struct {
	Text  string
	Path  string
	Roles []accounts.Role
}

// NavItem is one link of the service navigation as a page shows it.
type NavItem struct {
	Text    string
	Href    string
	Current bool // this page is the item's page, or below it
	Exact   bool // this page is the item's page itself
}

func (f *Frontend) navFor(a *accounts.Actor, path string) []NavItem {
	if a == nil {
		return nil
	}
	var items []NavItem
	for _, e := range f.nav {
		if len(e.Roles) > 0 && !a.Is(e.Roles...) {
			continue
		}
		current := path == e.Path || strings.HasPrefix(path, strings.TrimSuffix(e.Path, "/")+"/")
		items = append(items, NavItem{Text: e.Text, Href: e.Path, Current: current, Exact: path == e.Path})
	}
	return items
}

// handle runs a Handler and renders its error, if any.
func (f *Frontend) handle(h Handler) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			f.fail(c, err)
		}
	}
}

// noStore keeps pages (which carry personal data and form tokens) out of
// every cache.
func noStore(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Next()
}

// redirect sends the browser to path with 303 See Other, so a form POST is
// followed by a GET.
func redirect(c *gin.Context, path string) error {
	c.Redirect(http.StatusSeeOther, path)
	c.Abort()
	return nil
}
