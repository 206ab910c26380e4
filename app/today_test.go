package app

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/plans"
	"github.com/carebroker/carebroker/providers"
)

// TestTodayIsTheLondonDayEverywhere is issue 13's second defect: at 23:30
// UTC on 1 July it is 00:30 on 2 July in London, and every page and store
// that uses "today" must say 2 July. Each check below would see 1 July
// with the UTC day, or with a clock of its own instead of the service's.
func TestTodayIsTheLondonDayEverywhere(t *testing.T) {
	t.Parallel()
	w := newWorld(t, time.Date(2026, 7, 1, 23, 30, 0, 0, time.UTC))
	ctx, dir := context.Background(), w.deps.Providers
	yesterday, today := day.New(2026, 7, 1), day.New(2026, 7, 2)

	admin := w.user(accounts.Admin, "", nil)
	org, loc, svc := w.newService("Today Care")
	_, err := dir.Suspend(ctx, sys, org, providers.NewSuspension{Kind: "suspension", Reason: "ended yesterday", StartsOn: day.New(2026, 6, 1), EndsOn: yesterday})
	w.must(err)
	current, err := dir.Suspend(ctx, sys, org, providers.NewSuspension{Kind: "embargo", Reason: "until further notice", StartsOn: day.New(2026, 6, 1)})
	w.must(err)
	adminPages := w.browser(admin)

	t.Run("admin suspension forms start on today", func(t *testing.T) {
		page := adminPages.page(t, "/admin/suspensions/new")
		if got := dateInput(page, "starts_on"); got != "2/7/2026" {
			t.Errorf("new suspension starts on %s, want 2/7/2026", got)
		}
		live := adminPages.page(t, "/admin/suspensions")
		if strings.Contains(live, "ended yesterday") || !strings.Contains(live, "until further notice") {
			t.Errorf("suspensions in force or to come should list only the open-ended one:\n%s", rowWith(live, "Today Care"))
		}
		end := adminPages.page(t, "/admin/suspensions/"+current.ID.String()+"/end")
		if got := dateInput(end, "ends_on"); got != "2/7/2026" {
			t.Errorf("ending a suspension defaults to %s, want 2/7/2026", got)
		}
	})

	t.Run("admin home counts suspensions in force today", func(t *testing.T) {
		if home := adminPages.page(t, "/admin"); !strings.Contains(home, "1 in force or to come") {
			t.Errorf("admin home: %s", rowWith(home, "Suspensions"))
		}
	})

	t.Run("practitioner review tasks are due or overdue by today", func(t *testing.T) {
		prac := w.user(accounts.Practitioner, "community_led_support", nil)
		person, err := w.deps.Brokerage.Plans().CreatePerson(ctx, prac.Actor(), plans.NewPerson{Name: "Review Person", DateOfBirth: day.New(1941, 3, 14),
			Address: "1 Test Street, Old Trafford", Postcode: "M16 0RA"})
		w.must(err)
		for _, due := range []day.Date{yesterday, today} {
			err := w.deps.DB.Transaction(ctx, func(tx *postgres.Tx) error {
				_, err := w.deps.Agreements.ScheduleReview(ctx, tx, sys, agreements.NewReview{Subject: agreements.SubjectPlan, SubjectID: uuid.New(),
					PersonID: person.ID, PersonName: "Review Person " + due.UK(), Team: "community_led_support", Kind: agreements.PlanReview,
					DueFrom: due, DueBy: due, Reason: "due " + due.UK()})
				return err
			})
			w.must(err)
		}
		page := w.browser(prac).page(t, "/practitioner/requests")
		if row := rowWith(page, "Review Person 1 July 2026"); !strings.Contains(row, ">Overdue<") {
			t.Errorf("a review due by 1 July, on 2 July: %s", row)
		}
		if row := rowWith(page, "Review Person 2 July 2026"); !strings.Contains(row, ">Due<") {
			t.Errorf("a review due on 2 July, on 2 July: %s", row)
		}
	})

	t.Run("provider services show today's capacity and rate", func(t *testing.T) {
		_, err := dir.SetCapacity(ctx, sys, svc, providers.CapacityChange{From: today, Units: 12})
		w.must(err)
		_, err = dir.AddRate(ctx, sys, svc, providers.NewRate{Pence: 2450, ValidFrom: today})
		w.must(err)
		page := w.browser(w.user(accounts.ProviderUser, "", &org)).page(t, "/provider/services")
		if row := rowWith(page, "Today Care"); !strings.Contains(row, "12 hours a week") || !strings.Contains(row, "£24.50") {
			t.Errorf("capacity and rate from 2 July, on 2 July: %s", row)
		}
	})

	t.Run("eligibility is asked about today by default", func(t *testing.T) {
		var e struct{ On day.Date }
		w.decode(w.call("GET", "/api/v1/provider-services/"+svc.String()+"/eligibility", admin, nil), http.StatusOK, &e)
		if e.On != today {
			t.Errorf("eligibility on %s, want %s", e.On, today)
		}
	})

	t.Run("the directory takes a rating dated today", func(t *testing.T) {
		r := w.call("PUT", "/api/v1/provider-locations/"+loc.String()+"/rating", admin,
			map[string]any{"registration_status": "registered", "rating": "good", "rating_date": today})
		if r.Code != http.StatusOK {
			t.Errorf("a rating dated 2 July, on 2 July: %d %s", r.Code, r.Body)
		}
	})

	t.Run("plans start today or later", func(t *testing.T) {
		prac := w.user(accounts.Practitioner, "community_led_support", nil).Actor()
		person, err := w.deps.Brokerage.Plans().CreatePerson(ctx, prac, plans.NewPerson{Name: "Plan Person", DateOfBirth: day.New(1941, 3, 14),
			Address: "1 Test Street, Old Trafford", Postcode: "M16 0RA"})
		w.must(err)
		plan := func(start day.Date) error {
			_, err := w.deps.Brokerage.Plans().SubmitPlan(ctx, prac, plans.NewPlan{PersonID: person.ID, PlanContent: plans.PlanContent{
				PersonalBudgetWeeklyPence: 40000, Needs: []plans.NewNeed{{Outcome: "Get up each morning", HowMet: plans.CouncilArranged,
					WeeklyBudgetPence: 35000, ServiceType: "homecare", HoursPerWeek: 14, StartDate: start, Urgency: plans.Standard}}}})
			return err
		}
		if err := plan(yesterday); errs.As(err) == nil || !strings.HasSuffix(errs.As(err).Field, "start_date") {
			t.Errorf("a plan starting 1 July, on 2 July: %v, want Invalid start_date", err)
		}
		if err := plan(today); err != nil {
			t.Errorf("a plan starting 2 July, on 2 July: %v", err)
		}
	})

	t.Run("a review completed now was completed today", func(t *testing.T) {
		person, err := w.deps.Brokerage.Plans().CreatePerson(ctx, w.user(accounts.Practitioner, "mental_health", nil).Actor(), plans.NewPerson{
			Name: "Done Person", DateOfBirth: day.New(1941, 3, 14), Address: "1 Test Street, Old Trafford", Postcode: "M16 0RA"})
		w.must(err)
		var task agreements.ReviewTask
		err = w.deps.DB.Transaction(ctx, func(tx *postgres.Tx) error {
			task, err = w.deps.Agreements.ScheduleReview(ctx, tx, sys, agreements.NewReview{Subject: agreements.SubjectPlan, SubjectID: uuid.New(),
				PersonID: person.ID, PersonName: "Done Person", Team: "mental_health", Kind: agreements.PlanReview, DueFrom: today, DueBy: today, Reason: "check"})
			return err
		})
		w.must(err)
		prac := w.user(accounts.Practitioner, "mental_health", nil).Actor()
		_, err = w.deps.Agreements.CompleteReview(ctx, prac, task.ID, "all well")
		w.must(err)
		_, err = w.deps.Agreements.CompleteReview(ctx, prac, task.ID, "again")
		if err == nil || !strings.Contains(err.Error(), "already completed on 2 July 2026") {
			t.Errorf("completing it again: %v, want it already completed on 2 July 2026", err)
		}
	})

	t.Run("downloads are named for today", func(t *testing.T) {
		finance := w.user(accounts.Finance, "", nil)
		r := w.call("GET", "/api/v1/finance/notifications.csv", finance, nil)
		if got := r.Header().Get("Content-Disposition"); !strings.HasSuffix(got, `-2026-07-02.csv"`) {
			t.Errorf("API download: %d %q", r.Code, got)
		}
		r = w.browser(finance).get("/finance/notifications.csv")
		if got := r.Header().Get("Content-Disposition"); !strings.HasSuffix(got, `-2026-07-02.csv"`) {
			t.Errorf("page download: %d %q", r.Code, got)
		}
	})
}

// dateInput reads a GOV.UK date input's day, month and year from a page,
// as "2/7/2026".
func dateInput(page, name string) string {
	var parts []string
	for _, p := range []string{"day", "month", "year"} {
		m := regexp.MustCompile(`name="` + name + `-` + p + `"[^>]*value="([^"]*)"`).FindStringSubmatch(page)
		if m == nil {
			return "(no " + name + "-" + p + ")"
		}
		parts = append(parts, m[1])
	}
	return strings.Join(parts, "/")
}
