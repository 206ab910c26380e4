package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/plans"
	"github.com/carebroker/carebroker/providers"
)

// The council staff's web pages (frontend/broker_*, approver_*,
// practitioner_*, admin_*, dashboard_*). Their home pages are in the pages
// area's homePages. Forms are sent as a browser sends them; each answers
// with 303 to the page that shows the result.

func pageForm(kv ...string) func(map[string]string) any {
	return func(ids map[string]string) any {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			val := kv[i+1]
			if x, ok := ids[val]; ok {
				val = x
			}
			v.Add(kv[i], val)
		}
		return v
	}
}

// dateFields is a GOV.UK date input's three fields for d.
func dateFields(name string, d day.Date) []string {
	return []string{name + "-day", strconv.Itoa(d.Day), name + "-month", strconv.Itoa(int(d.Month)), name + "-year", strconv.Itoa(d.Year)}
}

var (
	brokerOnly = roles(accounts.Broker)
	seeOther   = http.StatusSeeOther
)

// A request of person A, open and then matched.
var _ = registerAccess(accessArea{
	Name: "pages: broker request",
	Wire: wireBrokerage,
	Fixture: func(t *testing.T, w *accessWorld) map[string]string {
		svc := homecareOfA(t, w)
		r := requestsOfA(t, w, 1)[0]
		if _, err := w.Deps.Brokerage.RunMatch(context.Background(), w.actor("broker"), r.ID); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"request": r.ID.String(), "service": svc.String()}
	},
	Entries: []accessEntry{
		{Method: "GET", Path: "/broker/requests/:id", Roles: brokerOnly, Page: true, Params: id("request"), Want: 200},
		{Method: "POST", Path: "/broker/requests/:id/match", Roles: brokerOnly, Page: true, Params: id("request"), Want: seeOther,
			Body: pageForm()},
		{Method: "POST", Path: "/broker/requests/:id/invite", Roles: brokerOnly, Page: true, Params: id("request"), Want: seeOther,
			Body: pageForm("service_ids", "service")},
	},
})

// A request of person A waiting for organisation A's answer.
var _ = registerAccess(accessArea{
	Name: "pages: broker answers",
	Wire: wireBrokerage,
	Fixture: func(t *testing.T, w *accessWorld) map[string]string {
		r, _ := invitedRequestOfA(t, w)
		return map[string]string{"invited_request": r.ID.String()}
	},
	Entries: []accessEntry{
		{Method: "POST", Path: "/broker/requests/:id/chase", Roles: brokerOnly, Page: true, Params: id("invited_request"), Want: seeOther,
			Body: pageForm()},
		{Method: "POST", Path: "/broker/requests/:id/deadline", Roles: brokerOnly, Page: true, Params: id("invited_request"), Want: seeOther,
			Body: pageForm(dateFields("deadline", day.Today(time.Now).AddDays(30))...)},
	},
})

// Organisation A's offer on person A's request, to choose; and a chosen
// one, to agree; and an agreed one, to read.
var _ = registerAccess(accessArea{
	Name: "pages: broker choice and agreement",
	Wire: wireBrokerage,
	Fixture: func(t *testing.T, w *accessWorld) map[string]string {
		ctx, b, broker := context.Background(), w.Deps.Brokerage, w.actor("broker")
		offered, o := offeredRequestOfA(t, w, 2400)
		chosen, o2 := offeredRequestOfA(t, w, 2400)
		if _, err := b.Choose(ctx, broker, chosen.ID, brokerage.ChoiceInput{OfferID: o2.ID}); err != nil {
			t.Fatal(err)
		}
		agreed, o3 := offeredRequestOfA(t, w, 2400)
		if _, err := b.Choose(ctx, broker, agreed.ID, brokerage.ChoiceInput{OfferID: o3.ID}); err != nil {
			t.Fatal(err)
		}
		ag, err := b.AgreeStartDate(ctx, broker, agreed.ID, accessStart())
		if err != nil {
			t.Fatal(err)
		}
		return map[string]string{"offered_request": offered.ID.String(), "offer": o.ID.String(), "chosen_request": chosen.ID.String(),
			"agreement": ag.ID.String()}
	},
	Entries: []accessEntry{
		{Method: "POST", Path: "/broker/requests/:id/choice", Roles: brokerOnly, Page: true, Params: id("offered_request"), Want: seeOther,
			Body: pageForm("offer_id", "offer", "confirm", "yes", "reason", "by phone")},
		{Method: "POST", Path: "/broker/requests/:id/start-date", Roles: brokerOnly, Page: true, Params: id("chosen_request"), Want: seeOther,
			Body: pageForm(dateFields("start_date", accessStart())...)},
		{Method: "POST", Path: "/broker/requests/:id/cannot-start", Roles: brokerOnly, Page: true, Params: id("chosen_request"), Want: seeOther,
			Body: pageForm("cannot_start_reason", "the provider has no carers free")},
		{Method: "GET", Path: "/broker/agreements/:id/document.html", Roles: brokerOnly, Page: true, Params: id("agreement"), Want: 200},
		{Method: "GET", Path: "/broker/agreements/:id/document.pdf", Roles: brokerOnly, Page: true, Params: id("agreement"), Want: 200},
	},
})

// An offer over the budget, for a budget approver's decision.
var _ = registerAccess(accessArea{
	Name: "pages: approvals",
	Wire: wireBrokerage,
	Fixture: func(t *testing.T, w *accessWorld) map[string]string {
		_, o := offeredRequestOfA(t, w, 2600)
		return map[string]string{"over_offer": o.ID.String()}
	},
	Entries: []accessEntry{
		{Method: "GET", Path: "/approvals/:id", Roles: roles(accounts.BudgetApprover), Page: true, Params: id("over_offer"), Want: 200},
		{Method: "POST", Path: "/approvals/:id", Roles: roles(accounts.BudgetApprover), Page: true, Params: id("over_offer"), Want: seeOther,
			Body: pageForm("decision", "approve", "note", "justified")},
	},
})

// Person A's request and team A's review task: team B's practitioner finds neither.
var _ = registerAccess(accessArea{
	Name: "pages: practitioner",
	Wire: wireBrokerage,
	Fixture: func(t *testing.T, w *accessWorld) map[string]string {
		ids := agreementsFixture(t, w)
		ids["request"] = requestsOfA(t, w, 1)[0].ID.String()
		ids["awaiting_plan"] = awaitingPlanOfTeamA(t, w).String()
		return ids
	},
	Entries: []accessEntry{
		{Method: "GET", Path: "/practitioner/requests/:id", Roles: roles(accounts.Practitioner), Page: true, Params: id("request"), Want: 200, Owned: byPerson},
		{Method: "GET", Path: "/practitioner/plans/:id", Roles: roles(accounts.Practitioner), Page: true, Params: id("awaiting_plan"), Want: 200, Owned: byPerson},
		{Method: "POST", Path: "/practitioner/plans/:id/sign-off", Roles: roles(accounts.Practitioner), Page: true, Params: id("awaiting_plan"),
			Want: seeOther, Owned: byPerson, Body: pageForm()},
		{Method: "GET", Path: "/practitioner/reviews/:id", Roles: roles(accounts.Practitioner), Page: true, Params: id("review"), Want: 200, Owned: byPerson},
		{Method: "POST", Path: "/practitioner/reviews/:id", Roles: roles(accounts.Practitioner), Page: true, Params: id("review"), Want: seeOther, Owned: byPerson,
			Body: pageForm("outcome", "Visited; settling in")},
	},
})

// The managers' dashboard.
var _ = registerAccess(accessArea{
	Name: "pages: dashboard",
	Wire: wireBrokerage,
	Entries: []accessEntry{
		{Method: "GET", Path: "/dashboard", Roles: roles(accounts.Broker, accounts.Admin), Page: true, Want: 200},
	},
})

// The administrators' pages: a fresh account to disable, organisation A
// under a suspension to end, and fresh names for what the forms create.
var _ = registerAccess(accessArea{
	Name: "pages: admin",
	Wire: wireBrokerage,
	Fixture: func(t *testing.T, w *accessWorld) map[string]string {
		ctx, fresh := context.Background(), uuid.NewString()[:8]
		u, err := w.Deps.Accounts.CreateUser(ctx, accounts.NewUser{Email: "leaver." + fresh + "@access.example", DisplayName: "Leaver",
			Password: w.Password, Role: accounts.Broker})
		if err != nil {
			t.Fatal(err)
		}
		org, err := w.Deps.Providers.Organisation(ctx, w.OrgA)
		if err != nil {
			t.Fatal(err)
		}
		s, err := w.Deps.Providers.Suspend(ctx, accounts.SystemActor, w.OrgA, providers.NewSuspension{Kind: "suspension", Reason: "access table",
			StartsOn: day.Today(time.Now).AddDays(30)})
		if err != nil {
			t.Fatal(err)
		}
		return map[string]string{"user": u.ID.String(), "new_email": "new." + fresh + "@access.example", "framework": "Access framework " + fresh,
			"org_name": org.Name, "suspension": s.ID.String()}
	},
	Entries: append([]accessEntry{
		{Method: "POST", Path: "/admin/users", Roles: adminOnly, Page: true, Want: seeOther,
			Body: pageForm("display_name", "New Broker", "email", "new_email", "role", "broker", "password", "a-long-access-password")},
		{Method: "GET", Path: "/admin/users/:id/disable", Roles: adminOnly, Page: true, Params: id("user"), Want: 200},
		{Method: "POST", Path: "/admin/users/:id/disable", Roles: adminOnly, Page: true, Params: id("user"), Want: seeOther,
			Body: pageForm("reason", "left")},
		{Method: "POST", Path: "/admin/frameworks", Roles: adminOnly, Page: true, Want: seeOther,
			Body: pageForm(append([]string{"name", "framework", "kind", "dps", "lot_name", "Lot 1", "service_types", "homecare"},
				dateFields("starts_on", day.Today(time.Now))...)...)},
		{Method: "POST", Path: "/admin/suspensions", Roles: adminOnly, Page: true, Want: seeOther,
			Body: pageForm(append([]string{"organisation", "org_name", "kind", "embargo", "reason", "access table"},
				dateFields("starts_on", day.Today(time.Now).AddDays(60))...)...)},
		{Method: "GET", Path: "/admin/suspensions/:id/end", Roles: adminOnly, Page: true, Params: id("suspension"), Want: 200},
		{Method: "POST", Path: "/admin/suspensions/:id/end", Roles: adminOnly, Page: true, Params: id("suspension"), Want: seeOther,
			Body: pageForm(append([]string{"reason", "lifted"}, dateFields("ends_on", day.Today(time.Now).AddDays(40))...)...)},
	}, adminReads("/admin/users", "/admin/users/new", "/admin/frameworks", "/admin/frameworks/new", "/admin/suspensions",
		"/admin/suspensions/new", "/admin/audit")...),
})

var adminOnly = roles(accounts.Admin)

func adminReads(paths ...string) []accessEntry {
	var es []accessEntry
	for _, p := range paths {
		es = append(es, accessEntry{Method: "GET", Path: p, Roles: adminOnly, Page: true, Want: 200})
	}
	return es
}

// awaitingPlanOfTeamA is a plan of a fresh person of team A above the
// council's four-eyes amount (£1,500 a week by default), signed off once by
// another practitioner of team A: team A's practitioner may give the
// second sign-off.
func awaitingPlanOfTeamA(t *testing.T, w *accessWorld) uuid.UUID {
	t.Helper()
	ctx, b := context.Background(), w.Deps.Brokerage
	u, err := w.Deps.Accounts.CreateUser(ctx, accounts.NewUser{Email: uuid.NewString()[:8] + ".colleague@access.example",
		DisplayName: "Colleague", Password: w.Password, Role: accounts.Practitioner, Team: w.TeamA})
	if err != nil {
		t.Fatal(err)
	}
	colleague := u.Actor()
	lat, lon := 53.4465, -2.3428
	person, err := b.Plans().CreatePerson(ctx, colleague, plans.NewPerson{Name: "Access Four Eyes " + uuid.NewString()[:8],
		DateOfBirth: day.New(1945, 1, 1), Address: "4 Church Road, Urmston", Postcode: "M41 9LT", Latitude: &lat, Longitude: &lon})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := b.Plans().SubmitPlan(ctx, colleague, plans.NewPlan{PersonID: person.ID, PlanContent: homecareNeeds(5)})
	if err != nil {
		t.Fatal(err)
	}
	plan, _, err = b.SignOffPlan(ctx, colleague, plan.ID)
	if err != nil || plan.Status != plans.PlanAwaitingSecondSignOff {
		t.Fatalf("the first sign-off: %s %v", plan.Status, err)
	}
	return plan.ID
}
