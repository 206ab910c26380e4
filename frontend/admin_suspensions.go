package frontend

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/providers"
)

func adminSuspensionPages(f *Frontend, r *Router) {
	r.Nav("Suspensions", "/admin/suspensions", accounts.Admin)
	r.Get("/admin/suspensions", f.adminSuspensions, accounts.Admin)
	r.Get("/admin/suspensions/new", f.adminNewSuspension, accounts.Admin)
	r.Post("/admin/suspensions", f.adminSuspend, accounts.Admin)
	r.Get("/admin/suspensions/:id/end", f.adminEndSuspensionPage, accounts.Admin)
	r.Post("/admin/suspensions/:id/end", f.adminEndSuspension, accounts.Admin)
}

var suspensionKinds = map[string]Tag{
	"suspension": {Text: "Suspension", Class: "govuk-tag--red"},
	"embargo":    {Text: "Embargo", Class: "govuk-tag--orange"},
}

// today is the day it is in London by the pages' clock.
func (f *Frontend) today() day.Date { return day.Today(f.now) }

// adminSuspensions lists the suspensions and embargoes in force or to come.
func (f *Frontend) adminSuspensions(c *gin.Context) error {
	dir, err := f.providers()
	if err != nil {
		return err
	}
	list, err := dir.CurrentSuspensions(f.ctx(c), ActorOf(c), f.today())
	if err != nil {
		return err
	}
	t := Table{Caption: "In force or to come", Small: true, Head: []Cell{{Text: "Provider"}, {Text: "Kind"}, {Text: "Why"},
		{Text: "From"}, {Text: "Until"}, {Text: "Action"}}}
	for _, s := range list {
		kind := suspensionKinds[s.Kind]
		until := "Further notice"
		if !s.EndsOn.IsZero() {
			until = s.EndsOn.UK()
		}
		t.Rows = append(t.Rows, []Cell{{Text: s.OrganisationName}, {Tag: &kind}, {Text: s.Reason}, {Text: s.StartsOn.UK()}, {Text: until},
			{Text: "End the " + kind.Text + " of " + s.OrganisationName, Href: "/admin/suspensions/" + s.ID.String() + "/end"}})
	}
	return f.ok(c, "admin_suspensions", View{Title: "Suspensions and embargoes", Data: t})
}

type suspendData struct {
	Organisation, Reason Field
	Kind                 Options
	StartsOn, EndsOn     DateInput
}

func suspendForm() *Form {
	return NewForm(
		Field{Name: "organisation", Label: "Provider organisation", Hint: "Its name exactly as in the provider directory."},
		Field{Name: "kind", Label: "Kind"},
		Field{Name: "reason", Label: "Why", Hint: "Brokers see this when the matcher leaves the provider out."},
		DateField("starts_on", "From", "For example, 1 12 2026"),
		DateField("ends_on", "Until (optional)", "The last day. Leave blank for until further notice."),
	)
}

func (f *Frontend) adminNewSuspension(c *gin.Context) error {
	form := suspendForm()
	form.SetDate("starts_on", f.today())
	return f.drawSuspend(c, http.StatusOK, form)
}

func (f *Frontend) drawSuspend(c *gin.Context, status int, form *Form) error {
	d := suspendData{Organisation: form.Field("organisation"), Reason: form.Field("reason"),
		Kind: form.Options(Options{Name: "kind", Legend: "Kind", LegendSize: "s", Items: []Option{
			{Value: "suspension", Text: "Suspension", Hint: "The council will not place new care with them, for example while quality concerns are looked into."},
			{Value: "embargo", Text: "Embargo", Hint: "A formal bar on new placements, for example during a safeguarding enquiry."}}}),
		StartsOn: form.DateInput("starts_on"), EndsOn: form.DateInput("ends_on")}
	return f.render(c, status, "admin_suspension_new", View{Title: "Suspend a provider", Form: form, Data: d})
}

// adminSuspend records a suspension or embargo of a provider.
func (f *Frontend) adminSuspend(c *gin.Context) error {
	dir, err := f.providers()
	if err != nil {
		return err
	}
	form := suspendForm().Bind(c)
	n := providers.NewSuspension{Kind: form.Value("kind"), Reason: form.Value("reason")}
	org, found := f.organisationNamed(c, form)
	if n.Kind == "" {
		form.Add("kind", "Choose a suspension or an embargo")
	}
	if n.Reason == "" {
		form.Add("reason", "Enter why the provider is suspended")
	}
	n.StartsOn, err = form.BindDate(c, "starts_on", "Start date", true)
	form.AddError(err)
	n.EndsOn, err = form.BindDate(c, "ends_on", "End date", false)
	form.AddError(err)
	if !found || form.HasErrors() {
		return f.drawSuspend(c, http.StatusBadRequest, form)
	}
	return f.once(c, "/admin/suspensions", func() error {
		_, err := dir.Suspend(f.ctx(c), ActorOf(c), org, n)
		if form.AddError(err) {
			return f.drawSuspend(c, http.StatusBadRequest, form)
		} else if err != nil {
			return err
		}
		return f.flashTo(c, fmt.Sprintf("%s is under %s from %s. The matcher leaves them out", form.Value("organisation"), map[string]string{"suspension": "suspension", "embargo": "an embargo"}[n.Kind], n.StartsOn.UK()), "/admin/suspensions")
	})
}

type endSuspensionData struct {
	Suspension providers.SuspensionInForce
	Summary    SummaryList
	EndsOn     DateInput
	Reason     Field
}

func endSuspensionForm() *Form {
	return NewForm(
		DateField("ends_on", "Last day of the suspension", "Today, or the day it ends. For example, 31 12 2026"),
		Field{Name: "reason", Label: "Why it ends", Hint: "For example, the action plan is complete."},
	)
}

func (f *Frontend) adminEndSuspensionPage(c *gin.Context) error {
	form := endSuspensionForm()
	form.SetDate("ends_on", f.today())
	return f.drawEndSuspension(c, http.StatusOK, form)
}

func (f *Frontend) drawEndSuspension(c *gin.Context, status int, form *Form) error {
	s, err := f.currentSuspension(c)
	if err != nil {
		return err
	}
	kind := suspensionKinds[s.Kind]
	d := endSuspensionData{Suspension: s, EndsOn: form.DateInput("ends_on"), Reason: form.Field("reason"),
		Summary: SummaryList{Rows: []SummaryRow{{Key: "Provider", Value: s.OrganisationName}, {Key: "Kind", Tag: &kind},
			{Key: "Why", Value: s.Reason}, {Key: "From", Value: s.StartsOn.UK()}}}}
	return f.render(c, status, "admin_suspension_end", View{Title: "End the " + lowerFirst(kind.Text) + " of " + s.OrganisationName, Form: form, Data: d})
}

// adminEndSuspension lifts a suspension from the day after its new last day.
func (f *Frontend) adminEndSuspension(c *gin.Context) error {
	dir, err := f.providers()
	if err != nil {
		return err
	}
	s, err := f.currentSuspension(c)
	if err != nil {
		return err
	}
	form := endSuspensionForm().Bind(c)
	end := providers.SpanEnd{Reason: form.Value("reason")}
	end.EndsOn, err = form.BindDate(c, "ends_on", "Last day of the suspension", true)
	form.AddError(err)
	if !end.EndsOn.IsZero() && end.EndsOn.Before(s.StartsOn) {
		form.Add("ends_on", "The last day must be on or after "+s.StartsOn.UK()+", when it started")
	}
	if end.Reason == "" {
		form.Add("reason", "Enter why the suspension ends")
	}
	if form.HasErrors() {
		return f.drawEndSuspension(c, http.StatusBadRequest, form)
	}
	return f.once(c, "/admin/suspensions", func() error {
		_, err := dir.EndSuspension(f.ctx(c), ActorOf(c), s.ID, end)
		if form.AddError(err) {
			return f.drawEndSuspension(c, http.StatusBadRequest, form)
		} else if err != nil {
			return err
		}
		return f.flashTo(c, fmt.Sprintf("The %s of %s ends on %s", s.Kind, s.OrganisationName, end.EndsOn.UK()), "/admin/suspensions")
	})
}

// currentSuspension finds the suspension the path names among those in
// force or to come; an ended one is not found.
func (f *Frontend) currentSuspension(c *gin.Context) (providers.SuspensionInForce, error) {
	dir, id, err := subject(c, f.providers)
	if err != nil {
		return providers.SuspensionInForce{}, err
	}
	list, err := dir.CurrentSuspensions(f.ctx(c), ActorOf(c), f.today())
	if err != nil {
		return providers.SuspensionInForce{}, err
	}
	for _, s := range list {
		if s.ID == id {
			return s, nil
		}
	}
	return providers.SuspensionInForce{}, errs.NotFoundf("no suspension %s is in force", id)
}
