package frontend

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

// practitionerPages are the practitioners' pages: their team's requests,
// review tasks and plans waiting for a second sign-off (their home), a
// request as it stands, a plan with its sign-offs (and the second sign-off
// of a plan above the council's four-eyes amount), and completing a
// review. Plans are submitted, and first signed off, through the API.
func practitionerPages(f *Frontend, r *Router) {
	r.Get("/practitioner/requests", f.teamRequests, accounts.Practitioner)
	r.Get("/practitioner/requests/:id", f.teamRequest, accounts.Practitioner)
	r.Get("/practitioner/plans/:id", f.teamPlan, accounts.Practitioner)
	r.Post("/practitioner/plans/:id/sign-off", f.secondSignOff, accounts.Practitioner)
	r.Get("/practitioner/reviews/:id", formPage(f.drawReview, reviewForm), accounts.Practitioner)
	r.Post("/practitioner/reviews/:id", f.completeReview, accounts.Practitioner)
}

type teamData struct {
	Team     string
	Requests Table
	Reviews  Table
	Awaiting Table // plans waiting for a second sign-off
	All      bool
}

var reviewKinds = map[agreements.ReviewKind]string{
	agreements.WelfareCheck: "Welfare check (72 hours after the start)",
	agreements.FirstReview:  "First review (6 to 8 weeks after the start)",
	agreements.AnnualReview: "Yearly review",
}

// reviewTag says whether a review is due: not yet, due, or overdue.
func reviewTag(t agreements.ReviewTask, today day.Date) Tag {
	switch {
	case t.Status == agreements.ReviewCompleted:
		return StatusTag("done")
	case t.DueBy.Before(today):
		return StatusTag("overdue")
	case !t.DueFrom.After(today):
		return StatusTag("due")
	}
	return StatusTag("not_due")
}

// teamRequests lists the requests of the practitioner's team, being
// worked (or all, with ?all=1), and the team's open review tasks, soonest
// due first.
func (f *Frontend) teamRequests(c *gin.Context) error {
	svc, err := f.brokerage()
	if err != nil {
		return err
	}
	deals, err := f.agreements()
	if err != nil {
		return err
	}
	ctx, a := f.ctx(c), ActorOf(c)
	all := c.Query("all") == "1"
	filter := brokerage.RequestFilter{}
	if !all {
		filter.Statuses = []brokerage.Status{brokerage.Open, brokerage.Matching, brokerage.Invited, brokerage.OffersReceived,
			brokerage.Chosen, brokerage.NoOffers, brokerage.OnHold}
	}
	reqs, err := svc.Requests(ctx, a, filter)
	if err != nil {
		return err
	}
	tasks, err := deals.Reviews(ctx, a, agreements.ReviewFilter{})
	if err != nil {
		return err
	}
	awaiting, err := svc.Plans().PlansAwaitingSecondSignOff(ctx, a)
	if err != nil {
		return err
	}
	d := teamData{Team: TeamName(a.Team), All: all, Awaiting: awaitingTable(awaiting)}
	d.Requests = Table{Caption: "Requests", Small: true, Head: []Cell{{Text: "Reference"}, {Text: "Person"}, {Text: "Service"},
		{Text: "Status"}, {Text: "Wanted from"}}}
	for _, r := range reqs {
		st := StatusTag(string(r.Status))
		d.Requests.Rows = append(d.Requests.Rows, []Cell{{Text: r.Reference, Href: "/practitioner/requests/" + r.ID.String()},
			{Text: r.PersonName}, {Text: serviceTypeName(string(r.ServiceType)) + ", " + r.Amount}, {Tag: &st}, {Text: r.StartDate.UK()}})
	}
	today := f.today()
	d.Reviews = Table{Caption: "Review tasks", Small: true, Head: []Cell{{Text: "Person"}, {Text: "Review"}, {Text: "Provider"},
		{Text: "Due"}, {Text: "Status"}, {Text: "Action"}}}
	for _, t := range tasks {
		tag := reviewTag(t, today)
		d.Reviews.Rows = append(d.Reviews.Rows, []Cell{{Text: t.PersonName}, {Text: reviewKinds[t.Kind]}, {Text: t.ProviderName},
			{Text: dueText(t)}, {Tag: &tag}, {Text: "Complete the review for " + t.PersonName, Href: "/practitioner/reviews/" + t.ID.String()}})
	}
	return f.ok(c, "practitioner_requests", View{Title: "Your team's requests", Data: d})
}

func dueText(t agreements.ReviewTask) string {
	if t.DueFrom == t.DueBy {
		return "On " + t.DueBy.UK()
	}
	return fmt.Sprintf("Between %s and %s", t.DueFrom.UK(), t.DueBy.UK())
}

type teamRequestData struct {
	Request SummaryList
	Offers  Table
	History Table
}

// teamRequest shows one of the team's requests as it stands: the request,
// the offers in, and its history. Another team's request is not found.
func (f *Frontend) teamRequest(c *gin.Context) error {
	svc, id, err := subject(c, f.brokerage)
	if err != nil {
		return err
	}
	ctx, a := f.ctx(c), ActorOf(c)
	cmp, err := svc.Offers(ctx, a, id)
	if err != nil {
		return err
	}
	history, err := svc.Transitions(ctx, a, id)
	if err != nil {
		return err
	}
	r := cmp.Request
	st, urg := StatusTag(string(r.Status)), StatusTag(string(r.Urgency))
	d := teamRequestData{History: historyTable(history)}
	d.Request = SummaryList{Rows: []SummaryRow{
		{Key: "Person", Value: r.PersonName},
		{Key: "Plan", Value: "Signed off", Action: &Action{Text: "View", Href: planPath(r.PlanID), VisuallyHidden: "the plan"}},
		{Key: "Service", Value: serviceTypeName(string(r.ServiceType)) + ", " + r.Amount},
		{Key: "Status", Tag: &st},
		{Key: "Urgency", Tag: &urg},
		{Key: "Wanted from", Value: r.StartDate.UK()},
	}}
	if r.Status == brokerage.Agreed {
		d.Request.Rows = append(d.Request.Rows, SummaryRow{Key: "Starts", Value: r.AgreedStartDate.UK()})
	}
	d.Offers = Table{Caption: "Offers", CaptionClass: "govuk-table__caption--m", Small: true,
		Head: []Cell{{Text: "Provider"}, {Text: "Price a week", Numeric: true}, {Text: "Could start"}, {Text: "Status"}}}
	for _, o := range cmp.Offers {
		tag := StatusTag(string(o.Status))
		d.Offers.Rows = append(d.Offers.Rows, []Cell{{Text: providerService(o.ProviderName, o.ServiceName)}, {Text: o.WeeklyPrice, Numeric: true},
			{Text: o.EarliestStart.UK()}, {Tag: &tag}})
	}
	return f.ok(c, "practitioner_request", View{Title: fmt.Sprintf("%s: %s", r.PersonName, r.Reference), Data: d})
}

type reviewData struct {
	Task    agreements.ReviewTask
	Summary SummaryList
	Outcome Field
	Open    bool
}

func reviewForm() *Form {
	return NewForm(Field{Name: "outcome", Label: "What the review found", Hint: "Whether the care meets the person's needs and outcomes, and anything that must change. The person's record keeps this."})
}

func (f *Frontend) drawReview(c *gin.Context, status int, form *Form) error {
	deals, id, err := subject(c, f.agreements)
	if err != nil {
		return err
	}
	t, err := teamReview(c, deals, ActorOf(c), id)
	if err != nil {
		return err
	}
	tag := reviewTag(t, f.today())
	d := reviewData{Task: t, Outcome: form.Field("outcome"), Open: t.Status == agreements.ReviewOpen}
	d.Summary = SummaryList{Rows: []SummaryRow{
		{Key: "Person", Value: t.PersonName},
		{Key: "Review", Value: reviewKinds[t.Kind]},
		{Key: "Provider", Value: t.ProviderName},
		{Key: "Agreement", Value: t.Reference},
		{Key: "Due", Value: dueText(t)},
		{Key: "Status", Tag: &tag},
	}}
	if !d.Open {
		d.Summary.Rows = append(d.Summary.Rows, SummaryRow{Key: "What the review found", Value: t.Outcome})
	}
	return f.render(c, status, "practitioner_review", View{Title: fmt.Sprintf("%s for %s", reviewKinds[t.Kind], t.PersonName), Form: form, Data: d})
}

// completeReview records the review as held, with what it found.
func (f *Frontend) completeReview(c *gin.Context) error {
	deals, id, err := subject(c, f.agreements)
	if err != nil {
		return err
	}
	form := reviewForm().Bind(c)
	if form.Value("outcome") == "" {
		form.Add("outcome", "Enter what the review found")
		return f.drawReview(c, http.StatusBadRequest, form)
	}
	return f.once(c, "/practitioner/requests", func() error {
		t, err := deals.CompleteReview(f.ctx(c), ActorOf(c), id, form.Value("outcome"))
		if form.AddError(err) {
			return f.drawReview(c, http.StatusBadRequest, form)
		} else if err != nil {
			return err
		}
		return f.flashTo(c, fmt.Sprintf("The %s for %s is recorded", lowerFirst(reviewKinds[t.Kind]), t.PersonName), "/practitioner/requests#reviews")
	})
}

// teamReview finds a review task of the practitioner's team, open or
// done; another team's is not found.
func teamReview(c *gin.Context, deals *agreements.Store, a accounts.Actor, id uuid.UUID) (agreements.ReviewTask, error) {
	tasks, err := deals.Reviews(c.Request.Context(), a, agreements.ReviewFilter{Status: "all"})
	if err != nil {
		return agreements.ReviewTask{}, err
	}
	for _, t := range tasks {
		if t.ID == id {
			return t, nil
		}
	}
	return agreements.ReviewTask{}, errs.NotFoundf("your team has no review task %s", id)
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}
