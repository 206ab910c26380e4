package frontend

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/money"
)

// approverPages are the budget approvers' pages: the offers over budget
// waiting for a decision (their home), and the decision on one.
func approverPages(f *Frontend, r *Router) {
	r.Get("/approvals", f.approvals, accounts.BudgetApprover)
	r.Get("/approvals/:id", formPage(f.drawApproval, approvalForm), accounts.BudgetApprover)
	r.Post("/approvals/:id", f.decide, accounts.BudgetApprover)
}

type approvalsData struct {
	Table Table
	Count int
}

// approvals lists the offers over budget waiting for a decision, oldest
// first.
func (f *Frontend) approvals(c *gin.Context) error {
	pending, err := load(f, c, f.brokerage, (*brokerage.Service).PendingApprovals)
	if err != nil {
		return err
	}
	t := Table{Caption: "Offers over budget", Small: true, Head: []Cell{{Text: "Request"}, {Text: "Provider"},
		{Text: "Offer a week", Numeric: true}, {Text: "Budget a week", Numeric: true}, {Text: "Over by", Numeric: true}, {Text: "Offered on"}, {Text: "Decision"}}}
	for _, a := range pending {
		t.Rows = append(t.Rows, []Cell{{Text: a.RequestReference}, {Text: a.ProviderName},
			{Text: money.Format(a.WeeklyPricePence), Numeric: true}, {Text: money.Format(a.BudgetWeeklyPence), Numeric: true},
			{Text: money.Format(a.OverByPence), Numeric: true}, {Text: UKDate(a.CreatedAt)},
			{Text: "Decide on " + a.RequestReference + " from " + a.ProviderName, Href: "/approvals/" + a.ID.String()}})
	}
	return f.ok(c, "approver_list", View{Title: "Offers waiting for approval", Data: approvalsData{Table: t, Count: len(pending)}})
}

type approvalData struct {
	Approval brokerage.ApprovalView
	Offer    SummaryList
	Request  SummaryList
	Others   Table
	Decision Options
	Note     Field
}

func approvalForm() *Form {
	return NewForm(Field{Name: "decision", Label: "Decision"},
		Field{Name: "note", Label: "Reason for your decision", Hint: "Required if you reject the offer. The broker sees it."})
}

// drawApproval shows one offer over budget with what an approver weighs:
// the price against the budget, the request, and the other offers on it.
func (f *Frontend) drawApproval(c *gin.Context, status int, form *Form) error {
	svc, id, err := subject(c, f.brokerage)
	if err != nil {
		return err
	}
	ctx, a := f.ctx(c), ActorOf(c)
	ap, err := pendingApproval(c, svc, a, id)
	if err != nil {
		return err
	}
	cmp, err := svc.Offers(ctx, a, ap.RequestID)
	if err != nil {
		return err
	}
	r := cmp.Request
	d := approvalData{Approval: ap}
	d.Offer = SummaryList{Rows: []SummaryRow{
		{Key: "Provider", Value: ap.ProviderName},
		{Key: "Price", Value: money.Format(ap.WeeklyPricePence) + " a week for " + brokerage.Amount(ap.HoursPerWeek, ap.Places)},
		{Key: "Budget", Value: money.Format(ap.BudgetWeeklyPence) + " a week"},
		{Key: "Over the budget by", Value: money.Format(ap.OverByPence) + " a week"},
		{Key: "Could start", Value: ap.EarliestStart.UK()},
		{Key: "Offer stands until", Value: ap.ValidUntil.UK()},
		{Key: "What the provider said", Value: orNone(ap.Notes)},
	}}
	d.Request = SummaryList{Rows: []SummaryRow{
		{Key: "Request", Value: r.Reference},
		{Key: "Person", Value: r.PersonName},
		{Key: "Service", Value: serviceTypeName(string(r.ServiceType)) + ", " + r.Amount},
		{Key: "Wanted from", Value: r.StartDate.UK()},
		{Key: "Team", Value: TeamName(r.Team)},
	}}
	d.Others = Table{Caption: "All offers on this request", CaptionClass: "govuk-table__caption--s", Small: true,
		Head: []Cell{{Text: "Provider"}, {Text: "Price a week", Numeric: true}, {Text: "Could start"}, {Text: "Status"}}}
	for _, o := range cmp.Offers {
		st := StatusTag(string(o.Status))
		if o.Approval == brokerage.ApprovalPending {
			st = StatusTag("awaiting_budget_approval")
		}
		d.Others.Rows = append(d.Others.Rows, []Cell{{Text: providerService(o.ProviderName, o.ServiceName)},
			{Text: o.WeeklyPrice, Numeric: true}, {Text: o.EarliestStart.UK()}, {Tag: &st}})
	}
	d.Decision = form.Options(Options{Name: "decision", Legend: "Do you approve this offer?", LegendSize: "m", Items: []Option{
		{Value: "approve", Text: "Yes, approve it", Hint: "The person can then choose it."},
		{Value: "reject", Text: "No, reject it", Hint: "It cannot be chosen. Say why below."}}})
	d.Note = form.Field("note")
	title := fmt.Sprintf("Offer from %s for %s", ap.ProviderName, r.Reference)
	return f.render(c, status, "approver_decision", View{Title: title, Form: form, Data: d})
}

// decide records the approver's decision with its reason.
func (f *Frontend) decide(c *gin.Context) error {
	svc, id, err := subject(c, f.brokerage)
	if err != nil {
		return err
	}
	form := approvalForm().Bind(c)
	decision := form.Value("decision")
	if decision != "approve" && decision != "reject" {
		form.Add("decision", "Select yes to approve the offer or no to reject it")
	}
	if decision == "reject" && form.Value("note") == "" {
		form.Add("note", "Enter why you are rejecting the offer")
	}
	if form.HasErrors() {
		return f.drawApproval(c, http.StatusBadRequest, form)
	}
	return f.once(c, "/approvals", func() error {
		ap, err := svc.DecideOffer(f.ctx(c), ActorOf(c), id, decision == "approve", form.Value("note"))
		if form.AddError(err) {
			return f.drawApproval(c, http.StatusBadRequest, form)
		} else if err != nil {
			return err
		}
		what := "approved"
		if decision == "reject" {
			what = "rejected"
		}
		return f.flashTo(c, fmt.Sprintf("You %s the offer from %s for %s. The brokers have been told", what, ap.ProviderName, ap.RequestReference), "/approvals")
	})
}

// pendingApproval finds an offer waiting for approval; one decided, or not
// over budget, is not found.
func pendingApproval(c *gin.Context, svc *brokerage.Service, a accounts.Actor, id uuid.UUID) (brokerage.ApprovalView, error) {
	pending, err := svc.PendingApprovals(c.Request.Context(), a)
	if err != nil {
		return brokerage.ApprovalView{}, err
	}
	for _, ap := range pending {
		if ap.ID == id {
			return ap, nil
		}
	}
	return brokerage.ApprovalView{}, errs.NotFoundf("no offer %s is waiting for approval", id)
}
