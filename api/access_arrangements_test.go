package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/plans"
)

// routesPlanOfA signs off, for person A, a plan with a need met by each
// route brokerage does not arrange: a direct payment, an alternative
// service, own resources. It returns the plan.
func routesPlanOfA(t *testing.T, w *accessWorld) plans.Plan {
	t.Helper()
	ctx, b, prac := context.Background(), w.Deps.Brokerage, w.actor("practitioner")
	c := plans.PlanContent{PersonalBudgetWeeklyPence: 20000, Needs: []plans.NewNeed{
		{Outcome: "A personal assistant for outings", HowMet: plans.DirectPayment, WeeklyBudgetPence: 20000,
			DirectPayment: &plans.DirectPaymentTerms{AmountPence: 80000, Frequency: plans.PaidFourWeekly, Purchase: plans.BuysPersonalAssistant}},
		{Outcome: "A flat on the ground floor", HowMet: plans.AlternativeService, AlternativeService: "housing",
			AlternativeArrangedBy: "Her daughter", AlternativeDueBy: accessStart()},
		{Outcome: "Her son does the shopping", HowMet: plans.OwnResources},
	}}
	accessPlans.Lock()
	defer accessPlans.Unlock()
	plan, err := b.Plans().SubmitPlan(ctx, prac, plans.NewPlan{PersonID: w.PersonA, PlanContent: c})
	if err != nil {
		t.Fatal(err)
	}
	if plan, _, err = b.SignOffPlan(ctx, prac, plan.ID); err != nil {
		t.Fatal(err)
	}
	return plan
}

// The plan view, urgent support, direct payments, alternative services and
// reviews that change the plan.
var _ = registerAccess(accessArea{
	Name: "arrangements",
	Wire: wireBrokerage,
	Fixture: func(t *testing.T, w *accessWorld) map[string]string {
		plan := routesPlanOfA(t, w)
		var review agreements.ReviewTask
		err := w.DB.Transaction(context.Background(), func(tx *postgres.Tx) error {
			var err error
			review, err = w.Deps.Agreements.ScheduleReview(context.Background(), tx, w.actor("practitioner"), agreements.NewReview{
				Subject: agreements.SubjectPlan, SubjectID: plan.ID, PlanID: &plan.ID, PersonID: w.PersonA, Team: w.TeamA,
				Kind: agreements.PlanReview, DueFrom: day.Today(time.Now), DueBy: accessStart(), Reason: "Her circumstances changed"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return map[string]string{"plan": plan.ID.String(), "person": w.PersonA.String(), "dp": plan.Needs[0].ID.String(),
			"alternative": plan.Needs[1].ID.String(), "own": plan.Needs[2].ID.String(), "review": review.ID.String()}
	},
	Entries: []accessEntry{
		{Method: "GET", Path: "/api/v1/plans/:id/needs", Roles: roles(accounts.Practitioner, accounts.Broker, accounts.Client), Params: id("plan"), Want: 200, Owned: byPerson},
		{Method: "GET", Path: "/api/v1/persons/:id/needs", Roles: roles(accounts.Practitioner, accounts.Broker, accounts.Client), Params: id("person"), Want: 200, Owned: byPerson},
		{Method: "POST", Path: "/api/v1/persons/:id/interim-support", Roles: roles(accounts.Practitioner), Params: id("person"), Want: 201, Owned: byPerson,
			Body: jsonBody(map[string]any{"need": map[string]any{"outcome": "Help at home after a fall", "weekly_budget_pence": 35000,
				"service_type": "homecare", "hours_per_week": 14, "start_date": accessStart().String(), "urgency": "urgent"}})},
		{Method: "GET", Path: "/api/v1/direct-payments", Roles: roles(accounts.Practitioner, accounts.Admin), Want: 200, Owned: byPerson, List: true},
		{Method: "GET", Path: "/api/v1/direct-payments/:id", Roles: roles(accounts.Practitioner, accounts.Admin), Params: id("dp"), Want: 200, Owned: byPerson},
		{Method: "POST", Path: "/api/v1/direct-payments/:id/set-up", Roles: roles(accounts.Practitioner), Params: id("dp"), Want: 200, Owned: byPerson,
			Body: func(map[string]string) any {
				return map[string]any{"first_payment_on": accessStart().String(), "payment_reference": "DP-ACCESS"}
			}},
		{Method: "POST", Path: "/api/v1/direct-payments/:id/end", Roles: roles(accounts.Practitioner), Params: id("dp"), Want: 200, Owned: byPerson,
			Body: brokerageReasonTo},
		{Method: "GET", Path: "/api/v1/alternatives", Roles: roles(accounts.Practitioner), Want: 200, Owned: byPerson, List: true},
		{Method: "GET", Path: "/api/v1/alternatives/:id", Roles: roles(accounts.Practitioner), Params: id("alternative"), Want: 200, Owned: byPerson},
		{Method: "POST", Path: "/api/v1/alternatives/:id/confirm", Roles: roles(accounts.Practitioner), Params: id("alternative"), Want: 200, Owned: byPerson,
			Body: jsonBody(map[string]any{"note": "Tenancy signed"})},
		{Method: "POST", Path: "/api/v1/alternatives/:id/interim-support", Roles: roles(accounts.Practitioner), Params: id("alternative"), Want: 201, Owned: byPerson,
			Body: jsonBody(map[string]any{"need": map[string]any{"outcome": "Help at home until she moves", "weekly_budget_pence": 35000,
				"service_type": "homecare", "hours_per_week": 14, "start_date": accessStart().String(), "urgency": "interim"}})},
		{Method: "POST", Path: "/api/v1/reviews/:id/plan-change", Roles: roles(accounts.Practitioner), Params: id("review"), Want: 201, Owned: byPerson,
			Body: func(ids map[string]string) any {
				return map[string]any{"outcome": "Nothing changes but the plan is renewed", "plan": map[string]any{
					"personal_budget_weekly_pence": 20000, "needs": []map[string]any{
						{"previous_need_id": ids["dp"]}, {"previous_need_id": ids["alternative"]}, {"previous_need_id": ids["own"]}}}}
			}},
	},
})

// A direct payment set up, to monitor.
var _ = registerAccess(accessArea{
	Name: "arrangements monitoring",
	Wire: wireBrokerage,
	Fixture: func(t *testing.T, w *accessWorld) map[string]string {
		plan := routesPlanOfA(t, w)
		if _, err := w.Deps.Brokerage.SetUpDirectPayment(context.Background(), w.actor("practitioner"), plan.Needs[0].ID,
			brokerage.DirectPaymentSetUp{FirstPaymentOn: day.Today(time.Now), PaymentReference: "DP-MON"}); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"dp": plan.Needs[0].ID.String()}
	},
	Entries: []accessEntry{
		{Method: "POST", Path: "/api/v1/direct-payments/:id/monitoring", Roles: roles(accounts.Practitioner), Params: id("dp"), Want: 201, Owned: byPerson,
			Body: func(map[string]string) any {
				today := day.Today(time.Now)
				return map[string]any{"period_from": today.AddDays(-28).String(), "period_to": today.String(), "paid_pence": 80000, "spent_pence": 80000}
			}},
	},
})

// Professional support recorded for person A.
var _ = registerAccess(accessArea{
	Name: "arrangements professional support",
	Wire: wireBrokerage,
	Fixture: func(t *testing.T, w *accessWorld) map[string]string {
		p, err := w.Deps.Brokerage.RecordProfessionalSupport(context.Background(), w.actor("practitioner"), w.PersonA, supportBody())
		if err != nil {
			t.Fatal(err)
		}
		return map[string]string{"person": w.PersonA.String(), "support": p.ID.String()}
	},
	Entries: []accessEntry{
		{Method: "GET", Path: "/api/v1/persons/:id/professional-support", Roles: roles(accounts.Practitioner, accounts.Broker, accounts.Client),
			Params: id("person"), Want: 200, Owned: byPerson},
		{Method: "POST", Path: "/api/v1/persons/:id/professional-support", Roles: roles(accounts.Practitioner), Params: id("person"), Want: 201, Owned: byPerson,
			Body: func(map[string]string) any {
				n := supportBody()
				return map[string]any{"kind": n.Kind, "description": n.Description, "agreed_with": n.AgreedWith,
					"starts_on": n.StartsOn.String(), "review_by": n.ReviewBy.String()}
			}},
		{Method: "POST", Path: "/api/v1/professional-support/:id/records", Roles: roles(accounts.Practitioner), Params: id("support"), Want: 201, Owned: byPerson,
			Body: func(map[string]string) any {
				return map[string]any{"on": day.Today(time.Now).String(), "note": "Visited; all well"}
			}},
		{Method: "POST", Path: "/api/v1/professional-support/:id/end", Roles: roles(accounts.Practitioner), Params: id("support"), Want: 200, Owned: byPerson,
			Body: brokerageReasonTo},
	},
})

func supportBody() brokerage.NewProfessionalSupport {
	today := day.Today(time.Now)
	return brokerage.NewProfessionalSupport{Kind: brokerage.WellbeingVisits, Description: "Monthly wellbeing visits",
		AgreedWith: "The team manager", StartsOn: today, ReviewBy: today.AddDays(90)}
}
