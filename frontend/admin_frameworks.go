package frontend

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/providers"
)

func adminFrameworkPages(f *Frontend, r *Router) {
	r.Nav("Frameworks", "/admin/frameworks", accounts.Admin)
	r.Get("/admin/frameworks", f.adminFrameworks, accounts.Admin)
	r.Get("/admin/frameworks/new", f.adminNewFramework, accounts.Admin)
	r.Post("/admin/frameworks", f.adminCreateFramework, accounts.Admin)
}

var frameworkKinds = map[providers.FrameworkKind]string{
	providers.KindFramework: "Framework agreement",
	providers.KindDPS:       "Dynamic purchasing system",
	providers.KindContract:  "Block contract",
}

// adminFrameworks lists the frameworks with their lots.
func (f *Frontend) adminFrameworks(c *gin.Context) error {
	dir, err := f.providers()
	if err != nil {
		return err
	}
	fws, err := dir.Frameworks(f.ctx(c))
	if err != nil {
		return err
	}
	t := Table{Caption: "Frameworks and contracts", Small: true, Head: []Cell{{Text: "Name"}, {Text: "Kind"}, {Text: "Runs"}, {Text: "Lots"}}}
	for _, fw := range fws {
		var lots []string
		for _, l := range fw.Lots {
			var types []string
			for _, st := range l.ServiceTypes {
				types = append(types, strings.ToLower(st.English()))
			}
			lots = append(lots, l.Name+" ("+strings.Join(types, ", ")+")")
		}
		t.Rows = append(t.Rows, []Cell{{Text: fw.Name}, {Text: frameworkKinds[fw.Kind]}, {Text: span(fw.StartsOn.UK(), fw.EndsOn.UK())},
			{Text: strings.Join(lots, "; ")}})
	}
	return f.ok(c, "admin_frameworks", View{Title: "Frameworks", Data: t})
}

// span writes a span of days: "From 1 April 2024", "1 April 2024 to 31 March 2027".
func span(from, to string) string {
	if to == "" {
		return "From " + from
	}
	return from + " to " + to
}

type newFrameworkData struct {
	Name, LotName      Field
	Kind, ServiceTypes Options
	StartsOn, EndsOn   DateInput
}

func newFrameworkForm() *Form {
	return NewForm(
		Field{Name: "name", Label: "Name", Hint: "As the contract names it, for example Home Care Framework 2026 to 2030."},
		Field{Name: "kind", Label: "Kind"},
		DateField("starts_on", "Starts on", "For example, 1 4 2026"),
		DateField("ends_on", "Ends on (optional)", "Leave blank if it has no end date yet."),
		Field{Name: "lot_name", Label: "Lot name", Hint: "The framework's first lot. Add more lots through the API."},
		Field{Name: "service_types", Label: "Service types in the lot"},
	)
}

func (f *Frontend) adminNewFramework(c *gin.Context) error {
	return f.drawNewFramework(c, http.StatusOK, newFrameworkForm(), nil)
}

func (f *Frontend) drawNewFramework(c *gin.Context, status int, form *Form, chosen map[string]bool) error {
	kinds := []Option{}
	for _, k := range []providers.FrameworkKind{providers.KindFramework, providers.KindDPS, providers.KindContract} {
		kinds = append(kinds, Option{Value: string(k), Text: frameworkKinds[k]})
	}
	types := form.Options(Options{Name: "service_types", Legend: "Service types in the lot", LegendSize: "s", Small: true})
	for _, st := range providers.ServiceTypes {
		types.Items = append(types.Items, Option{Value: string(st), Text: st.English(), Checked: chosen[string(st)]})
	}
	d := newFrameworkData{Name: form.Field("name"), LotName: form.Field("lot_name"),
		Kind: form.Options(Options{Name: "kind", Legend: "Kind", LegendSize: "s", Items: kinds}), ServiceTypes: types,
		StartsOn: form.DateInput("starts_on"), EndsOn: form.DateInput("ends_on")}
	return f.render(c, status, "admin_framework_new", View{Title: "Add a framework", Form: form, Data: d})
}

// adminCreateFramework adds a framework with its first lot.
func (f *Frontend) adminCreateFramework(c *gin.Context) error {
	dir, err := f.providers()
	if err != nil {
		return err
	}
	form := newFrameworkForm().Bind(c)
	chosen := map[string]bool{}
	n := providers.NewFramework{Name: form.Value("name"), Kind: providers.FrameworkKind(form.Value("kind"))}
	lot := providers.NewLot{Name: form.Value("lot_name")}
	for _, v := range c.PostFormArray("service_types") {
		chosen[v] = true
		lot.ServiceTypes = append(lot.ServiceTypes, providers.ServiceType(v))
	}
	n.Lots = []providers.NewLot{lot}
	if n.Name == "" {
		form.Add("name", "Enter the framework's name")
	}
	if n.Kind == "" {
		form.Add("kind", "Choose what kind of arrangement it is")
	}
	starts, err := form.BindDate(c, "starts_on", "Start date", true)
	form.AddError(err)
	ends, err := form.BindDate(c, "ends_on", "End date", false)
	form.AddError(err)
	n.StartsOn, n.EndsOn = starts, ends
	if lot.Name == "" {
		form.Add("lot_name", "Enter the lot's name")
	}
	if len(lot.ServiceTypes) == 0 {
		form.Add("service_types", "Choose at least one service type for the lot")
	}
	if form.HasErrors() {
		return f.drawNewFramework(c, http.StatusBadRequest, form, chosen)
	}
	return f.once(c, "/admin/frameworks", func() error {
		fw, err := dir.CreateFramework(f.ctx(c), ActorOf(c), n)
		if addFormError(form, err, map[string]string{"lots[0].name": "lot_name", "lots": "service_types"}) ||
			conflictOnField(form, err, "name", "A framework with this name already exists") {
			return f.drawNewFramework(c, http.StatusBadRequest, form, chosen)
		} else if err != nil {
			return err
		}
		return f.flashTo(c, fw.Name+" is added. Put providers on its lot through the provider directory", "/admin/frameworks")
	})
}
