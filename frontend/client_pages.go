package frontend

import (
	"fmt"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/money"
)

// clientPages are the pages of the person receiving care, or their
// representative: their care and support (their home), the offers for each
// request side by side, choosing one, agreeing the start date, and the
// agreement. The use cases check that the request is the signed-in
// person's; another person's is "Page not found".
func clientPages(f *Frontend, r *Router) {
	c := accounts.Client
	r.Get("/your-care", f.yourCare, c)
	r.Get("/your-care/requests/:id", formPage(f.drawYourRequest, clientStartForm), c)
	r.Get("/your-care/requests/:id/choose/:offer", f.confirmChoice, c)
	r.Post("/your-care/requests/:id/choice", f.clientChoose, c)
	r.Post("/your-care/requests/:id/start-date", f.clientAgree, c)
	r.Post("/your-care/requests/:id/cannot-start", f.clientCannotStart, c)
	r.Get("/your-care/agreements/:id/document.html", f.brokerAgreementDocument, c)
	r.Get("/your-care/agreements/:id/document.pdf", f.brokerAgreementDocument, c)
}

func yourRequestPath(id uuid.UUID) string { return "/your-care/requests/" + id.String() }

// whereItStands says in plain words where a request is, for the person.
func whereItStands(r brokerage.RequestView) string {
	switch r.Status {
	case brokerage.Open, brokerage.Matching:
		return "We are finding care providers who could help."
	case brokerage.Invited:
		return "We have asked care providers to offer. Their offers will show here."
	case brokerage.OffersReceived:
		return "Care providers have made offers. Compare them and choose the one you want."
	case brokerage.Chosen:
		return "You have chosen a provider. Next, agree the date your care starts."
	case brokerage.Agreed:
		if !r.AgreedStartDate.IsZero() {
			return "Agreed. Your care starts on " + r.AgreedStartDate.UK() + "."
		}
		return "Agreed."
	case brokerage.NoOffers:
		return "No provider could offer in time. We are looking again and will be in touch."
	case brokerage.OnHold:
		return "On hold for now. Your social worker or broker will tell you why."
	case brokerage.Cancelled:
		return "Cancelled."
	}
	return r.StatusLabel
}

type yourCareData struct {
	Needs    Table
	Requests []yourRequestItem
	Why      string
	AllMet   bool
	NoPlan   bool
}

type yourRequestItem struct {
	Title  string
	Href   string
	Status Tag
	Words  string
	Action string // the link's words
}

// yourCare is the person's home: each need of their plan and where it
// stands, and the care being arranged for them.
func (f *Frontend) yourCare(c *gin.Context) error {
	svc, err := f.brokerage()
	if err != nil {
		return err
	}
	ctx, a := f.ctx(c), ActorOf(c)
	d := yourCareData{}
	if a.PersonID != uuid.Nil {
		pn, err := svc.PersonNeeds(ctx, a, a.PersonID)
		if err != nil {
			return err
		}
		d.AllMet, d.NoPlan = pn.AllNeedsMet, len(pn.Plans) == 0
		d.Needs = Table{Caption: "What your plan says you need", Head: []Cell{{Text: "What you want to achieve"}, {Text: "How it will be met"}, {Text: "Where it stands"}}}
		for _, p := range pn.Plans {
			for _, n := range p.Needs {
				tag := Tag{Text: "Not in place yet", Class: "govuk-tag--yellow"}
				if n.State == brokerage.Met {
					tag = Tag{Text: "In place", Class: "govuk-tag--green"}
				}
				d.Needs.Rows = append(d.Needs.Rows, []Cell{{Text: n.Outcome}, {Text: upperFirst(n.RouteLabel)}, {Tag: &tag}})
			}
		}
	}
	reqs, err := svc.Requests(ctx, a, brokerage.RequestFilter{})
	if err != nil {
		return err
	}
	for _, r := range reqs {
		item := yourRequestItem{Title: serviceTypeName(string(r.ServiceType)) + ", " + r.Amount, Href: yourRequestPath(r.ID),
			Status: clientTag(r.Status), Words: whereItStands(r), Action: "See the details"}
		switch r.Status {
		case brokerage.OffersReceived:
			item.Action = "Compare the offers and choose"
		case brokerage.Chosen:
			item.Action = "Agree the start date"
		case brokerage.Agreed:
			item.Action = "See your agreement"
		}
		d.Requests = append(d.Requests, item)
	}
	return f.ok(c, "client_home", View{Title: "Your care and support", Data: d})
}

// clientTag is a request's status as the person reads it.
func clientTag(s brokerage.Status) Tag {
	switch s {
	case brokerage.Open, brokerage.Matching, brokerage.Invited:
		return Tag{Text: "Finding providers", Class: "govuk-tag--blue"}
	case brokerage.OffersReceived:
		return Tag{Text: "Offers to choose from", Class: "govuk-tag--turquoise"}
	case brokerage.Chosen:
		return Tag{Text: "Start date to agree", Class: "govuk-tag--pink"}
	}
	return StatusTag(string(s))
}

// offerCard is one offer as the person compares it with the others.
type offerCard struct {
	ID        uuid.UUID
	Title     string
	Rows      SummaryList
	Choosable bool
	Chosen    bool
	Why       string // why it cannot be chosen
}

type yourRequestData struct {
	Request   brokerage.RequestView
	Status    Tag
	Words     string
	Cards     []offerCard
	Summary   SummaryList
	Chosen    *offerCard
	CanAgree  bool
	Start     DateInput
	Agreement *agreementSection
	// CannotStart is the reason field of "the provider I chose cannot
	// start", offered while the start date is still to agree.
	CannotStart Field
}

func clientStartForm() *Form {
	return NewForm(DateField("start_date", "Start date", ""), Field{Name: "cannot_start_reason", Label: "What has happened?",
		Hint: "For example, they told you they no longer have a place. The provider will see this."})
}

// drawYourRequest shows a request: the offers side by side, or the choice
// and the start date, or the agreement.
func (f *Frontend) drawYourRequest(c *gin.Context, status int, form *Form) error {
	svc, id, err := subject(c, f.brokerage)
	if err != nil {
		return err
	}
	ctx, a := f.ctx(c), ActorOf(c)
	cmp, err := svc.Offers(ctx, a, id)
	if err != nil {
		return err
	}
	r := cmp.Request
	d := yourRequestData{Request: r, Status: clientTag(r.Status), Words: whereItStands(r)}
	d.Summary = SummaryList{Rows: []SummaryRow{
		{Key: "Care", Value: serviceTypeName(string(r.ServiceType)) + ", " + r.Amount},
		{Key: "Wanted from", Value: r.StartDate.UK()},
		{Key: "Your budget for it", Value: money.Format(r.BudgetWeeklyPence) + " a week"},
	}}
	for _, o := range cmp.Offers {
		card := f.offerCardOf(c, o, r)
		if cmp.Choice != nil && cmp.Choice.OfferID == o.ID {
			card.Chosen = true
			cc := card
			d.Chosen = &cc
		}
		d.Cards = append(d.Cards, card)
	}
	if r.Status == brokerage.Chosen && d.Chosen != nil {
		d.CanAgree = true
		var earliest = r.StartDate
		for _, o := range cmp.Offers {
			if o.ID == cmp.Choice.OfferID {
				earliest = o.EarliestStart
			}
		}
		if form.Value("start_date-day") == "" && !form.HasErrors() {
			form.SetDate("start_date", earliest)
		}
		d.Start = form.DateInput("start_date")
		d.Start.Hint = fmt.Sprintf("On or after %s, when %s can start. For example, %d %d %d", earliest.UK(), d.Chosen.Title,
			earliest.Day, int(earliest.Month), earliest.Year)
		d.CannotStart = form.Field("cannot_start_reason")
	}
	if r.AgreementID != nil {
		deals, err := f.agreements()
		if err != nil {
			return err
		}
		ag, err := deals.Agreement(ctx, a, *r.AgreementID)
		if err != nil {
			return err
		}
		d.Agreement = agreementOf(ag)
		d.Agreement.HTML = "/your-care/agreements/" + ag.ID.String() + "/document.html"
		d.Agreement.PDF = "/your-care/agreements/" + ag.ID.String() + "/document.pdf"
	}
	title := serviceTypeName(string(r.ServiceType)) + ", " + r.Amount
	return f.render(c, status, "client_request", View{Title: title, Form: form, Data: d})
}

// offerCardOf describes an offer in the words a person compares offers
// by: price against their budget, hours, start, the CQC rating (public
// information from the directory), distance and what the provider said.
func (f *Frontend) offerCardOf(c *gin.Context, o brokerage.OfferView, r brokerage.RequestView) offerCard {
	price := o.WeeklyPrice + " a week"
	switch {
	case o.OverByPence > 0:
		price += fmt.Sprintf(" (%s more than your budget)", money.Format(o.OverByPence))
	default:
		price += " (within your budget)"
	}
	rows := []SummaryRow{
		{Key: "Price", Value: price},
		{Key: "Care", Value: o.Amount},
		{Key: "Could start", Value: o.EarliestStart.UK()},
	}
	if f.deps.Providers != nil {
		if s, err := f.deps.Providers.Service(f.ctx(c), o.ServiceID); err == nil {
			rows = append(rows, SummaryRow{Key: "CQC rating", Value: s.Location.Rating.English()})
		}
	}
	if o.Match != nil {
		rows = append(rows, SummaryRow{Key: "Distance", Value: km(o.Match.DistanceKm) + " from you"})
	}
	rows = append(rows, SummaryRow{Key: "What they said", Value: orNone(o.Notes)},
		SummaryRow{Key: "Offer stands until", Value: o.ValidUntil.UK()})
	card := offerCard{ID: o.ID, Title: providerService(o.ProviderName, o.ServiceName), Rows: SummaryList{Rows: rows}, Choosable: o.Choosable}
	if !o.Choosable && o.NotChoosable != "" && r.Status == brokerage.OffersReceived {
		card.Why = sentence(o.NotChoosable)
	}
	return card
}

// upperFirst starts a sentence with a capital letter.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
