package frontend

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/plans"
)

func TestAnAdministratorCreatesAndDisablesAccounts(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	org, _, _ := w.provider("Ancoats Home Care Ltd", 2400, 1)
	w.provider("Ancoats Care Partnership", 2400, 2)
	person, _ := w.homecareRequest("community_led_support", "Iris Client", plans.Standard)
	b, admin := w.signedIn(accounts.Admin, "")

	r := b.get("/admin")
	wantStatus(t, r, http.StatusOK)
	active := w.count(`SELECT count(*) FROM users WHERE disabled_at IS NULL`)
	wantBody(t, r, "Administration", itoa(active)+" active", `href="/admin/users"`, `href="/admin/audit"`)
	tok := token(t, r.Body.String())

	// Nothing filled in: each field is named.
	r = b.post("/admin/users", url.Values{CSRFField: {tok}})
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#role">Choose the role of the account</a>`)
	r = b.post("/admin/users", url.Values{CSRFField: {tok}, "role": {"practitioner"}, "display_name": {"Pam Practitioner"}, "email": {"not-an-address"}, "password": {"short"}})
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#team">Choose the practitioner&#39;s team</a>`)
	r = b.post("/admin/users", url.Values{CSRFField: {tok}, "role": {"practitioner"}, "team": {"reablement"}, "display_name": {"Pam Practitioner"}, "email": {"not-an-address"}, "password": {"short"}})
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#email">Email address must be an email address like name@example.org</a>`)
	if strings.Contains(r.Body.String(), `value="short"`) {
		t.Fatal("the password was sent back to the browser")
	}

	form := func(kv ...string) url.Values {
		v := url.Values{CSRFField: {tok}, "password": {"a-long-new-password"}}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	wantRedirect(t, b.post("/admin/users", form("role", "practitioner", "team", "reablement", "display_name", "Pam Practitioner", "email", "pam@council.example")), "/admin/users")
	wantBody(t, b.get("/admin/users"), "Pam Practitioner&#39;s account is ready: pam@council.example can now sign in as a practitioner", "Reablement")
	if n := w.count(`SELECT count(*) FROM audit_events WHERE action = 'user.create' AND actor_user_id = ?`, admin.UserID); n != 1 {
		t.Fatalf("%d account creations audited", n)
	}
	// The same address again is named on its field.
	r = b.post("/admin/users", form("role", "broker", "display_name", "Pam Again", "email", "pam@council.example"))
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#email">An account with this email address already exists</a>`)

	// A provider user is bound to the organisation named exactly; a near
	// name is answered with what it might mean.
	r = b.post("/admin/users", form("role", "provider", "display_name", "Cara Carer", "email", "cara@ancoats.example", "organisation", "Ancoats"))
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, "No provider is called exactly Ancoats. Did you mean Ancoats Care Partnership, or Ancoats Home Care Ltd?")
	wantRedirect(t, b.post("/admin/users", form("role", "provider", "display_name", "Cara Carer", "email", "cara@ancoats.example", "organisation", "ancoats home care ltd")), "/admin/users")
	if n := w.count(`SELECT count(*) FROM users WHERE email = 'cara@ancoats.example' AND provider_org_id = ?`, org.ID); n != 1 {
		t.Fatal("the provider user is not bound to its organisation")
	}
	// A person's account is bound to the person named.
	wantRedirect(t, b.post("/admin/users", form("role", "client", "display_name", "Iris Client", "email", "iris@home.example", "person", "Iris Client")), "/admin/users")
	if n := w.count(`SELECT count(*) FROM users WHERE email = 'iris@home.example' AND person_id = ?`, person.ID); n != 1 {
		t.Fatal("the client is not bound to the person")
	}
	r = b.post("/admin/users", form("role", "client", "display_name", "Nobody", "email", "no@home.example", "person", "Nobody Known"))
	wantBody(t, r, "No person is recorded as Nobody Known")

	// Pam signs in; disabling her account signs her out.
	pam := w.browser()
	wantRedirect(t, pam.signIn("pam@council.example", "a-long-new-password"), "/practitioner/requests")
	var pamID string
	w.must(w.db.Gorm(context.Background()).Raw(`SELECT id::text FROM users WHERE email = 'pam@council.example'`).Scan(&pamID).Error)
	page := "/admin/users/" + pamID + "/disable"
	wantBody(t, b.get("/admin/users"), `href="`+page+`"`)
	r = b.post(page, url.Values{CSRFField: {tok}})
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#reason">Enter why you are disabling the account</a>`)
	wantRedirect(t, b.post(page, url.Values{CSRFField: {tok}, "reason": {"Moved to another council"}}), "/admin/users")
	if r := pam.get("/practitioner/requests"); r.Code != http.StatusSeeOther || !strings.HasPrefix(r.Header().Get("Location"), "/sign-in") {
		t.Fatalf("the disabled account's session goes on: %d", r.Code)
	}
	if n := w.count(`SELECT count(*) FROM audit_events WHERE action = 'user.disable' AND object_id = ? AND summary->>'reason' = 'Moved to another council'`, pamID); n != 1 {
		t.Fatal("the disable was not audited with its reason")
	}
	// An administrator cannot disable their own account.
	r = b.post("/admin/users/"+admin.UserID.String()+"/disable", url.Values{CSRFField: {tok}, "reason": {"oops"}})
	wantStatus(t, r, http.StatusForbidden)
}

func TestAnAdministratorKeepsFrameworksAndSuspensions(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	org, _, _ := w.provider("Bury Care Ltd", 2400, 1)
	b, _ := w.signedIn(accounts.Admin, "")
	tok := token(t, b.get("/admin/frameworks").Body.String())

	r := b.post("/admin/frameworks", url.Values{CSRFField: {tok}, "name": {"Day Services DPS"}, "kind": {"dps"}, "lot_name": {"Day services"},
		"starts_on-day": {"1"}, "starts_on-month": {"13"}, "starts_on-year": {"2026"}})
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#starts_on-day">Start date must be a real date, like 27 3 2027</a>`, `<a href="#service_types">Choose at least one service type for the lot</a>`)
	wantRedirect(t, b.post("/admin/frameworks", merge(url.Values{CSRFField: {tok}, "name": {"Day Services DPS"}, "kind": {"dps"}, "lot_name": {"Day services"},
		"service_types": {"day_services", "specialist_day_services"}}, dateForm("starts_on", today()))), "/admin/frameworks")
	wantBody(t, b.get("/admin/frameworks"), "Day Services DPS is added", "Dynamic purchasing system", "Day services (day services, specialist day services)")

	r = b.post("/admin/suspensions", url.Values{CSRFField: {tok}, "organisation": {"Bury Care Ltd"}})
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#kind">Choose a suspension or an embargo</a>`, `<a href="#reason">Enter why the provider is suspended</a>`, `<a href="#starts_on-day">Enter the start date</a>`)
	wantRedirect(t, b.post("/admin/suspensions", merge(url.Values{CSRFField: {tok}, "organisation": {"Bury Care Ltd"}, "kind": {"embargo"},
		"reason": {"Safeguarding enquiry"}}, dateForm("starts_on", today()))), "/admin/suspensions")
	r = b.get("/admin/suspensions")
	wantBody(t, r, "Bury Care Ltd is under an embargo from", "Safeguarding enquiry", "Further notice")
	var sid string
	w.must(w.db.Gorm(context.Background()).Raw(`SELECT id::text FROM provider_suspensions WHERE organisation_id = ?`, org.ID).Scan(&sid).Error)
	end := "/admin/suspensions/" + sid + "/end"
	r = b.get(end)
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "End the embargo of Bury Care Ltd")
	r = b.post(end, merge(url.Values{CSRFField: {tok}}, dateForm("ends_on", today().AddDays(-1))))
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, "The last day must be on or after "+today().UK(), `<a href="#reason">Enter why the suspension ends</a>`)
	wantRedirect(t, b.post(end, merge(url.Values{CSRFField: {tok}, "reason": {"Enquiry closed"}}, dateForm("ends_on", today()))), "/admin/suspensions")
	wantBody(t, b.get("/admin/suspensions"), "The embargo of Bury Care Ltd ends on "+today().UK())
	// Ended yesterday-or-today suspensions still show until they are past;
	// one ended before today is gone, and its page with it.
	w.must(w.db.Gorm(context.Background()).Exec(`UPDATE provider_suspensions SET starts_on = ?, ends_on = ? WHERE id = ?`, today().AddDays(-5), today().AddDays(-1), sid).Error)
	wantStatus(t, b.get(end), http.StatusNotFound)
}

func TestTheAuditTrailIsSearchedByPersonAndByWhoDidIt(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	person, req := w.homecareRequest("community_led_support", "Jude Audit", plans.Standard)
	broker, brokerActor := w.signedIn(accounts.Broker, "")
	broker.get(requestPath(req.ID)) // the broker reads Jude's plan
	var brokerEmail string
	w.must(w.db.Gorm(context.Background()).Raw(`SELECT email FROM users WHERE id = ?`, brokerActor.UserID).Scan(&brokerEmail).Error)
	b, _ := w.signedIn(accounts.Admin, "")

	r := b.get("/admin/audit?person=Jude+Audit")
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "plan.view", "plan.sign_off", "person.create", person.ID.String()[:8], "Staff Broker, broker")
	r = b.get("/admin/audit?actor=" + url.QueryEscape(brokerEmail))
	wantBody(t, r, "plan.view", "session.start")
	if strings.Contains(r.Body.String(), "person.create") {
		t.Fatal("the broker's events include the practitioner's")
	}
	r = b.get("/admin/audit?actor=nobody%40council.example")
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#actor">No account has the email address nobody@council.example</a>`)
	// Each search is itself in the trail, with the person it looked at.
	if n := w.count(`SELECT count(*) FROM audit_events WHERE action = 'audit.query' AND person_id = ?`, person.ID); n != 1 {
		t.Fatalf("%d searches by person recorded", n)
	}
	for _, role := range []accounts.Role{accounts.Broker, accounts.Practitioner, accounts.Finance, accounts.BudgetApprover} {
		other, _ := w.signedIn(role, "community_led_support")
		for _, path := range []string{"/admin", "/admin/users", "/admin/frameworks", "/admin/suspensions", "/admin/audit"} {
			wantStatus(t, other.get(path), http.StatusForbidden)
		}
	}
}
