package frontend

import (
	"fmt"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/money"
)

// providerPages are a care provider's pages: the invitations sent to their
// organisation (their home) with the forms to offer or decline, their
// offers and agreements, and the capacity and rates of their services.
// Every page calls the use case the API calls with the signed-in user, so a
// provider sees only their own organisation's.
func providerPages(f *Frontend, r *Router) {
	p := accounts.ProviderUser
	r.Get("/provider/invitations", f.providerInvitations, p)
	r.Get("/provider/invitations/:id", formPage(f.drawInvitation, offerForm), p)
	r.Post("/provider/invitations/:id/offer", f.providerOffer, p)
	r.Post("/provider/invitations/:id/decline", f.providerDecline, p)
	r.Post("/provider/invitations/:id/withdraw", f.providerWithdraw, p)
	r.Post("/provider/agreements/:id/accept", f.providerAcceptAgreement, p)
	r.Nav("Offers and agreements", "/provider/offers", p)
	r.Get("/provider/offers", f.providerOffers, p)
	r.Get("/provider/agreements/:id/document.html", f.brokerAgreementDocument, p)
	r.Get("/provider/agreements/:id/document.pdf", f.brokerAgreementDocument, p)
	r.Nav("Capacity and rates", "/provider/services", p)
	r.Get("/provider/services", f.providerServices, p)
	r.Get("/provider/services/:id", f.providerService, p)
	r.Post("/provider/services/:id/capacity", f.providerCapacity, p)
	r.Post("/provider/services/:id/rates", f.providerRate, p)
}

func invitationPath(id uuid.UUID) string { return "/provider/invitations/" + id.String() }

type invitationsData struct {
	Waiting Table
	Others  Table
}

// providerInvitations lists the invitations: those waiting for an answer
// first, with when each is due, then the rest.
func (f *Frontend) providerInvitations(c *gin.Context) error {
	invs, err := load(f, c, f.brokerage, (*brokerage.Service).Invitations)
	if err != nil {
		return err
	}
	head := []Cell{{Text: "Request"}, {Text: "Service"}, {Text: "Area"}, {Text: "Wanted from"}, {Text: "Answer"}, {Text: "Status"}}
	d := invitationsData{
		Waiting: Table{Caption: "Waiting for your answer", Small: true, Head: head},
		Others:  Table{Caption: "Answered and closed", Small: true, Head: head},
	}
	now := f.now()
	for _, inv := range invs {
		due, overdue := dueIn(now, inv.Deadline)
		tag := StatusTag(inv.Outcome)
		if inv.Outcome == "awaiting_answer" && overdue {
			tag = StatusTag("overdue")
		}
		row := []Cell{{Text: inv.Request.Reference, Href: invitationPath(inv.ID)}, {Text: requestAmount(inv.Request)},
			{Text: inv.Request.PostcodeDistrict}, {Text: inv.Request.StartDate.UK()}}
		if inv.Outcome == "awaiting_answer" {
			d.Waiting.Rows = append(d.Waiting.Rows, append(row, Cell{Text: due}, Cell{Tag: &tag}))
		} else {
			d.Others.Rows = append(d.Others.Rows, append(row, Cell{Text: answerOf(inv)}, Cell{Tag: &tag}))
		}
	}
	return f.ok(c, "provider_invitations", View{Title: "Invitations", Data: d})
}

// requestAmount is "Home care, 14 hours a week".
func requestAmount(r brokerage.RequestSummary) string {
	return serviceTypeName(string(r.ServiceType)) + ", " + r.Amount
}

// answerOf is what the provider answered, in a few words.
func answerOf(inv brokerage.InvitationView) string {
	switch {
	case inv.Offer != nil:
		return fmt.Sprintf("Offered %s a week", money.Format(inv.Offer.WeeklyPricePence))
	case inv.Status == brokerage.InvitationDeclined:
		return "Declined"
	}
	return "No answer"
}

// invitationPage is one invitation: the request, when the answer is due,
// the forms to offer or decline, or the answer given and what came of it.
type invitationPage struct {
	Invitation brokerage.InvitationView
	Title      string
	Status     Tag
	Due        string
	Overdue    bool
	Request    SummaryList
	CanAnswer  bool
	HourBased  bool

	Rate, Hours, Price, Places, Notes, Reason Field
	Start, ValidUntil                         DateInput

	Offer          *SummaryList
	CanWithdraw    bool // the offer is open: not yet chosen, closed or withdrawn
	WithdrawReason Field
	Agreement      *agreementSection
}

func (f *Frontend) drawInvitation(c *gin.Context, status int, form *Form) error {
	svc, id, err := subject(c, f.brokerage)
	if err != nil {
		return err
	}
	ctx, a := f.ctx(c), ActorOf(c)
	inv, err := svc.Invitation(ctx, a, id)
	if err != nil {
		return err
	}
	r := inv.Request
	p := &invitationPage{Invitation: inv, Title: requestAmount(r), Status: StatusTag(inv.Outcome),
		HourBased: r.HoursPerWeek > 0}
	p.Due, p.Overdue = dueIn(f.now(), inv.Deadline)
	if inv.Outcome == "awaiting_answer" && p.Overdue {
		p.Status = StatusTag("overdue")
	}
	p.Request = requestSummaryList(r, p.Due)
	p.CanAnswer = inv.Outcome == "awaiting_answer" && !p.Overdue
	if p.CanAnswer {
		if !form.HasErrors() && form.Value("hours_per_week") == "" && form.Value("places") == "" {
			form.Set("hours_per_week", itoaNonZero(r.HoursPerWeek))
			form.Set("places", itoaNonZero(r.Places))
			start := r.StartDate
			if start.Before(f.today()) {
				start = f.today()
			}
			form.SetDate("earliest_start", start)
			form.SetDate("valid_until", start.AddDays(28))
		}
		p.Rate, p.Hours, p.Price, p.Places = form.Field("hourly_rate"), form.Field("hours_per_week"), form.Field("weekly_price"), form.Field("places")
		p.Notes, p.Reason = form.Field("notes"), form.Field("reason")
		p.Start, p.ValidUntil = form.DateInput("earliest_start"), form.DateInput("valid_until")
	}
	if o := inv.Offer; o != nil {
		rows := []SummaryRow{{Key: "Price", Value: money.Format(o.WeeklyPricePence) + " a week for " + brokerage.Amount(o.HoursPerWeek, o.Places)}}
		if o.HourlyRatePence > 0 {
			rows = append(rows, SummaryRow{Key: "Hourly rate", Value: money.Format(o.HourlyRatePence) + " an hour"})
		}
		rows = append(rows, SummaryRow{Key: "Could start", Value: o.EarliestStart.UK()},
			SummaryRow{Key: "Offer stands until", Value: o.ValidUntil.UK()},
			SummaryRow{Key: "Your message", Value: orNone(o.Notes)},
			SummaryRow{Key: "Sent", Value: UKDateTime(o.CreatedAt)})
		if o.OverBudget {
			rows = append(rows, SummaryRow{Key: "Budget", Value: "Over the person's budget: a budget approver decides whether it can be chosen"})
		}
		if o.Status == brokerage.OfferWithdrawn && o.WithdrawnAt != nil {
			rows = append(rows, SummaryRow{Key: "Withdrawn", Value: "You withdrew this offer on " + UKDateTime(*o.WithdrawnAt) + reasonSuffix(o.WithdrawReason)})
		}
		if !inv.AgreedStartDate.IsZero() {
			rows = append(rows, SummaryRow{Key: "Agreed start date", Value: inv.AgreedStartDate.UK()})
		}
		p.Offer = &SummaryList{Rows: rows}
		p.CanWithdraw = o.Status == brokerage.OfferOpen
		p.WithdrawReason = form.Field("withdraw_reason")
	}
	if inv.Outcome == "agreed" {
		if p.Agreement, err = f.providerAgreement(c, inv.RequestID); err != nil {
			return err
		}
	}
	view := View{Title: p.Title, Form: form, Data: p}
	return f.render(c, status, "provider_invitation", view)
}

// providerAgreement is the agreement on a request the provider's offer won,
// read through the agreements store's own access check.
func (f *Frontend) providerAgreement(c *gin.Context, requestID uuid.UUID) (*agreementSection, error) {
	deals, err := f.agreements()
	if err != nil {
		return nil, err
	}
	found, err := deals.AgreementForRequest(f.ctx(c), requestID)
	if errs.Is(err, errs.NotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	ag, err := deals.Agreement(f.ctx(c), ActorOf(c), found.ID)
	if err != nil {
		return nil, err
	}
	s := agreementOf(ag)
	s.HTML = "/provider/agreements/" + ag.ID.String() + "/document.html"
	s.PDF = "/provider/agreements/" + ag.ID.String() + "/document.pdf"
	if ag.Acceptance.ProviderAt == nil && ag.Status == agreements.Active {
		s.AcceptPath = "/provider/agreements/" + ag.ID.String() + "/accept"
	}
	return s, nil
}

// providerAcceptAgreement records the provider's acceptance of its
// agreement (the user and the time), once.
func (f *Frontend) providerAcceptAgreement(c *gin.Context) error {
	deals, err := f.agreements()
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	return f.once(c, "/provider/invitations", func() error {
		ag, err := deals.Accept(f.ctx(c), ActorOf(c), id)
		if err != nil {
			return err
		}
		return f.flashTo(c, "You accepted service agreement "+ag.Reference+" for "+ag.ProviderName, "/provider/invitations")
	})
}

// requestSummaryList is what a provider is told about a request: never the
// person's name or address.
func requestSummaryList(r brokerage.RequestSummary, due string) SummaryList {
	urgency := StatusTag(string(r.Urgency))
	rows := []SummaryRow{
		{Key: "Request", Value: r.Reference},
		{Key: "Service", Value: serviceTypeName(string(r.ServiceType))},
		{Key: "How much", Value: r.Amount},
		{Key: "Area", Value: r.PostcodeDistrict + " postcode district"},
		{Key: "Wanted from", Value: r.StartDate.UK()},
		{Key: "Urgency", Tag: &urgency},
		{Key: "Answer", Value: due},
	}
	pr := r.Preferences
	if pr.Language != "" {
		rows = append(rows, SummaryRow{Key: "Language", Value: pr.Language})
	}
	if pr.CarerGender != "" {
		rows = append(rows, SummaryRow{Key: "Carers", Value: humanise(pr.CarerGender) + " carers preferred"})
	}
	if pr.CulturalNeeds != "" {
		rows = append(rows, SummaryRow{Key: "Cultural and spiritual needs", Value: pr.CulturalNeeds})
	}
	if pr.ImportantToThem != "" {
		rows = append(rows, SummaryRow{Key: "What is important to them", Value: pr.ImportantToThem})
	}
	if r.OutOfArea {
		rows = append(rows, SummaryRow{Key: "Out of area", Value: "Yes: the person lives in another council's area"})
	}
	return SummaryList{Rows: rows}
}

func itoaNonZero(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprint(n)
}

// reasonSuffix is ": reason", or nothing when none was given.
func reasonSuffix(reason string) string {
	if reason == "" {
		return ""
	}
	return ": " + reason
}
