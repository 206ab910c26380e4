package frontend

import (
	"fmt"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/money"
	"github.com/carebroker/carebroker/plans"
)

// requestPage is what the broker's request page shows: the plan summary,
// the steps as a task list, the match with its shortlist, the providers'
// answers (redrawn live), the choice, the start date and the agreement.
type requestPage struct {
	Request     brokerage.RequestView
	ServiceName string
	Status      Tag
	Urgency     Tag
	Summary     SummaryList
	Person      SummaryList
	Plan        SummaryList
	Needs       Table
	Preferences SummaryList
	Tasks       TaskList

	Match     *matchSection
	CanMatch  bool
	MatchText string // the match button's words

	Responses    Table
	HasResponses bool
	// Unreachable warns of invited providers nobody at which can receive
	// the invitation by email.
	Unreachable   []brokerage.Warning
	CanChase      bool
	CanExtend     bool
	Deadline      string
	DeadlineInput DateInput

	Offers       []brokerage.OfferView
	ChoiceRadios Options
	CanChoose    bool
	Confirm      Options
	ChoiceReason Field
	Chosen       *SummaryList
	NoChoiceWhy  string
	NotChoosable []string // offers that cannot be chosen now, and why

	CanAgree   bool
	StartInput DateInput
	StartHint  string

	// CanUndoChoice offers "the chosen provider cannot start" while an
	// offer is chosen and not yet agreed.
	CanUndoChoice     bool
	ChosenProvider    string
	CannotStartReason Field

	Agreement *agreementSection
	History   Table
}

type agreementSection struct {
	Summary    SummaryList
	HTML       string
	PDF        string
	AcceptPath string // the provider's acceptance form, until it accepts
}

// requestForm holds every field of the request page's forms, so an error
// in any of them shows in the page's error summary, linked to its field.
func requestForm() *Form {
	return NewForm(
		Field{Name: "service_ids", Label: "Providers to invite"},
		DateField("deadline", "New response deadline", "Providers will have until 5pm on this day to answer. For example, 27 3 2027"),
		Field{Name: "offer_id", Label: "Offer the person chose"},
		Field{Name: "confirm", Label: "Confirmation"},
		Field{Name: "reason", Label: "How the person told you (optional)", Hint: "For example, by phone to you on 3 December, with their daughter"},
		DateField("start_date", "Start date", ""),
		cannotStartField(),
	)
}

// cannotStartField is the reason the chosen provider cannot start, on the
// broker's and the person's pages.
func cannotStartField() Field {
	return Field{Name: "cannot_start_reason", Label: "Why can they not start?",
		Hint: "For example, their last place went to someone else before the start date was agreed. The provider will see this."}
}

// drawRequest draws the page with status and the form (with its errors,
// after a refused POST).
func (f *Frontend) drawRequest(c *gin.Context, status int, form *Form) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := f.loadRequestPage(c, id, form)
	if err != nil {
		return err
	}
	title := fmt.Sprintf("%s: %s", p.Request.PersonName, p.ServiceName)
	return f.render(c, status, "broker_request", View{Title: title, Form: form, Data: p})
}

func (f *Frontend) loadRequestPage(c *gin.Context, id uuid.UUID, form *Form) (*requestPage, error) {
	svc, err := f.brokerage()
	if err != nil {
		return nil, err
	}
	ctx, a := f.ctx(c), ActorOf(c)
	rv, err := svc.Request(ctx, a, id)
	if err != nil {
		return nil, err
	}
	p := &requestPage{Request: rv, ServiceName: serviceTypeName(string(rv.ServiceType)),
		Status: StatusTag(string(rv.Status)), Urgency: StatusTag(string(rv.Urgency))}
	if err := f.addPlanSummary(c, p); err != nil {
		return nil, err
	}
	match, err := svc.LatestMatch(ctx, a, id)
	switch {
	case errs.Is(err, errs.NotFound):
	case err != nil:
		return nil, err
	default:
		p.Match = &matchSection{View: match}
	}
	invs, err := svc.InvitationsOf(ctx, a, id)
	if err != nil {
		return nil, err
	}
	comparison, err := svc.Offers(ctx, a, id)
	if err != nil {
		return nil, err
	}
	history, err := svc.Transitions(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if p.Match != nil {
		p.Match.build(rv, invs, form)
	}
	p.CanMatch = rv.Status == brokerage.Open || rv.Status == brokerage.NoOffers ||
		rv.Status == brokerage.Matching || rv.Status == brokerage.Invited || rv.Status == brokerage.OffersReceived
	p.MatchText = "Find providers"
	if p.Match != nil {
		p.MatchText = "Run the match again"
	}
	p.addResponses(invs, form)
	sent := make([]brokerage.Invitation, len(invs))
	for i := range invs {
		sent[i] = invs[i].Invitation
	}
	if p.Unreachable, err = svc.InvitationWarnings(ctx, sent); err != nil {
		return nil, err
	}
	p.addChoice(comparison, form)
	p.addStart(comparison, form)
	if rv.AgreementID != nil {
		deals, err := f.agreements()
		if err != nil {
			return nil, err
		}
		ag, err := deals.Agreement(ctx, a, *rv.AgreementID)
		if err != nil {
			return nil, err
		}
		p.Agreement = agreementOf(ag)
	}
	p.History = historyTable(history)
	p.Tasks = requestTasks(rv, p, len(invs), comparison)
	return p, nil
}

// addPlanSummary fills the request, the person, their plan and needs, and
// their preferences: what a broker needs to find the right care.
func (f *Frontend) addPlanSummary(c *gin.Context, p *requestPage) error {
	svc, _ := f.brokerage()
	ctx, a, r := f.ctx(c), ActorOf(c), p.Request
	person, err := svc.Plans().Person(ctx, a, r.PersonID)
	if err != nil {
		return err
	}
	plan, err := svc.Plans().Plan(ctx, a, r.PlanID)
	if err != nil {
		return err
	}
	funding := map[brokerage.Funding]string{brokerage.CouncilFunded: "Council-funded", brokerage.SelfFunded: "Self-funded",
		brokerage.IndividualServiceFund: "Individual service fund"}[r.Funding]
	rows := []SummaryRow{
		{Key: "Service", Value: fmt.Sprintf("%s, %s", p.ServiceName, r.Amount)},
		{Key: "Weekly budget", Value: money.Format(r.BudgetWeeklyPence) + " a week"},
		{Key: "Wanted from", Value: r.StartDate.UK()},
		{Key: "Urgency", Tag: &p.Urgency},
		{Key: "Status", Tag: &p.Status},
		{Key: "Where", Value: r.Postcode},
		{Key: "Team", Value: TeamName(r.Team)},
		{Key: "Funding", Value: funding},
	}
	if r.Specialist {
		rows = append(rows, SummaryRow{Key: "Specialist service", Value: "Yes"})
	}
	if r.OutOfArea {
		rows = append(rows, SummaryRow{Key: "Out of area", Value: "Yes, in " + r.HostArea})
	}
	p.Summary = SummaryList{Rows: rows}
	prows := []SummaryRow{{Key: "Name", Value: person.Name}, {Key: "Date of birth", Value: person.DateOfBirth.UK()},
		{Key: "Address", Lines: []string{person.Address, person.Postcode}}}
	if person.RepresentativeName != "" {
		prows = append(prows, SummaryRow{Key: "Representative", Value: person.RepresentativeName})
	}
	p.Person = SummaryList{Rows: prows}
	p.Plan = SummaryList{Rows: append([]SummaryRow{
		{Key: "Personal budget", Value: money.Format(plan.BudgetWeeklyPence) + " a week"},
		{Key: "Contingency", Value: money.Format(plan.ContingencyPence)},
	}, f.signOffRows(ctx, plan)[1:]...)} // the request's own status is shown above
	p.Needs = Table{Caption: "Needs in the plan", CaptionClass: "govuk-table__caption--s", Head: []Cell{{Text: "Outcome"}, {Text: "How it is met"}, {Text: "Weekly budget", Numeric: true}}}
	for _, n := range plan.Needs {
		how := howMetText(n.HowMet)
		if n.ID == r.NeedID {
			how += " (this request)"
		}
		p.Needs.Rows = append(p.Needs.Rows, []Cell{{Text: n.Outcome}, {Text: how}, {Text: money.Format(n.WeeklyBudgetPence), Numeric: true}})
	}
	pref := r.Preferences
	gender := map[string]string{"": "No preference", "female": "Female", "male": "Male"}[pref.CarerGender]
	p.Preferences = SummaryList{Rows: []SummaryRow{
		{Key: "Language", Value: orNone(pref.Language)},
		{Key: "Carer gender", Value: gender},
		{Key: "Cultural and spiritual needs", Value: orNone(pref.CulturalNeeds)},
		{Key: "What is important to them", Value: orNone(pref.ImportantToThem)},
	}}
	return nil
}

// howMetText names a route at the start of a summary row ("Direct payment").
func howMetText(h plans.HowMet) string {
	label := h.Label()
	if label == "" {
		return label
	}
	return strings.ToUpper(label[:1]) + label[1:]
}

func orNone(s string) string {
	if s == "" {
		return "None given"
	}
	return s
}

// providerAcceptance says whether, when and by whom the provider accepted.
func providerAcceptance(a agreements.Agreement) string {
	if a.Acceptance.ProviderAt == nil {
		return "Not yet"
	}
	return UKDateTime(*a.Acceptance.ProviderAt) + " by " + a.Acceptance.ProviderBy
}

func agreementOf(a agreements.Agreement) *agreementSection {
	amount := fmt.Sprintf("%d hours a week at %s an hour", a.HoursPerWeek, money.Format(a.HourlyRatePence))
	if !a.HourBased() {
		amount = fmt.Sprintf("%d place", a.Places)
		if a.Places != 1 {
			amount += "s"
		}
	}
	status := StatusTag(string(a.Status))
	return &agreementSection{
		Summary: SummaryList{Rows: []SummaryRow{
			{Key: "Reference", Value: a.Reference},
			{Key: "Status", Tag: &status},
			{Key: "Provider", Value: a.ProviderName},
			{Key: "Service", Value: a.ServiceName},
			{Key: "Amount", Value: amount},
			{Key: "Weekly cost", Value: money.Format(a.WeeklyCostPence)},
			{Key: "Starts", Value: a.StartDate.UK()},
			{Key: "Welfare check due", Value: a.Reviews.WelfareCheckDue.UK()},
			{Key: "First review", Value: "Between " + a.Reviews.FirstReviewFrom.UK() + " and " + a.Reviews.FirstReviewBy.UK()},
			{Key: "Accepted by the provider", Value: providerAcceptance(a)},
		}},
		HTML: "/broker/agreements/" + a.ID.String() + "/document.html",
		PDF:  "/broker/agreements/" + a.ID.String() + "/document.pdf",
	}
}

func historyTable(ts []brokerage.Transition) Table {
	t := Table{Caption: "History", CaptionClass: "govuk-table__caption--m", Small: true,
		Head: []Cell{{Text: "When"}, {Text: "Status"}, {Text: "What happened"}}}
	for i := len(ts) - 1; i >= 0; i-- {
		tr := ts[i]
		tag := StatusTag(string(tr.To))
		what := sentence(tr.Reason)
		if tr.OnBehalfOf != "" {
			what += " Recorded on the person's behalf."
		}
		t.Rows = append(t.Rows, []Cell{{Text: UKDateTime(tr.At)}, {Tag: &tag}, {Text: what}})
	}
	return t
}
