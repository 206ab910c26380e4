package frontend

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/money"
	"github.com/carebroker/carebroker/packages"
)

// packagePages are the care packages agreements become (issue 16): the
// live packages a user may see, one package's dated lines and changes with
// the form to change it (council staff) or ask for a change (the
// provider), and the council's decision on what a provider asked.
func packagePages(f *Frontend, r *Router) {
	changers := []accounts.Role{accounts.Broker, accounts.Practitioner, accounts.ProviderUser}
	readers := append([]accounts.Role{accounts.Client, accounts.Finance, accounts.Admin}, changers...)
	r.Nav("Care packages", "/packages", accounts.Broker, accounts.Practitioner, accounts.ProviderUser, accounts.Client)
	r.Get("/packages", f.packageList, append([]accounts.Role{accounts.Client, accounts.Admin}, changers...)...)
	r.Get("/packages/:id", formPage(f.drawPackage, packageForm), readers...)
	r.Post("/packages/:id/changes", f.changePackage, changers...)
	r.Post("/packages/changes/:id", f.decidePackageChange, accounts.Broker, accounts.Practitioner)
	r.Post("/packages/:id/handback", f.handBackPackage, accounts.ProviderUser)
}

// packageStore is the deps' package store, or one on the deps' database,
// agreements, directory and clock.
func (f *Frontend) packageStore() (*packages.Store, error) {
	if f.deps.Packages != nil {
		return f.deps.Packages, nil
	}
	if f.deps.Agreements == nil {
		return nil, errs.Unavailablef(nil, "the agreements store is not wired")
	}
	opts := []packages.Option{packages.WithClock(f.deps.Now)}
	if f.deps.Providers != nil {
		opts = append(opts, packages.WithFrameworks(f.deps.Providers), packages.WithCapacity(f.deps.Providers))
	}
	return packages.NewStore(f.deps.DB, f.deps.Agreements, opts...), nil
}

type packageListData struct {
	Asked        Table
	HasAsked     bool
	Live         Table
	Handbacks    Table
	HasHandbacks bool
}

// packageList shows the changes providers asked for that wait (council staff
// decide them; a provider sees its own) and the live packages.
func (f *Frontend) packageList(c *gin.Context) error {
	pk, err := f.packageStore()
	if err != nil {
		return err
	}
	ctx, a := f.ctx(c), ActorOf(c)
	d := packageListData{
		Asked: Table{Caption: "Changes providers asked for", CaptionClass: "govuk-table__caption--m", Small: true,
			Head: []Cell{{Text: "Agreement"}, {Text: "Person"}, {Text: "Provider"}, {Text: "Asked on"}, {Text: "Change"}, {Text: "Why"}}},
		Live: Table{Caption: "Live care packages", CaptionClass: "govuk-table__caption--m", Small: true,
			Head: []Cell{{Text: "Agreement"}, {Text: "Person"}, {Text: "Provider"}, {Text: "Service"}, {Text: "Started"}}},
	}
	if a.Role != accounts.Client && a.Role != accounts.Admin {
		asked, err := pk.Asked(ctx, a)
		if err != nil {
			return err
		}
		for _, x := range asked {
			d.Asked.Rows = append(d.Asked.Rows, []Cell{{Text: x.Reference, Href: "/packages/" + x.AgreementID.String()}, {Text: x.PersonName},
				{Text: x.ProviderName}, {Text: UKDate(x.AskedAt)}, {Text: x.Describe()}, {Text: x.Reason}})
		}
		d.HasAsked = true
	}
	live, err := pk.Live(ctx, a)
	if err != nil {
		return err
	}
	for _, ag := range live {
		d.Live.Rows = append(d.Live.Rows, []Cell{{Text: ag.Reference, Href: "/packages/" + ag.ID.String()}, {Text: ag.PersonName},
			{Text: ag.ProviderName}, {Text: ag.ServiceName}, {Text: ag.StartDate.UK()}})
	}
	if a.Is(accounts.Broker, accounts.Admin) {
		counts, err := pk.HandbacksByProvider(ctx, a)
		if err != nil {
			return err
		}
		d.HasHandbacks = true
		d.Handbacks = Table{Caption: "Handbacks by provider", CaptionClass: "govuk-table__caption--m", Small: true,
			Head: []Cell{{Text: "Provider"}, {Text: "Handbacks", Numeric: true}, {Text: "Hours a week", Numeric: true}, {Text: "Places", Numeric: true}}}
		for _, x := range counts {
			d.Handbacks.Rows = append(d.Handbacks.Rows, []Cell{{Text: x.ProviderName}, {Text: strconv.Itoa(x.Handbacks), Numeric: true},
				{Text: strconv.Itoa(x.HoursPerWeek), Numeric: true}, {Text: strconv.Itoa(x.Places), Numeric: true}})
		}
	}
	return f.ok(c, "packages", View{Title: "Care packages", Data: d})
}

type packageData struct {
	ID        string
	Version   int
	Summary   SummaryList
	Lines     Table
	Changes   Table
	Asked     []askedDecision
	CanChange bool
	Provider  bool
	Kind      Options
	Cause     Options
	From      DateInput
	LastDay   DateInput
	ReturnsOn DateInput
	Units     Field
	Price     Field
	Reason    Field
	// The provider's handback form.
	HandbackReason Options
	HandbackLast   DateInput
	HandbackDetail Field
}

type askedDecision struct {
	ID       string
	What     string
	Decision Options
	Reason   Field
}

func packageForm() *Form {
	return NewForm(Field{Name: "kind", Label: "What changes"},
		DateField("from", "First day of the change", "For more or fewer hours, a new price, a pause or a return. For example, 27 3 2027"),
		DateField("last_day", "Last day of care", "Only for an end. The contract's notice applies, except after a death"),
		DateField("returns_on", "First day back, if known", "Only for a pause"),
		Field{Name: "units", Label: "New hours a week (or places)", Hint: "Only for more or fewer hours", Width: "govuk-input--width-3"},
		Field{Name: "price", Label: "New price of an hour (or of a place for a week), in pounds", Hint: "Only for a new price", Prefix: "£", Width: "govuk-input--width-5"},
		Field{Name: "cause", Label: "Why the care pauses or ends"},
		Field{Name: "reason", Label: "What has happened", Hint: "The person, the provider and finance see it"},
		Field{Name: "decision", Label: "Decision"}, Field{Name: "decision_reason", Label: "Reason"},
		Field{Name: "handback_reason", Label: "Why you are handing the care back"},
		DateField("handback_last_day", "Last day you will provide the care", "The contract's notice applies"),
		Field{Name: "handback_detail", Label: "Anything the council should know", Hint: "Optional"})
}

// drawPackage shows a package: what it costs today, its lines (each from a
// day to a day, ended the day before the next began), its changes with who
// made or asked them and why, the form to change it, and the decision on
// what the provider asked.
func (f *Frontend) drawPackage(c *gin.Context, status int, form *Form) error {
	pk, id, err := subject(c, f.packageStore)
	if err != nil {
		return err
	}
	a := ActorOf(c)
	p, err := pk.Package(f.ctx(c), a, id)
	if err != nil {
		return err
	}
	ag := p.Agreement
	d := packageData{ID: ag.ID.String(), Version: p.Version, Provider: a.Role == accounts.ProviderUser,
		CanChange: ag.Status == "active" && (a.Is(accounts.Broker, accounts.Practitioner, accounts.ProviderUser))}
	d.Summary = SummaryList{Rows: []SummaryRow{
		{Key: "Agreement", Value: ag.Reference}, {Key: "Person", Value: ag.PersonName},
		{Key: "Provider", Value: ag.ProviderName + ", " + ag.ServiceName},
		{Key: "Costs today", Value: money.Format(p.WeeklyCostToday) + " a week"},
		{Key: "Status", Value: strings.ToUpper(string(ag.Status[0])) + string(ag.Status[1:])},
	}}
	d.Lines = Table{Caption: "Lines", CaptionClass: "govuk-table__caption--m", Small: true,
		Head: []Cell{{Text: "From"}, {Text: "To"}, {Text: "Care"}, {Text: "Units"}, {Text: "Unit price", Numeric: true}, {Text: "A week", Numeric: true}, {Text: "Why"}}}
	for _, l := range p.Lines {
		to := "Open"
		if !l.To.IsZero() {
			to = l.To.UK()
		}
		care := "Delivered"
		if l.Kind == packages.SuspendedLine {
			care = "Paused"
		}
		if l.Withdrawn() {
			care, to = "Replaced before it began", "-"
		}
		units := strconv.Itoa(l.Places) + " places"
		if l.HoursPerWeek > 0 {
			units = strconv.Itoa(l.HoursPerWeek) + " hours a week"
		}
		d.Lines.Rows = append(d.Lines.Rows, []Cell{{Text: l.From.UK()}, {Text: to}, {Text: care}, {Text: units},
			{Text: money.Format(l.UnitPricePence), Numeric: true}, {Text: money.Format(l.WeeklyCostPence), Numeric: true}, {Text: l.Reason}})
	}
	d.Changes = Table{Caption: "What changed and why", CaptionClass: "govuk-table__caption--m", Small: true,
		Head: []Cell{{Text: "Asked on"}, {Text: "By"}, {Text: "Change"}, {Text: "Why"}, {Text: "Status"}, {Text: "Decision"}}}
	for _, ch := range p.Changes {
		by := "The council"
		if ch.Side == packages.Provider {
			by = "The provider"
		}
		st := StatusTag(string(ch.Status))
		d.Changes.Rows = append(d.Changes.Rows, []Cell{{Text: UKDate(ch.AskedAt)}, {Text: by}, {Text: ch.Describe()}, {Text: ch.Reason},
			{Tag: &st}, {Text: orNone(ch.DecisionReason)}})
		if ch.Status == packages.Asked && a.Is(accounts.Broker, accounts.Practitioner) {
			d.Asked = append(d.Asked, askedDecision{ID: ch.ID.String(), What: ch.Describe() + " (" + ch.Reason + ")",
				Decision: form.Options(Options{Name: "decision", Legend: "Do you approve this change?", LegendSize: "s", Inline: true,
					Items: []Option{{Value: "approve", Text: "Yes, approve it"}, {Value: "refuse", Text: "No, refuse it"}}}),
				Reason: form.Field("decision_reason")})
		}
	}
	kinds := []Option{{Value: "hours", Text: "More or fewer hours (or places)"}, {Value: "price", Text: "A new price"},
		{Value: "suspend", Text: "A pause, such as a hospital stay"}, {Value: "resume", Text: "Care starts again after a pause"},
		{Value: "end", Text: "The care ends"}}
	d.Kind = form.Options(Options{Name: "kind", Legend: "What changes?", LegendSize: "s", Items: kinds})
	d.Cause = form.Options(Options{Name: "cause", Legend: "Why the care pauses or ends", LegendSize: "s", Hint: "Only for a pause or an end", Items: []Option{
		{Value: "hospital", Text: "A hospital stay"}, {Value: "respite", Text: "Respite elsewhere"}, {Value: "death", Text: "The person died"},
		{Value: "moved", Text: "The person moved"}, {Value: "no_longer_needed", Text: "No longer needed"}, {Value: "other", Text: "Something else"}}})
	d.From, d.LastDay, d.ReturnsOn = form.DateInput("from"), form.DateInput("last_day"), form.DateInput("returns_on")
	d.Units, d.Price, d.Reason = form.Field("units"), form.Field("price"), form.Field("reason")
	d.HandbackReason = form.Options(Options{Name: "handback_reason", Legend: "Why are you handing the care back?", LegendSize: "s", Items: []Option{
		{Value: "staffing", Text: "Staffing"}, {Value: "travel", Text: "Travel"}, {Value: "risk", Text: "Risk"},
		{Value: "needs_changed", Text: "The person's needs changed"}, {Value: "price", Text: "Price"}}})
	d.HandbackLast, d.HandbackDetail = form.DateInput("handback_last_day"), form.Field("handback_detail")
	return f.render(c, status, "package", View{Title: "Care package " + ag.Reference, Form: form, Data: d})
}

// changePackage makes (council staff) or asks for (the provider) the change
// the form describes.
func (f *Frontend) changePackage(c *gin.Context) error {
	pk, id, err := subject(c, f.packageStore)
	if err != nil {
		return err
	}
	form := packageForm().Bind(c)
	n := packages.NewChange{Kind: packages.Kind(form.Value("kind")), Cause: form.Value("cause"), Reason: form.Value("reason")}
	n.Version, _ = strconv.Atoi(c.PostForm("version"))
	var bad bool
	from, err := form.BindDate(c, "from", "First day of the change", false)
	bad = form.AddError(err) || bad
	last, err := form.BindDate(c, "last_day", "Last day of care", false)
	bad = form.AddError(err) || bad
	back, err := form.BindDate(c, "returns_on", "First day back", false)
	bad = form.AddError(err) || bad
	n.From, n.LastDay, n.ReturnsOn = from, last, back
	if v := strings.TrimSpace(form.Value("units")); v != "" {
		u, ok := parseCount(v)
		if !ok {
			form.Add("units", "Enter the new hours a week as a whole number, like 14")
			bad = true
		} else {
			n.HoursPerWeek = &u
		}
	}
	if v := strings.TrimSpace(form.Value("price")); v != "" {
		p, ok := parsePounds(v)
		if !ok {
			form.Add("price", "Enter the new price in pounds, like 24.50")
			bad = true
		} else {
			n.UnitPricePence = &p
		}
	}
	if bad {
		return f.drawPackage(c, http.StatusBadRequest, form)
	}
	back2 := "/packages/" + id.String()
	return f.once(c, back2, func() error {
		a := ActorOf(c)
		p, err := pk.Package(f.ctx(c), a, id)
		if err == nil && n.HoursPerWeek != nil && p.Agreement.Places > 0 {
			n.Places, n.HoursPerWeek = n.HoursPerWeek, nil
		}
		if err == nil {
			_, err = pk.Change(f.ctx(c), a, id, n)
		}
		if addFormError(form, err, map[string]string{"hours_per_week": "units", "places": "units", "unit_price_pence": "price", "version": "kind"}) {
			return f.drawPackage(c, http.StatusBadRequest, form)
		} else if err != nil {
			return err
		}
		msg := "The change is made. Finance, the provider and the person have been told"
		if a.Role == accounts.ProviderUser {
			msg = "You asked for the change. The council will approve or refuse it"
		}
		return f.flashTo(c, msg, back2)
	})
}

// decidePackageChange approves or refuses, with a reason, what a provider
// asked.
func (f *Frontend) decidePackageChange(c *gin.Context) error {
	pk, id, err := subject(c, f.packageStore)
	if err != nil {
		return err
	}
	form := packageForm().Bind(c)
	agreementID, err := uuid.Parse(c.PostForm("agreement_id"))
	if err != nil {
		return errs.NotFoundf("there is no such package")
	}
	back := "/packages/" + agreementID.String()
	decision := form.Value("decision")
	if decision != "approve" && decision != "refuse" {
		form.Add("decision", "Select yes to approve the change or no to refuse it")
	} else if decision == "refuse" && strings.TrimSpace(form.Value("decision_reason")) == "" {
		form.Add("decision_reason", "Enter why you are refusing the change")
	}
	if form.HasErrors() {
		c.Params = gin.Params{{Key: "id", Value: agreementID.String()}}
		return f.drawPackage(c, http.StatusBadRequest, form)
	}
	return f.once(c, back, func() error {
		_, err := pk.Decide(f.ctx(c), ActorOf(c), id, packages.Decision{Approve: decision == "approve", Reason: form.Value("decision_reason")})
		if addFormError(form, err, map[string]string{"reason": "decision_reason"}) {
			c.Params = gin.Params{{Key: "id", Value: agreementID.String()}}
			return f.drawPackage(c, http.StatusBadRequest, form)
		} else if err != nil {
			return err
		}
		return f.flashTo(c, fmt.Sprintf("You %s the provider's change. The provider has been told", map[string]string{"approve": "approved", "refuse": "refused"}[decision]), back)
	})
}

// handBackPackage records the provider's notice that it will stop the care.
func (f *Frontend) handBackPackage(c *gin.Context) error {
	pk, id, err := subject(c, f.packageStore)
	if err != nil {
		return err
	}
	form := packageForm().Bind(c)
	last, err := form.BindDate(c, "handback_last_day", "Last day you will provide the care", true)
	if form.AddError(err) {
		return f.drawPackage(c, http.StatusBadRequest, form)
	}
	version, _ := strconv.Atoi(c.PostForm("version"))
	back := "/packages/" + id.String()
	return f.once(c, back, func() error {
		_, err := pk.HandBack(f.ctx(c), ActorOf(c), id, packages.NewHandback{Version: version, LastDay: last,
			Reason: form.Value("handback_reason"), Detail: form.Value("handback_detail")})
		if addFormError(form, err, map[string]string{"reason": "handback_reason", "last_day": "handback_last_day", "detail": "handback_detail"}) {
			return f.drawPackage(c, http.StatusBadRequest, form)
		} else if err != nil {
			return err
		}
		return f.flashTo(c, "You handed the care back. The council and the person have been told", back)
	})
}
