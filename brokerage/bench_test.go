package brokerage_test

import (
	"context"
	"testing"
	"time"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/demo"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/plans"
	"github.com/carebroker/carebroker/providers"
)

// BenchmarkRunMatch runs the matcher, end to end, for a residential care
// request in Urmston against the demo's real Greater Manchester directory:
// reading the candidates, ranking them, storing the run and its audit
// event.
func BenchmarkRunMatch(b *testing.B) {
	ctx := context.Background()
	db := pgtest.New(b)
	if _, err := demo.Seed(ctx, db); err != nil {
		b.Fatal(err)
	}
	users := accounts.NewStore(db)
	actor := func(email string) accounts.Actor {
		u, err := users.UserByEmail(ctx, email)
		if err != nil {
			b.Fatal(err)
		}
		return u.Actor()
	}
	prac, broker := actor("practitioner@demo.carebroker.example"), actor("broker@demo.carebroker.example")
	dir := providers.NewStore(db)
	svc := brokerage.New(db, brokerage.Config{Directory: dir, Agreements: agreements.NewStore(db)})
	lat, lon := 53.4465, -2.3428
	person, err := svc.Plans().CreatePerson(ctx, prac, plans.NewPerson{Name: "Bench Example", DateOfBirth: day.New(1940, 1, 1),
		Address: "1 Church Road, Urmston", Postcode: "M41 9LT", Latitude: &lat, Longitude: &lon})
	if err != nil {
		b.Fatal(err)
	}
	plan, err := svc.Plans().SubmitPlan(ctx, prac, plans.NewPlan{PersonID: person.ID, PlanContent: plans.PlanContent{
		PersonalBudgetWeeklyPence: 95000, Needs: []plans.NewNeed{{Outcome: "A home near family", HowMet: plans.CouncilArranged,
			WeeklyBudgetPence: 95000, ServiceType: "residential_care", Places: 1, StartDate: day.Today(time.Now).AddDays(14), Urgency: plans.Standard}}}})
	if err != nil {
		b.Fatal(err)
	}
	_, reqs, err := svc.SignOffPlan(ctx, prac, plan.ID)
	if err != nil {
		b.Fatal(err)
	}
	var ranked, excluded int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m, err := svc.RunMatch(ctx, broker, reqs[0].ID)
		if err != nil {
			b.Fatal(err)
		}
		ranked, excluded = len(m.Ranked), len(m.Excluded)
	}
	b.ReportMetric(float64(ranked), "ranked")
	b.ReportMetric(float64(excluded), "excluded")
}
