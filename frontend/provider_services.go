package frontend

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/money"
	"github.com/carebroker/carebroker/providers"
)

// The capacity and rates of a provider's services, which the matcher
// reads: keeping them current is what gets the provider invited to
// requests it can take.

type providerServicesData struct {
	Services Table
}

// providerServices lists the organisation's services with the capacity
// free today and the rate in force.
func (f *Frontend) providerServices(c *gin.Context) error {
	dir, err := f.providers()
	if err != nil {
		return err
	}
	ctx, a := f.ctx(c), ActorOf(c)
	if _, err := dir.OrganisationFor(ctx, a, a.ProviderOrgID); err != nil {
		return err
	}
	svcs, err := dir.OrganisationServices(ctx, a.ProviderOrgID)
	if err != nil {
		return err
	}
	t := Table{Caption: "Your services", Small: true, Head: []Cell{{Text: "Service"}, {Text: "Type"}, {Text: "Postcode"},
		{Text: "Free today", Numeric: true}, {Text: "Rate today", Numeric: true}}}
	today := f.today()
	for _, s := range svcs {
		steps, err := dir.Capacity(ctx, a, s.ID)
		if err != nil {
			return err
		}
		rates, err := dir.Rates(ctx, a, s.ID)
		if err != nil {
			return err
		}
		t.Rows = append(t.Rows, []Cell{{Text: s.Location.Name, Href: "/provider/services/" + s.ID.String()},
			{Text: serviceTypeName(string(s.ServiceType))}, {Text: s.Location.Postcode},
			{Text: freeOn(steps, today, s.ServiceType), Numeric: true}, {Text: rateOn(rates, today, s.ServiceType), Numeric: true}})
	}
	return f.ok(c, "provider_services", View{Title: "Capacity and rates", Data: providerServicesData{Services: t}})
}

// freeOn is the capacity free on d: "12 hours a week", "None".
func freeOn(steps []providers.CapacityStep, d day.Date, t providers.ServiceType) string {
	var in *providers.CapacityStep
	for i := range steps {
		if !steps[i].From.After(d) {
			in = &steps[i]
		}
	}
	if in == nil || in.Free <= 0 {
		return "None"
	}
	return units(in.Free, t)
}

// units is an amount of capacity: "0 hours a week", "1 place".
func units(n int, t providers.ServiceType) string {
	switch {
	case t.HourBased() && n == 1:
		return "1 hour a week"
	case t.HourBased():
		return fmt.Sprintf("%d hours a week", n)
	case n == 1:
		return "1 place"
	}
	return fmt.Sprintf("%d places", n)
}

func rateOn(rates []providers.Rate, d day.Date, t providers.ServiceType) string {
	r, ok := providers.RateOn(rates, d)
	if !ok {
		return "No rate"
	}
	return money.Format(r.Pence) + " a" + map[bool]string{true: "n hour", false: " week"}[t.HourBased()]
}

type providerServiceData struct {
	Service   providers.Service
	Type      string
	UnitWord  string
	Capacity  Table
	Rates     Table
	From      DateInput
	Units     Field
	Rate      Field
	RateFrom  DateInput
	HourBased bool
}

func serviceForm(hourBased bool) *Form {
	unitsLabel, rateLabel, rateHint := "Places", "Price a place a week", "In pounds, for example 950.00"
	if hourBased {
		unitsLabel, rateLabel, rateHint = "Hours a week you can take on", "Hourly rate", "In pounds, for example 24.50"
	}
	return NewForm(
		DateField("from", "Date it applies from", "The first day this capacity applies. Later changes you have made keep their own amounts. For example, 1 12 2026"),
		Field{Name: "units", Label: unitsLabel, Hint: "Your total, including care already agreed", Width: "govuk-input--width-4", InputMode: "numeric"},
		Field{Name: "rate", Label: rateLabel, Hint: rateHint, Prefix: "£", Width: "govuk-input--width-5", InputMode: "decimal", NoSpellcheck: true},
		DateField("rate_from", "Date the rate applies from", "The rate in force before then ends the day before. For example, 1 4 2027"),
	)
}

func (f *Frontend) providerService(c *gin.Context) error {
	return f.drawService(c, http.StatusOK, nil)
}

// drawService shows one service's capacity calendar and rates with the
// forms that change them.
func (f *Frontend) drawService(c *gin.Context, status int, form *Form) error {
	dir, id, s, err := f.serviceAction(c)
	if err != nil {
		return err
	}
	ctx, a := f.ctx(c), ActorOf(c)
	steps, err := dir.Capacity(ctx, a, id)
	if err != nil {
		return err
	}
	rates, err := dir.Rates(ctx, a, id)
	if err != nil {
		return err
	}
	hb := s.ServiceType.HourBased()
	if form == nil {
		form = serviceForm(hb)
	}
	d := providerServiceData{Service: s, Type: serviceTypeName(string(s.ServiceType)), UnitWord: s.ServiceType.Unit(), HourBased: hb}
	d.Capacity = Table{Caption: "Capacity", CaptionClass: "govuk-table__caption--m", Small: true, Head: []Cell{{Text: "From"},
		{Text: "Total", Numeric: true}, {Text: "Taken by agreements", Numeric: true}, {Text: "Free", Numeric: true}}}
	for _, st := range steps {
		d.Capacity.Rows = append(d.Capacity.Rows, []Cell{{Text: st.From.UK()}, {Text: units(st.Units, s.ServiceType), Numeric: true},
			{Text: units(st.Reserved, s.ServiceType), Numeric: true}, {Text: units(st.Free, s.ServiceType), Numeric: true}})
	}
	d.Rates = Table{Caption: "Rates", CaptionClass: "govuk-table__caption--m", Small: true, Head: []Cell{{Text: "From"}, {Text: "Until"}, {Text: "Rate", Numeric: true}}}
	for _, r := range rates {
		until := "No end date"
		if !r.ValidTo.IsZero() {
			until = r.ValidTo.UK()
		}
		d.Rates.Rows = append(d.Rates.Rows, []Cell{{Text: r.ValidFrom.UK()}, {Text: until}, {Text: rateOn([]providers.Rate{r}, r.ValidFrom, s.ServiceType), Numeric: true}})
	}
	d.From, d.Units, d.Rate, d.RateFrom = form.DateInput("from"), form.Field("units"), form.Field("rate"), form.DateInput("rate_from")
	title := s.Location.Name + ": " + d.Type
	return f.render(c, status, "provider_service", View{Title: title, Form: form, Data: d})
}

// serviceAction reads the service of a service page, NotFound when it is
// another organisation's.
func (f *Frontend) serviceAction(c *gin.Context) (*providers.Store, uuid.UUID, providers.Service, error) {
	dir, id, err := subject(c, f.providers)
	if err != nil {
		return nil, uuid.Nil, providers.Service{}, err
	}
	s, err := dir.ServiceFor(f.ctx(c), ActorOf(c), id)
	return dir, id, s, err
}

func servicePath(id uuid.UUID) string { return "/provider/services/" + id.String() }

// providerCapacity sets the service's capacity from a day.
func (f *Frontend) providerCapacity(c *gin.Context) error {
	dir, id, s, err := f.serviceAction(c)
	if err != nil {
		return err
	}
	form := serviceForm(s.ServiceType.HourBased()).Bind(c)
	from, err := form.BindDate(c, "from", "Date it applies from", true)
	form.AddError(err)
	n, ok := parseCount(form.Value("units"))
	switch {
	case form.Value("units") == "":
		form.Add("units", "Enter how much you can take on in total, like 40")
	case !ok:
		form.Add("units", "Enter a whole number, like 40")
	}
	if form.HasErrors() {
		return f.drawService(c, http.StatusBadRequest, form)
	}
	return f.once(c, servicePath(id), func() error {
		_, err := dir.SetCapacity(f.ctx(c), ActorOf(c), id, providers.CapacityChange{From: from, Units: n})
		if fieldError(form, err, map[string]string{"from": "from", "units": "units"}) {
			return f.drawService(c, http.StatusBadRequest, form)
		} else if err != nil {
			return err
		}
		return f.flashTo(c, fmt.Sprintf("From %s you have %s in total", from.UK(), units(n, s.ServiceType)), servicePath(id))
	})
}

// providerRate adds the service's price from a day.
func (f *Frontend) providerRate(c *gin.Context) error {
	dir, id, s, err := f.serviceAction(c)
	if err != nil {
		return err
	}
	form := serviceForm(s.ServiceType.HourBased()).Bind(c)
	pence, ok := parsePounds(form.Value("rate"))
	switch {
	case form.Value("rate") == "":
		form.Add("rate", "Enter the rate, like 24.50")
	case !ok:
		form.Add("rate", "The rate must be an amount of money, like 24.50")
	}
	from, err := form.BindDate(c, "rate_from", "Date the rate applies from", true)
	form.AddError(err)
	if form.HasErrors() {
		return f.drawService(c, http.StatusBadRequest, form)
	}
	return f.once(c, servicePath(id), func() error {
		r, err := dir.AddRate(f.ctx(c), ActorOf(c), id, providers.NewRate{Pence: pence, ValidFrom: from})
		if fieldError(form, err, map[string]string{"pence": "rate", "valid_from": "rate_from"}) {
			return f.drawService(c, http.StatusBadRequest, form)
		} else if err != nil {
			return err
		}
		return f.flashTo(c, fmt.Sprintf("From %s your rate is %s", from.UK(), rateOn([]providers.Rate{r}, from, s.ServiceType)), servicePath(id))
	})
}

// fieldError puts a use case's error that names a field on the page's
// field: an Invalid one, and a Conflict about a field's value (capacity
// below what is already agreed, a rate overlapping another), which the
// person fixes by changing what they typed.
func fieldError(form *Form, err error, fields map[string]string) bool {
	e := errs.As(err)
	if e == nil || e.Field == "" {
		return false
	}
	name, ok := fields[e.Field]
	if !ok {
		return false
	}
	if e.Code != errs.Invalid && e.Code != errs.Conflict {
		return false
	}
	copy := *e
	copy.Code, copy.Field = errs.Invalid, name
	return form.AddError(&copy)
}
