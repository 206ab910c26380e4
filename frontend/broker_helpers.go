package frontend

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/providers"
)

// Helpers the council staff's pages (broker, approver, practitioner,
// admin, dashboard) share.

// pathID reads a UUID path parameter. Anything else is "Page not found":
// an address that names nothing.
func pathID(c *gin.Context, name string) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Param(name))
	if err != nil {
		return uuid.Nil, errs.NotFoundf("there is nothing at %s", c.Request.URL.Path)
	}
	return id, nil
}

// subject returns the use cases a page about one thing asks (uses is
// f.brokerage, f.agreements or f.providers) and the id its path names: the
// first two steps of every such page and of the forms on it.
func subject[S any](c *gin.Context, uses func() (S, error)) (S, uuid.UUID, error) {
	svc, err := uses()
	if err != nil {
		return svc, uuid.Nil, err
	}
	id, err := pathID(c, "id")
	return svc, id, err
}

// load asks the use cases uses returns (f.brokerage, f.agreements or
// f.providers) for what a page shows, as the signed-in actor: read is a
// method of theirs, such as (*brokerage.Service).Invitations.
func load[S, T any](f *Frontend, c *gin.Context, uses func() (S, error), read func(S, context.Context, accounts.Actor) (T, error)) (T, error) {
	svc, err := uses()
	if err != nil {
		var none T
		return none, err
	}
	return read(svc, f.ctx(c), ActorOf(c))
}

// brokerage returns the brokerage use cases, or Unavailable when the
// service was started without them.
func (f *Frontend) brokerage() (*brokerage.Service, error) {
	if f.deps.Brokerage == nil {
		return nil, errs.Unavailablef(nil, "the brokerage use cases are not wired")
	}
	return f.deps.Brokerage, nil
}

// agreements returns the agreements store, or Unavailable.
func (f *Frontend) agreements() (*agreements.Store, error) {
	if f.deps.Agreements == nil {
		return nil, errs.Unavailablef(nil, "the agreements store is not wired")
	}
	return f.deps.Agreements, nil
}

// providers returns the provider directory, or Unavailable.
func (f *Frontend) providers() (*providers.Store, error) {
	if f.deps.Providers == nil {
		return nil, errs.Unavailablef(nil, "the provider directory is not wired")
	}
	return f.deps.Providers, nil
}

// serviceTypeName writes a service type code for a page: "Homecare",
// "Residential care", as the directory names it.
func serviceTypeName(code string) string {
	if t, ok := providers.ParseServiceType(code); ok {
		return t.English()
	}
	s := strings.ReplaceAll(code, "_", " ")
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// yesNo writes a flag as people read it.
func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

// km writes a distance the way people say it: "3.2 km away".
func km(distance float64) string {
	return fmt.Sprintf("%.1f km (%.1f miles) away", distance, brokerage.Miles(distance))
}

// ukDeadline writes a moment as "5pm on 8 December 2026", in UK time.
func ukDeadline(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return UKTime(t) + " on " + UKDate(t)
}

// addFormError records a use case's Invalid error on the form, naming the
// field on the page it belongs to: fields maps the use case's field names
// (exactly, or by their prefix before "[", as in "service_ids[2]") to the
// form's. It
// reports false for any other error, which the caller returns.
func addFormError(form *Form, err error, fields map[string]string) bool {
	e := errs.As(err)
	if e == nil || (e.Code != errs.Invalid && !(e.Code == errs.NotFound && e.Field != "")) {
		return false
	}
	name := e.Field
	if mapped, ok := fields[name]; ok {
		name = mapped
	} else if i := strings.Index(name, "["); i >= 0 {
		name = name[:i]
		if mapped, ok := fields[name]; ok {
			name = mapped
		}
	}
	copy := *e
	copy.Code, copy.Field = errs.Invalid, name
	return form.AddError(&copy)
}

// providerService names a provider's service: "Ancoats Care: Yew Tree",
// or just "Yew Tree" when the service carries the provider's name.
func providerService(provider, service string) string {
	if provider == "" || strings.EqualFold(provider, service) {
		return service
	}
	return provider + ": " + service
}
