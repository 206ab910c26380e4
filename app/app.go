// Package app assembles the whole HTTP service: the JSON API (api) and the
// web pages (frontend) on one gin engine. Nothing imports api or frontend
// except this package, cmd and tests that need every route.
package app

import (
	"fmt"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/api"
	"github.com/carebroker/carebroker/frontend"
)

// Options are the frontend's settings that do not come from api.Deps:
// tests set the clock and session limits (or another live source).
type Options struct {
	Frontend func(*frontend.Deps) // adjusts the frontend's dependencies before it is built
}

// New builds the API and mounts the web pages onto its engine. Requests no
// route matches get the HTML "Page not found" page when a browser asks for
// a page, and the API's problem document otherwise (and always under /api/).
// It returns an error if the pages' templates or assets are broken.
func New(d api.Deps, opts ...Options) (*gin.Engine, error) {
	srv := api.New(d)
	fd := frontend.Deps{Config: d.Config, DB: d.DB, Accounts: d.Accounts, LoginGuard: srv.LoginGuard(),
		Limiter: srv.Limiter(), PerUser: srv.PerUserLimit(), Brokerage: d.Brokerage, Agreements: d.Agreements, Providers: d.Providers, Now: d.Now}
	if d.Redis != nil {
		// The pages hear of what the notifications hub publishes, as the
		// API's event stream does, and their streams end when the API's would.
		fd.Live = frontend.NotificationsLive{Redis: d.Redis, MaxStream: d.LiveStreamMax}
	}
	for _, o := range opts {
		if o.Frontend != nil {
			o.Frontend(&fd)
		}
	}
	fe, err := frontend.New(fd)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	engine := srv.Engine()
	fe.Mount(engine)
	engine.NoRoute(func(c *gin.Context) {
		if frontend.WantsHTML(c.Request) && !strings.HasPrefix(c.Request.URL.Path, "/api/") {
			fe.NotFound(c)
			return
		}
		api.NotFound(c)
	})
	return engine, nil
}
