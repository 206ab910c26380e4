package frontend

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/plans"
)

// TestASecondPractitionerSignsOffAPlanAboveTheCouncilsAmount: the plan's
// author signed it off (through the API); above the council's amount it
// waits. The team's home lists it; the author's view of the plan says why
// they cannot finish it; a colleague's view offers the second sign-off,
// which opens the requests; the plan then names both practitioners, and
// so does the broker's page of its request.
func TestASecondPractitionerSignsOffAPlanAboveTheCouncilsAmount(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	ctx := context.Background()
	const team = "community_led_support"
	amount := int64(30000)
	if _, err := w.svc.Plans().UpdateSettings(ctx, w.actor(accounts.Admin, "", nil, nil), plans.NewSettings{SecondSignOffAboveWeeklyPence: &amount}); err != nil {
		t.Fatal(err)
	}
	authorBrowser, author := w.signedIn(accounts.Practitioner, team)
	colleagueBrowser, _ := w.signedIn(accounts.Practitioner, team)
	otherTeam, _ := w.signedIn(accounts.Practitioner, "mental_health")

	lat, lon := 53.4631, -2.2913
	person, err := w.svc.Plans().CreatePerson(ctx, author, plans.NewPerson{Name: "Fatima Four-Eyes", DateOfBirth: day.New(1941, 3, 14),
		Address: "1 Test Street, Old Trafford", Postcode: "M16 0RA", Latitude: &lat, Longitude: &lon})
	w.must(err)
	plan, err := w.svc.Plans().SubmitPlan(ctx, author, plans.NewPlan{PersonID: person.ID, PlanContent: plans.PlanContent{
		PersonalBudgetWeeklyPence: 40000, Needs: []plans.NewNeed{
			{Outcome: "Get up, washed and dressed each morning", HowMet: plans.CouncilArranged, WeeklyBudgetPence: 35000,
				ServiceType: "homecare", HoursPerWeek: 14, StartDate: today().AddDays(10), Urgency: plans.Standard},
		}}})
	w.must(err)
	_, reqs, err := w.svc.SignOffPlan(ctx, author, plan.ID)
	w.must(err)
	if len(reqs) != 0 {
		t.Fatalf("the author's sign-off opened %d requests", len(reqs))
	}
	page := "/practitioner/plans/" + plan.ID.String()

	home := colleagueBrowser.get("/practitioner/requests")
	wantStatus(t, home, http.StatusOK)
	wantBody(t, home, "Plans waiting for a second sign-off", `href="`+page+`"`, "Fatima Four-Eyes", "£400.00 a week")
	if strings.Contains(otherTeam.get("/practitioner/requests").Body.String(), "Fatima Four-Eyes") {
		t.Fatal("another team's home lists the plan")
	}
	wantStatus(t, otherTeam.get(page), http.StatusNotFound)

	mine := authorBrowser.get(page)
	wantStatus(t, mine, http.StatusOK)
	wantBody(t, mine, "Plan for Fatima Four-Eyes", "Waiting for a second sign-off", "You signed off this plan.",
		"Its personal budget of £400.00 a week is above the £300.00 a week the council has set", "Waiting for another practitioner of the team")
	if strings.Contains(mine.Body.String(), "Sign off as the second practitioner") {
		t.Fatal("the author is offered the second sign-off")
	}
	// The author sending the form anyway is refused, and nothing opens.
	r := authorBrowser.post(page+"/sign-off", url.Values{CSRFField: {token(t, mine.Body.String())}})
	wantStatus(t, r, http.StatusForbidden)
	if n := w.count(`SELECT count(*) FROM requests WHERE plan_id = ?`, plan.ID); n != 0 {
		t.Fatalf("the author's second try opened %d requests", n)
	}

	theirs := colleagueBrowser.get(page)
	wantStatus(t, theirs, http.StatusOK)
	wantBody(t, theirs, "Second sign-off", "Sign off as the second practitioner", "Signing it off opens its requests")
	r = colleagueBrowser.post(page+"/sign-off", url.Values{CSRFField: {token(t, theirs.Body.String())}})
	wantRedirect(t, r, page)
	done := colleagueBrowser.get(page)
	wantBody(t, done, "Plan signed off: 1 request opened for brokerage", ">Signed off</strong>", "First sign-off", "Staff Practitioner, ")
	if strings.Contains(done.Body.String(), "Waiting for another practitioner") {
		t.Fatal("the signed-off plan still waits")
	}
	if n := w.count(`SELECT count(*) FROM requests WHERE plan_id = ?`, plan.ID); n != 1 {
		t.Fatalf("%d requests after the second sign-off, want 1", n)
	}
	if n := w.count(`SELECT count(*) FROM audit_events WHERE object_id = ? AND action IN ('plan.first_sign_off', 'plan.sign_off')`, plan.ID.String()); n != 2 {
		t.Fatalf("%d sign-off audit events, want 2", n)
	}

	// The broker's page of the request names both sign-offs.
	broker, _ := w.signedIn(accounts.Broker, "")
	var reqID string
	w.must(w.db.Gorm(context.Background()).Raw(`SELECT id FROM requests WHERE plan_id = ?`, plan.ID).Scan(&reqID).Error)
	wantBody(t, broker.get("/broker/requests/"+reqID), "First sign-off", "Second sign-off")
}
