package frontend

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/errs"
)

// financePages are the financial assessment team's pages: the inbox of
// new service agreements to acknowledge (their home), an agreement with
// its document, and the CSV downloads the API gives.
func financePages(f *Frontend, r *Router) {
	fin := accounts.Finance
	r.Get("/finance/inbox", f.financeInbox, fin)
	r.Post("/finance/notifications/:id/acknowledge", f.financeAcknowledge, fin)
	r.Get("/finance/agreements/:id", f.financeAgreement, fin)
	r.Get("/finance/agreements/:id/document.html", f.brokerAgreementDocument, fin)
	r.Get("/finance/agreements/:id/document.pdf", f.brokerAgreementDocument, fin)
	r.Get("/finance/agreements.csv", f.financeCSV("finance-agreements", (*agreements.Store).FinanceAgreementsCSV), fin)
	r.Get("/finance/notifications.csv", f.financeCSV("finance-notifications", (*agreements.Store).FinanceNotificationsCSV), fin)
}

type inboxRow struct {
	ID           string
	Received     string
	Subject      string
	Body         string
	AgreementURL string
	Status       Tag
	Acknowledged string // when, if it was
}

type financeInboxData struct {
	Rows   []inboxRow
	Show   string // unacknowledged, acknowledged or all
	Filter []NavItem
}

// financeInbox lists the notifications sent to the finance team, those
// not yet acknowledged first (the default), each with a button to
// acknowledge it.
func (f *Frontend) financeInbox(c *gin.Context) error {
	deals, err := f.agreements()
	if err != nil {
		return err
	}
	show := c.DefaultQuery("show", "unacknowledged")
	ns, err := deals.FinanceInbox(f.ctx(c), ActorOf(c), agreements.FinanceFilter{Status: show, Limit: 200})
	if errs.Is(err, errs.Invalid) {
		return errs.NotFoundf("there is no list %q", show)
	} else if err != nil {
		return err
	}
	d := financeInboxData{Show: show}
	for _, s := range []struct{ value, text string }{{"unacknowledged", "To acknowledge"}, {"acknowledged", "Acknowledged"}, {"all", "All"}} {
		d.Filter = append(d.Filter, NavItem{Text: s.text, Href: "/finance/inbox?show=" + s.value, Current: s.value == show})
	}
	for _, n := range ns {
		row := inboxRow{ID: n.ID.String(), Received: UKDateTime(n.CreatedAt), Subject: n.Subject, Body: n.Body, Status: StatusTag("new")}
		if n.AgreementID != nil {
			row.AgreementURL = "/finance/agreements/" + n.AgreementID.String()
		}
		if n.AcknowledgedAt != nil {
			row.Status, row.Acknowledged = StatusTag("acknowledged"), UKDateTime(*n.AcknowledgedAt)
		}
		d.Rows = append(d.Rows, row)
	}
	return f.ok(c, "finance_inbox", View{Title: "Finance notifications", Data: d})
}

// financeAcknowledge records that the team has taken the notification up;
// a second acknowledgement shows when the first was.
func (f *Frontend) financeAcknowledge(c *gin.Context) error {
	deals, id, err := subject(c, f.agreements)
	if err != nil {
		return err
	}
	return f.once(c, "/finance/inbox", func() error {
		n, err := deals.Acknowledge(f.ctx(c), ActorOf(c), id)
		if err != nil {
			return err
		}
		return f.flashTo(c, "Acknowledged: "+n.Subject, "/finance/inbox")
	})
}

type financeAgreementData struct {
	Agreement *agreementSection
	Payer     SummaryList
}

// financeAgreement shows an agreement as finance needs it: the cost, who
// pays, the start date, and the document.
func (f *Frontend) financeAgreement(c *gin.Context) error {
	deals, id, err := subject(c, f.agreements)
	if err != nil {
		return err
	}
	ag, err := deals.Agreement(f.ctx(c), ActorOf(c), id)
	if err != nil {
		return err
	}
	s := agreementOf(ag)
	s.HTML = "/finance/agreements/" + ag.ID.String() + "/document.html"
	s.PDF = "/finance/agreements/" + ag.ID.String() + "/document.pdf"
	payer := SummaryList{Rows: []SummaryRow{
		{Key: "Person", Value: ag.PersonName},
		{Key: "Team", Value: TeamName(ag.Team)},
		{Key: "Funding", Value: ag.Funding.Describe()},
		{Key: "Who pays the provider", Value: "The " + ag.Payer},
		{Key: "Terms", Value: ag.TermsVersion},
	}}
	if ag.OutOfArea {
		payer.Rows = append(payer.Rows, SummaryRow{Key: "Out of area", Value: "Yes, in " + ag.HostArea})
	}
	return f.ok(c, "finance_agreement", View{Title: "Agreement " + ag.Reference, Data: financeAgreementData{Agreement: s, Payer: payer}})
}

// financeCSV sends the same CSV file the API gives.
func (f *Frontend) financeCSV(name string, write func(*agreements.Store, context.Context, accounts.Actor, io.Writer) error) Handler {
	return func(c *gin.Context) error {
		deals, err := f.agreements()
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := write(deals, f.ctx(c), ActorOf(c), &buf); err != nil {
			return err
		}
		c.Header("Content-Disposition", `attachment; filename="`+name+"-"+f.today().String()+`.csv"`)
		c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
		return nil
	}
}
