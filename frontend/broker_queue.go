package frontend

import (
	"fmt"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/plans"
)

// brokerPages are the brokers' pages: the work queue (their home), a
// request from plan to agreement, and the agreement's documents.
func brokerPages(f *Frontend, r *Router) {
	r.Get("/broker/queue", f.brokerQueue, accounts.Broker)
	r.Get("/broker/requests/:id", formPage(f.drawRequest, requestForm), accounts.Broker)
	r.Post("/broker/requests/:id/match", f.brokerMatch, accounts.Broker)
	r.Post("/broker/requests/:id/invite", f.brokerInvite, accounts.Broker)
	r.Post("/broker/requests/:id/chase", f.brokerChase, accounts.Broker)
	r.Post("/broker/requests/:id/deadline", f.brokerExtendDeadline, accounts.Broker)
	r.Post("/broker/requests/:id/choice", f.brokerChoose, accounts.Broker)
	r.Post("/broker/requests/:id/start-date", f.brokerAgree, accounts.Broker)
	r.Post("/broker/requests/:id/cannot-start", f.brokerCannotStart, accounts.Broker)
	r.Get("/broker/agreements/:id/document.html", f.brokerAgreementDocument, accounts.Broker)
	r.Get("/broker/agreements/:id/document.pdf", f.brokerAgreementDocument, accounts.Broker)
}

// queueCount is one figure at the top of the queue, a link to the
// requests it counts.
type queueCount struct {
	Number  int
	Text    string
	Href    string
	Current bool
}

type queueData struct {
	Counts  []queueCount
	Filters *Form
	Status  Options
	Urgency Options
	Team    Options
	Flags   Options
	Table   Table
	Matched int
	Shown   int
	Empty   string
}

// queueStatuses are the status filter's choices, in workflow order.
var queueStatuses = []Option{
	{Value: "", Text: "Being worked (not agreed or cancelled)"},
	{Value: "open", Text: "Open"}, {Value: "matching", Text: "Matching"}, {Value: "invited", Text: "Providers invited"},
	{Value: "offers_received", Text: "Offers received"}, {Value: "chosen", Text: "Offer chosen"},
	{Value: "no_offers", Text: "No acceptable offers"}, {Value: "on_hold", Text: "On hold"},
	{Value: "agreed", Text: "Agreed"}, {Value: "cancelled", Text: "Cancelled"}, {Value: "all", Text: "All requests"},
}

func queueFilterForm() *Form {
	return NewForm(Field{Name: "status"}, Field{Name: "urgency"}, Field{Name: "team"}, Field{Name: "due"})
}

// brokerQueue is the broker's work queue: counts at the top (each a link
// to the requests it counts), filters, and the requests in the order to
// work them. A bad filter in the address shows the error summary.
func (f *Frontend) brokerQueue(c *gin.Context) error {
	svc, err := f.brokerage()
	if err != nil {
		return err
	}
	form := queueFilterForm()
	for _, name := range []string{"status", "urgency", "team"} {
		form.Set(name, c.Query(name))
	}
	filter := brokerage.QueueFilter{Status: c.Query("status"), Urgency: plans.Urgency(c.Query("urgency")), Team: c.Query("team")}
	due := c.QueryArray("due")
	for _, d := range due {
		switch d {
		case "soon":
			filter.DeadlineSoon = true
		case "overdue":
			filter.Overdue = true
		default:
			form.Add("due", "Choose deadline soon or overdue")
		}
	}
	status := 200
	q, err := svc.Queue(f.ctx(c), ActorOf(c), filter)
	if addFormError(form, err, nil) || form.HasErrors() {
		status = 400
		if q, err = svc.Queue(f.ctx(c), ActorOf(c), brokerage.QueueFilter{}); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	d := queueData{Filters: form, Matched: q.Matched, Shown: len(q.Items)}
	d.Counts = queueCounts(q.Counts, c.Request.URL.Query())
	d.Status = form.Options(Options{Name: "status", Legend: "Status", Items: append([]Option(nil), queueStatuses...)})
	d.Urgency = form.Options(Options{Name: "urgency", Legend: "Urgency", Items: []Option{
		{Value: "", Text: "Any urgency"}, {Value: "urgent", Text: "Urgent"}, {Value: "interim", Text: "Interim"}, {Value: "standard", Text: "Standard"}}})
	teams := []Option{{Value: "", Text: "Every team"}}
	for _, t := range accounts.Teams {
		teams = append(teams, Option{Value: t, Text: TeamName(t)})
	}
	d.Team = form.Options(Options{Name: "team", Legend: "Team", Items: teams})
	d.Flags = form.Options(Options{Name: "due", Legend: "Response deadline", LegendSize: "s", Small: true, Items: []Option{
		{Value: "soon", Text: "Deadline in the next 24 hours", Checked: filter.DeadlineSoon},
		{Value: "overdue", Text: "Overdue", Checked: filter.Overdue}}})
	d.Table = queueTable(q.Items)
	if len(q.Items) == 0 {
		d.Empty = "No requests match these filters."
	}
	return f.render(c, status, "broker_queue", View{Title: "Request queue", Form: form, Data: d})
}

func queueCounts(c brokerage.QueueCounts, now url.Values) []queueCount {
	current := func(key, value string) bool {
		return now.Encode() == url.Values{key: {value}}.Encode()
	}
	counts := []queueCount{
		{c.Active, "being worked", "/broker/queue", len(now) == 0},
		{c.ByStatus[brokerage.Open], "open, not yet matched", "/broker/queue?status=open", current("status", "open")},
		{c.ByStatus[brokerage.OffersReceived], "with offers to choose from", "/broker/queue?status=offers_received", current("status", "offers_received")},
		{c.Urgent, "urgent", "/broker/queue?urgency=urgent", current("urgency", "urgent")},
		{c.DeadlineSoon, "deadline in the next 24 hours", "/broker/queue?due=soon", current("due", "soon")},
		{c.Overdue, "overdue", "/broker/queue?due=overdue", current("due", "overdue")},
	}
	return counts
}

func queueTable(items []brokerage.RequestView) Table {
	t := Table{Caption: "Requests", Small: true,
		Head: []Cell{{Text: "Reference"}, {Text: "Person"}, {Text: "Service"}, {Text: "Urgency"}, {Text: "Status"},
			{Text: "Providers must answer by"}, {Text: "Wanted from"}, {Text: "Team"}}}
	for _, r := range items {
		urgency, status := StatusTag(string(r.Urgency)), StatusTag(string(r.Status))
		deadline := ""
		if r.ResponseDeadline != nil {
			deadline = ukDeadline(*r.ResponseDeadline)
		}
		t.Rows = append(t.Rows, []Cell{
			{Text: r.Reference, Href: "/broker/requests/" + r.ID.String()},
			{Text: r.PersonName},
			{Text: fmt.Sprintf("%s, %s", serviceTypeName(string(r.ServiceType)), r.Amount)},
			{Tag: &urgency}, {Tag: &status},
			{Text: deadline}, {Text: r.StartDate.UK()}, {Text: TeamName(r.Team)},
		})
	}
	return t
}
