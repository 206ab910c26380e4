package agreements

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/money"
)

// Format is a rendering of the agreement document.
type Format string

// The formats.
const (
	HTML Format = "html"
	PDF  Format = "pdf"
)

// Document is a rendered agreement, ready to send.
type Document struct {
	Filename    string
	ContentType string
	Body        []byte
}

// Document renders the agreement for an actor who may see it (the same
// rule as Agreement; finance may download the agreements sent to it) and
// records the download in the audit trail. It returns NotFound for an
// agreement the actor may not see and Invalid for an unknown format.
func (s *Store) Document(ctx context.Context, actor accounts.Actor, id uuid.UUID, format Format) (Document, error) {
	if format != HTML && format != PDF {
		return Document{}, errs.InvalidField("format", "must be html or pdf")
	}
	a, err := s.visibleAgreement(ctx, actor, id)
	if err != nil {
		return Document{}, err
	}
	var buf bytes.Buffer
	doc := Document{Filename: a.Reference + "." + string(format)}
	if format == HTML {
		doc.ContentType = "text/html; charset=utf-8"
		err = renderHTML(&buf, a, s.council)
	} else {
		doc.ContentType = "application/pdf"
		err = renderPDF(&buf, a, s.council)
	}
	if err != nil {
		return Document{}, errs.Internalf(err, "render agreement %s", a.Reference)
	}
	doc.Body = buf.Bytes()
	if actor.Role != accounts.System {
		err = audit.Record(ctx, s.db, audit.Entry{
			Actor: actor, Action: "agreement.document", ObjectType: "agreement", ObjectID: a.ID.String(),
			PersonID: a.PersonID, Summary: map[string]any{"reference": a.Reference, "format": format},
		})
	}
	return doc, err
}

// docModel is the agreement as both renderings show it, so the HTML and the
// PDF cannot disagree about a number.
type docModel struct {
	Title     string
	Reference string
	Status    string
	MadeOn    string
	Sections  []docSection
	Terms     []string
	Terms0    string
}

type docSection struct {
	Heading string
	Rows    []docRow
}

type docRow struct{ Label, Value string }

var serviceTypeNames = map[string]string{
	"homecare": "Home care", "specialist_homecare": "Specialist home care", "residential_care": "Residential care",
	"nursing_care": "Nursing care", "specialist_residential_nursing": "Specialist residential or nursing care",
	"supported_living": "Supported living", "respite": "Respite", "specialist_respite": "Specialist respite",
	"day_services": "Day services", "specialist_day_services": "Specialist day services",
	"shared_lives": "Shared lives", "reablement": "Reablement",
}

func modelOf(a Agreement, council Council) docModel {
	typeName := serviceTypeNames[a.ServiceType]
	if typeName == "" {
		typeName = a.ServiceType
	}
	amount := docRow{"Hours per week", fmt.Sprintf("%d", a.HoursPerWeek)}
	rate := docRow{"Hourly rate", money.Format(a.HourlyRatePence)}
	if !a.HourBased() {
		amount = docRow{"Places", fmt.Sprintf("%d", a.Places)}
		rate = docRow{"Rate", money.Format(a.WeeklyCostPence) + " a week"}
	}
	status := map[Status]string{Active: "Active", Ended: "Ended", Varied: "Replaced by a variation"}[a.Status]
	m := docModel{
		Title: "Service agreement", Reference: a.Reference, Status: status, MadeOn: a.CreatedAt.UTC().Format("2 January 2006"),
		Sections: []docSection{
			{"Parties", partyRows(a, council)},
			{"The service", []docRow{
				{"Service", a.ServiceName},
				{"Type of service", typeName},
				amount,
				{"Start date", a.StartDate.UK()},
			}},
			{"Cost and funding", append([]docRow{
				rate,
				{"Weekly cost", money.Format(a.WeeklyCostPence)},
				{"Funding", a.Funding.Describe()},
			}, overBudgetRows(a)...)},
			{"Reviews", []docRow{
				{"Welfare check (72 hours)", "by " + a.Reviews.WelfareCheckDue.UK()},
				{"First review", "between " + a.Reviews.FirstReviewFrom.UK() + " and " + a.Reviews.FirstReviewBy.UK()},
				{"Yearly review", "by " + a.Reviews.AnnualReviewDue.UK() + ", then at least every 12 months"},
			}},
			{"Acceptance", acceptanceRows(a)},
		},
		Terms0: "These terms are version " + a.TermsVersion + " of the council's standard terms for arranged care.",
		Terms: []string{
			"The provider will deliver the service described above from the start date, meeting the needs and outcomes in the information pack the council has shared, and respecting the person's preferences.",
			"The provider will tell the council within 24 hours of a safeguarding concern, a missed or late visit, a hospital admission, or a change in the person's needs.",
			paymentTerm(a.Funding),
			"The weekly cost stays as above unless the council agrees a variation in writing.",
			"The council will review the service on the dates above and the provider will take part. The person may ask for a review at any time.",
			"Either the council or the provider may end this agreement with four weeks' notice in writing. The person may ask the council to arrange a different provider at any time.",
			"The provider uses the person's information only to deliver this service, keeps it secure and handles it under UK data protection law.",
		},
	}
	return m
}

func paymentTerm(f Funding) string {
	switch f {
	case SelfFunded:
		return "The person pays the provider directly. The council has arranged the service at the person's request and no financial assessment applies."
	case IndividualServiceFund:
		return "The council pays the weekly cost to the provider, who holds it as the person's individual service fund, spends it only on the person's agreed support, and accounts for it to the council."
	}
	return "The council pays the provider the weekly cost four-weekly in arrears. The person's contribution, if any, is set by the council's financial assessment and collected by the council."
}

//go:embed templates/agreement.html.tmpl
var templatesFS embed.FS

var htmlTemplate = template.Must(template.ParseFS(templatesFS, "templates/agreement.html.tmpl"))

// RenderHTML writes the agreement document as a standalone HTML page (no
// scripts, no inline styles, so it passes the service's CSP).
func RenderHTML(w io.Writer, a Agreement, council string) error {
	return renderHTML(w, a, Council{Name: council})
}

func renderHTML(w io.Writer, a Agreement, council Council) error {
	return htmlTemplate.Execute(w, modelOf(a, council))
}

// partyRows name the parties properly: the council with its address and
// the team to contact, the provider with where the service is registered
// (CQC location id and address), and the person.
func partyRows(a Agreement, c Council) []docRow {
	rows := []docRow{{"Council", c.Name}}
	if c.Address != "" {
		rows = append(rows, docRow{"Council's address", c.Address})
	}
	if c.Team != "" {
		team := c.Team
		if c.Contact != "" {
			team += " (" + c.Contact + ")"
		}
		rows = append(rows, docRow{"Team to contact", team})
	}
	rows = append(rows, docRow{"Provider", a.ProviderName})
	if a.LocationName != "" || a.LocationAddress != "" {
		rows = append(rows, docRow{"Service registered at", strings.Trim(a.LocationName+", "+a.LocationAddress, ", ")})
	}
	if a.CQCLocationID != "" {
		rows = append(rows, docRow{"CQC location id", a.CQCLocationID})
	}
	return append(rows, docRow{"Person receiving the service", a.PersonName})
}

// overBudgetRows say how much over the budget a budget approver allowed,
// and who, when anyone did.
func overBudgetRows(a Agreement) []docRow {
	if a.OverBudget == nil {
		return nil
	}
	when := ""
	if a.OverBudget.ApprovedAt != nil {
		when = " on " + a.OverBudget.ApprovedAt.In(day.London).Format("2 January 2006")
	}
	return []docRow{{"Over the budget", money.Format(a.OverBudget.WeeklyPence) + " a week, allowed by " + a.OverBudget.ApprovedBy + when}}
}

// acceptanceRows are the place for both parties' acceptance.
func acceptanceRows(a Agreement) []docRow {
	council := "Accepted on " + a.Acceptance.CouncilAt.In(day.London).Format("2 January 2006 at 15:04")
	if a.Acceptance.CouncilBy != "" {
		council += " by " + a.Acceptance.CouncilBy
	}
	provider := "Not yet accepted: the provider accepts the agreement from its portal"
	if a.Acceptance.ProviderAt != nil {
		provider = "Accepted on " + a.Acceptance.ProviderAt.In(day.London).Format("2 January 2006 at 15:04") + " by " + a.Acceptance.ProviderBy
	}
	return []docRow{{"For the council", council}, {"For the provider", provider}}
}

// plainText is the document as lines of text, for tests and logs.
func plainText(m docModel) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", m.Title, m.Reference)
	for _, s := range m.Sections {
		for _, r := range s.Rows {
			fmt.Fprintf(&b, "%s: %s\n", r.Label, r.Value)
		}
	}
	return b.String()
}
