package brokerage

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/plans"
)

// dayPlaces is a plan of n day-service needs of one place each.
func dayPlaces(personID uuid.UUID, f *fixture, n int) plans.NewPlan {
	p := plans.NewPlan{PersonID: personID, PlanContent: plans.PlanContent{PersonalBudgetWeeklyPence: int64(n) * 6000}}
	for i := 0; i < n; i++ {
		p.Needs = append(p.Needs, plans.NewNeed{Outcome: fmt.Sprintf("A day out, day %d", i+1), HowMet: plans.CouncilArranged, WeeklyBudgetPence: 6000,
			ServiceType: "day_services", Places: 1, StartDate: f.today().AddDays(7), Urgency: plans.Standard})
	}
	return p
}

// TestTwoHundredAgreementsForFivePlaces: 200 requests, each with an offer
// chosen on the same day service, which has 5 places. Agreed all at once,
// exactly 5 succeed; the rest are Conflict, and the capacity never goes
// below nothing.
func TestTwoHundredAgreementsForFivePlaces(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	svc := f.provider("day_services", providerOpts{units: 5, ratePence: 5000})
	prac := f.practitioner("community_led_support")
	broker := f.actor(accounts.Broker, "", nil, nil)
	var requests []Request
	for len(requests) < 200 {
		person := f.person(prac, fmt.Sprintf("Person %d", len(requests)))
		// 25 places of £60 a week: £1,500, not above the default four-eyes
		// amount, so one sign-off opens the requests.
		plan, err := f.svc.Plans().SubmitPlan(ctx, prac, dayPlaces(person.ID, f, 25))
		if err != nil {
			t.Fatal(err)
		}
		_, reqs, err := f.svc.SignOffPlan(ctx, prac, plan.ID)
		if err != nil {
			t.Fatal(err)
		}
		requests = append(requests, reqs...)
	}
	requests = requests[:200]
	offer := NewOffer{WeeklyPricePence: 5000, Places: 1, EarliestStart: f.today().AddDays(7), ValidUntil: f.today().AddDays(30)}
	for _, r := range requests {
		if _, err := f.svc.RunMatch(ctx, broker, r.ID); err != nil {
			t.Fatal(err)
		}
		invs, err := f.svc.Invite(ctx, broker, r.ID, []uuid.UUID{svc.ServiceID})
		if err != nil {
			t.Fatal(err)
		}
		o, err := f.svc.MakeOffer(ctx, svc.User, invs[0].ID, offer)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Choose(ctx, broker, r.ID, ChoiceInput{OfferID: o.ID}); err != nil {
			t.Fatal(err)
		}
	}

	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		agreed    int
		conflicts int
		others    []error
	)
	start := make(chan struct{})
	for _, r := range requests {
		wg.Add(1)
		go func(id uuid.UUID) {
			defer wg.Done()
			<-start
			_, err := f.svc.AgreeStartDate(ctx, broker, id, offer.EarliestStart)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				agreed++
			case errs.Is(err, errs.Conflict):
				conflicts++
			default:
				others = append(others, err)
			}
		}(r.ID)
	}
	began := time.Now()
	close(start)
	wg.Wait()
	t.Logf("200 concurrent agreements settled in %s", time.Since(began).Round(time.Millisecond))
	if len(others) > 0 {
		t.Fatalf("unexpected errors: %v", errors.Join(others...))
	}
	if agreed != 5 || conflicts != 195 {
		t.Fatalf("%d agreed and %d refused, want 5 and 195", agreed, conflicts)
	}
	if n := f.count("agreements", "service_id = ? AND status = 'active'", svc.ServiceID); n != 5 {
		t.Fatalf("%d agreements in the database, want 5", n)
	}
	if n := f.count("requests", "status = ?", Agreed); n != 5 {
		t.Fatalf("%d requests agreed, want 5", n)
	}
	if n := f.count("notifications", "kind = 'agreement.created'"); n != 5 {
		t.Fatalf("%d finance notifications, want 5", n)
	}
	var over int64
	f.db.Gorm(context.Background()).Raw(`SELECT count(*) FROM provider_capacity WHERE service_id = ? AND (reserved_units > units OR reserved_units < 0)`, svc.ServiceID).Scan(&over)
	var reserved int
	f.db.Gorm(context.Background()).Raw(`SELECT max(reserved_units) FROM provider_capacity WHERE service_id = ?`, svc.ServiceID).Scan(&reserved)
	if over != 0 || reserved != 5 {
		t.Fatalf("capacity: %d rows over or under, %d places reserved", over, reserved)
	}
	// The database refuses over-commitment on its own, whatever the code does.
	err := f.db.Transaction(context.Background(), func(tx *postgres.Tx) error {
		return tx.Gorm(context.Background()).Exec(`UPDATE provider_capacity SET reserved_units = units + 1 WHERE service_id = ?`, svc.ServiceID).Error
	})
	if !errors.Is(err, gorm.ErrCheckConstraintViolated) {
		t.Fatalf("the database let capacity go below nothing: %v", err)
	}
	// Every refused request is still chosen, its capacity untouched, ready for the broker.
	if n := f.count("requests", "status = ?", Chosen); n != 195 {
		t.Fatalf("%d requests still chosen, want 195", n)
	}
}

// TestFiftyAgreementsOfOneRequest: the same start date agreed 50 times at
// once makes one agreement; the other 49 are Conflict.
func TestFiftyAgreementsOfOneRequest(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.provider("homecare", providerOpts{})
	broker, person, r, invs := f.invited("Ida Example", p)
	o, err := f.svc.MakeOffer(ctx, p.User, invs[0].ID, f.hourlyOffer(2400))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Choose(ctx, broker, r.ID, ChoiceInput{OfferID: o.ID}); err != nil {
		t.Fatal(err)
	}
	client := f.client(person)
	var wg sync.WaitGroup
	results := make(chan error, 50)
	start := make(chan struct{})
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			who := client
			if i%2 == 1 {
				who = broker
			}
			_, err := f.svc.AgreeStartDate(ctx, who, r.ID, o.EarliestStart)
			results <- err
		}(i)
	}
	began := time.Now()
	close(start)
	wg.Wait()
	t.Logf("50 concurrent agreements of one request settled in %s", time.Since(began).Round(time.Millisecond))
	close(results)
	ok, conflict := 0, 0
	for err := range results {
		switch {
		case err == nil:
			ok++
		case errs.Is(err, errs.Conflict):
			conflict++
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if ok != 1 || conflict != 49 {
		t.Fatalf("%d agreed, %d conflicts; want 1 and 49", ok, conflict)
	}
	if n := f.count("agreements", "request_id = ?", r.ID); n != 1 {
		t.Fatalf("%d agreements for the request", n)
	}
	var reserved int
	f.db.Gorm(context.Background()).Raw(`SELECT max(reserved_units) FROM provider_capacity WHERE service_id = ?`, p.ServiceID).Scan(&reserved)
	if reserved != 14 {
		t.Fatalf("reserved %d hours, want 14 (once)", reserved)
	}
}
