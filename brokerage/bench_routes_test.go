package brokerage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/plans"
	"github.com/carebroker/carebroker/providers"
)

// everyRoute is a plan content of n needs, cycling through the routes:
// council-arranged, ISF, direct payment, own resources, alternative service.
func everyRoute(n int) plans.PlanContent {
	start := day.Today(time.Now).AddDays(14)
	c := plans.PlanContent{PersonalBudgetWeeklyPence: int64(n) * 10000}
	for i := range n {
		need := plans.NewNeed{Outcome: fmt.Sprintf("Outcome %d", i), WeeklyBudgetPence: 10000}
		switch i % 5 {
		case 0, 1:
			need.HowMet, need.ServiceType, need.HoursPerWeek, need.StartDate, need.Urgency = plans.CouncilArranged, "homecare", 4, start, plans.Standard
			if i%5 == 1 {
				need.HowMet = plans.ISF
			}
		case 2:
			need.HowMet = plans.DirectPayment
			need.DirectPayment = &plans.DirectPaymentTerms{AmountPence: 40000, Frequency: plans.PaidFourWeekly, Purchase: plans.BuysPersonalAssistant}
		case 3:
			need.HowMet, need.WeeklyBudgetPence = plans.OwnResources, 0
		case 4:
			need.HowMet, need.WeeklyBudgetPence, need.AlternativeService = plans.AlternativeService, 0, "housing"
			need.AlternativeArrangedBy, need.AlternativeDueBy = "Her son", start
		}
		c.Needs = append(c.Needs, need)
	}
	return c
}

// BenchmarkPlanNeeds reads the plan view (each need's route, state and
// why, with its audit event) of a signed-off plan of 5 needs, one of each
// route, and of 30, the most a plan may have.
func BenchmarkPlanNeeds(b *testing.B) {
	ctx := context.Background()
	db := pgtest.New(b)
	users := accounts.NewStore(db)
	u, err := users.CreateUser(ctx, accounts.NewUser{Email: "bench@council.test", DisplayName: "Bench", Password: "a-long-bench-password",
		Role: accounts.Practitioner, Team: "community_led_support"})
	if err != nil {
		b.Fatal(err)
	}
	prac := u.Actor()
	// The plan of 30 needs is above the council's four-eyes amount: a
	// colleague gives the second sign-off.
	u2, err := users.CreateUser(ctx, accounts.NewUser{Email: "bench2@council.test", DisplayName: "Bench colleague", Password: "a-long-bench-password",
		Role: accounts.Practitioner, Team: "community_led_support"})
	if err != nil {
		b.Fatal(err)
	}
	svc := brokerage.New(db, brokerage.Config{Directory: providers.NewStore(db), Agreements: agreements.NewStore(db)})
	for _, n := range []int{5, 30} {
		person, err := svc.Plans().CreatePerson(ctx, prac, plans.NewPerson{Name: fmt.Sprintf("Bench %d", n), DateOfBirth: day.New(1940, 1, 1),
			Address: "1 Church Road, Urmston", Postcode: "M41 9LT"})
		if err != nil {
			b.Fatal(err)
		}
		plan, err := svc.Plans().SubmitPlan(ctx, prac, plans.NewPlan{PersonID: person.ID, PlanContent: everyRoute(n)})
		if err != nil {
			b.Fatal(err)
		}
		if plan, _, err = svc.SignOffPlan(ctx, prac, plan.ID); err != nil {
			b.Fatal(err)
		}
		if plan.Status == plans.PlanAwaitingSecondSignOff {
			if plan, _, err = svc.SignOffPlan(ctx, u2.Actor(), plan.ID); err != nil {
				b.Fatal(err)
			}
		}
		if plan.Status != plans.PlanSignedOff {
			b.Fatalf("the plan of %d needs is %s", n, plan.Status)
		}
		b.Run(fmt.Sprintf("needs=%d", n), func(b *testing.B) {
			for range b.N {
				if _, err := svc.PlanNeeds(ctx, prac, plan.ID); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
