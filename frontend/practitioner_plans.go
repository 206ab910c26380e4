package frontend

import (
	"context"
	"fmt"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/internal/money"
	"github.com/carebroker/carebroker/plans"
)

// A plan as practitioners see it, with who signed it off. Plans above the
// council's four-eyes amount need a second practitioner of the team
// (brokerage.SignOffPlan): the team's home lists those waiting, and the
// plan's page lets another practitioner give the second sign-off. The
// first signer sees why they cannot.

func planPath(id uuid.UUID) string { return "/practitioner/plans/" + id.String() }

var planKinds = map[plans.PlanKind]string{
	plans.CareAndSupport: "Care and Support Plan",
	plans.CarersSupport:  "Carer's Support Plan",
}

type planPageData struct {
	PlanID  uuid.UUID
	Summary SummaryList
	Needs   Table
	// SecondSignOff: the plan waits for a second sign-off the viewer may give.
	SecondSignOff bool
	// SignedFirst: the viewer gave the first sign-off and must wait for another.
	SignedFirst bool
	Why         string
}

// userName is a user's name for a page, or "a former user".
func (f *Frontend) userName(ctx context.Context, id *uuid.UUID) string {
	if id == nil {
		return ""
	}
	u, err := f.deps.Accounts.User(ctx, *id)
	if err != nil {
		return "a former user"
	}
	return u.DisplayName
}

// signOffRows say who signed a plan off and when: on a plan that needed
// two sign-offs, both practitioners.
func (f *Frontend) signOffRows(ctx context.Context, p plans.Plan) []SummaryRow {
	st := StatusTag(string(p.Status))
	rows := []SummaryRow{{Key: "Status", Tag: &st}}
	if p.FirstSignedOffAt != nil {
		rows = append(rows, SummaryRow{Key: "First sign-off", Value: f.userName(ctx, p.FirstSignedOffBy) + ", " + UKDateTime(*p.FirstSignedOffAt)})
		second := "Waiting for another practitioner of the team"
		if p.SignedOffAt != nil {
			second = f.userName(ctx, p.SignedOffBy) + ", " + UKDateTime(*p.SignedOffAt)
		}
		return append(rows, SummaryRow{Key: "Second sign-off", Value: second})
	}
	if p.SignedOffAt != nil {
		return append(rows, SummaryRow{Key: "Signed off", Value: f.userName(ctx, p.SignedOffBy) + ", " + UKDateTime(*p.SignedOffAt)})
	}
	return append(rows, SummaryRow{Key: "Signed off", Value: "Not yet"})
}

// teamPlan shows one of the team's plans: its budget, needs and sign-offs,
// and the second sign-off when it waits for one. Another team's plan is
// not found.
func (f *Frontend) teamPlan(c *gin.Context) error {
	svc, id, err := subject(c, f.brokerage)
	if err != nil {
		return err
	}
	ctx, a := f.ctx(c), ActorOf(c)
	p, err := svc.Plans().Plan(ctx, a, id)
	if err != nil {
		return err
	}
	person, err := svc.Plans().Person(ctx, a, p.PersonID)
	if err != nil {
		return err
	}
	d := planPageData{PlanID: p.ID}
	rows := []SummaryRow{
		{Key: "Person", Value: person.Name},
		{Key: "Plan", Value: planKinds[p.Kind]},
		{Key: "Personal budget", Value: money.Format(p.BudgetWeeklyPence) + " a week"},
		{Key: "Written by", Value: f.userName(ctx, &p.SubmittedBy) + ", " + UKDateTime(p.SubmittedAt)},
	}
	d.Summary = SummaryList{Rows: append(rows, f.signOffRows(ctx, p)...)}
	d.Needs = Table{Caption: "Needs in the plan", CaptionClass: "govuk-table__caption--m", Small: true,
		Head: []Cell{{Text: "Outcome"}, {Text: "How it is met"}, {Text: "Weekly budget", Numeric: true}}}
	for _, n := range p.Needs {
		how := howMetText(n.HowMet)
		if n.ServiceType != "" {
			how += ": " + serviceTypeName(string(n.ServiceType))
		}
		d.Needs.Rows = append(d.Needs.Rows, []Cell{{Text: n.Outcome}, {Text: how}, {Text: money.Format(n.WeeklyBudgetPence), Numeric: true}})
	}
	if p.Status == plans.PlanAwaitingSecondSignOff {
		d.SignedFirst = p.FirstSignedOffBy != nil && *p.FirstSignedOffBy == a.UserID
		d.SecondSignOff = !d.SignedFirst
		if set, err := svc.Plans().Settings(ctx, a); err == nil {
			d.Why = fmt.Sprintf("Its personal budget of %s a week is above the %s a week the council has set, so two practitioners of the team must sign it off before its requests open.",
				money.Format(p.BudgetWeeklyPence), money.Format(set.SecondSignOffAboveWeeklyPence))
		}
	}
	return f.ok(c, "practitioner_plan", View{Title: "Plan for " + person.Name, Data: d})
}

// secondSignOff is the second practitioner's sign-off: the plan's requests
// open. The first signer is refused (brokerage says why).
func (f *Frontend) secondSignOff(c *gin.Context) error {
	svc, id, err := subject(c, f.brokerage)
	if err != nil {
		return err
	}
	return f.once(c, planPath(id), func() error {
		_, reqs, err := svc.SignOffPlan(f.ctx(c), ActorOf(c), id)
		if err != nil {
			return err
		}
		return f.flashTo(c, fmt.Sprintf("Plan signed off: %d request%s opened for brokerage", len(reqs), plural(len(reqs))), planPath(id))
	})
}

// awaitingTable lists the team's plans waiting for a second sign-off.
func awaitingTable(plans []plans.AwaitingPlan) Table {
	t := Table{Caption: "Plans waiting for a second sign-off", Small: true,
		Head: []Cell{{Text: "Person"}, {Text: "Personal budget", Numeric: true}, {Text: "First signed off"}}}
	for _, p := range plans {
		first := ""
		if p.FirstSignedOffAt != nil {
			first = UKDateTime(*p.FirstSignedOffAt)
		}
		t.Rows = append(t.Rows, []Cell{{Text: p.PersonName, Href: planPath(p.ID)},
			{Text: money.Format(p.BudgetWeeklyPence) + " a week", Numeric: true}, {Text: first}})
	}
	return t
}
