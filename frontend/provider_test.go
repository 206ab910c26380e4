package frontend

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/plans"
)

// signedInAs makes a user of the role bound to the organisation or person
// and a browser signed in as them.
func (w *staffWorld) signedInAs(role accounts.Role, org, person *uuid.UUID) (*browser, accounts.Actor) {
	w.t.Helper()
	email := uuid.NewString()[:8] + "." + string(role) + "@people.test"
	u, err := w.accounts.CreateUser(context.Background(), accounts.NewUser{Email: email, DisplayName: "Someone " + RoleName(role),
		Password: "a-long-people-password", Role: role, ProviderOrgID: org, PersonID: person})
	w.must(err)
	b := w.browser()
	if r := b.signIn(email, "a-long-people-password"); r.Code != http.StatusSeeOther {
		w.t.Fatalf("sign in as %s: %d", role, r.Code)
	}
	return b, u.Actor()
}

// invited matches the request and invites the services, as a broker does.
func (w *staffWorld) invited(requestID uuid.UUID, services ...uuid.UUID) []brokerage.Invitation {
	w.t.Helper()
	ctx, broker := context.Background(), w.actor(accounts.Broker, "", nil, nil)
	_, err := w.svc.RunMatch(ctx, broker, requestID)
	w.must(err)
	invs, err := w.svc.Invite(ctx, broker, requestID, services)
	w.must(err)
	return invs
}

func TestAProviderOffersOnAnInvitationAndSeesNoOtherProvidersInvitation(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	near, nearService, _ := w.provider("Ancoats Home Care Ltd", 2400, 1)
	far, farService, _ := w.provider("Bolton Care Ltd", 2300, 3)
	_, req := w.homecareRequest("community_led_support", "Nadia Rahman", plans.Standard)
	invs := w.invited(req.ID, nearService, farService)
	mine, theirs := invs[0], invs[1]
	if mine.ServiceID != nearService {
		mine, theirs = theirs, mine
	}
	b, _ := w.signedInAs(accounts.ProviderUser, &near.ID, nil)
	page := invitationPath(mine.ID)

	r := b.get("/provider/invitations")
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "Waiting for your answer", req.Reference, `href="`+page+`"`, "Homecare, 14 hours a week", "Due in 5 working days, by ", "Waiting for an answer")
	if strings.Contains(r.Body.String(), invitationPath(theirs.ID)) {
		t.Fatal("the list shows another provider's invitation")
	}

	r = b.get(page)
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "Make an offer", "Urdu", "Mornings before 9", "M16 postcode district", `name="hours_per_week" type="text" value="14"`, "Decline the invitation")
	for _, secret := range []string{"Nadia Rahman", "1 Test Street", "M16 0RA"} {
		if strings.Contains(r.Body.String(), secret) {
			t.Fatalf("the provider is shown the person's %q before being chosen", secret)
		}
	}
	tok := token(t, r.Body.String())

	// Nothing typed and a date that does not exist: each error links to its field.
	bad := merge(url.Values{CSRFField: {tok}, "hourly_rate": {""}, "hours_per_week": {"14"}},
		url.Values{"earliest_start-day": {"31"}, "earliest_start-month": {"2"}, "earliest_start-year": {"2027"}}, dateForm("valid_until", today().AddDays(40)))
	r = b.post(page+"/offer", bad)
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, "There is a problem", `<a href="#hourly_rate">Enter your hourly rate, like 24.50</a>`,
		`<a href="#earliest_start-day">Proposed start date must be a real date, like 27 3 2027</a>`, `id="hourly_rate-error"`)
	// Money that is not money; hours no week has.
	r = b.post(page+"/offer", merge(url.Values{CSRFField: {tok}, "hourly_rate": {"24.505"}, "hours_per_week": {"14"}},
		dateForm("earliest_start", today().AddDays(10)), dateForm("valid_until", today().AddDays(40))))
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#hourly_rate">Hourly rate must be an amount of money, like 24.50</a>`)
	r = b.post(page+"/offer", merge(url.Values{CSRFField: {tok}, "hourly_rate": {"24"}, "hours_per_week": {"200"}},
		dateForm("earliest_start", today().AddDays(10)), dateForm("valid_until", today().AddDays(40))))
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#hours_per_week">Hours a week must be a whole number from 1 to 168, like 14</a>`)
	if n := w.count(`SELECT count(*) FROM offers WHERE invitation_id = ?`, mine.ID); n != 0 {
		t.Fatalf("%d offers written by refused forms", n)
	}

	good := merge(url.Values{CSRFField: {tok}, "hourly_rate": {"£24.00"}, "hours_per_week": {"14"}, "notes": {"Morning calls from 8am, by two Urdu-speaking carers"}},
		dateForm("earliest_start", today().AddDays(12)), dateForm("valid_until", today().AddDays(40)))
	wantRedirect(t, b.post(page+"/offer", good), page)
	if n := w.count(`SELECT count(*) FROM offers WHERE invitation_id = ? AND weekly_price_pence = 33600 AND hourly_rate_pence = 2400
		AND hours_per_week = 14 AND earliest_start = ?`, mine.ID, today().AddDays(12)); n != 1 {
		t.Fatal("the offer was not written in pence with the hours and the start date")
	}
	r = b.get(page)
	wantBody(t, r, "Your offer of £336.00 a week for "+req.Reference+" is sent", "Your offer", "£336.00 a week for 14 hours a week",
		"£24.00 an hour", today().AddDays(12).UK(), "Morning calls from 8am")
	if strings.Contains(r.Body.String(), "Make an offer") {
		t.Fatal("the offer form is still shown after the offer")
	}
	wantBody(t, b.get("/provider/offers"), "Your offers", req.Reference, "£336.00")

	// The other provider cannot see or answer this invitation: not found,
	// and nothing written.
	other, _ := w.signedInAs(accounts.ProviderUser, &far.ID, nil)
	r = other.get(page)
	wantStatus(t, r, http.StatusNotFound)
	wantBody(t, r, "Page not found")
	otherTok := token(t, other.get("/provider/invitations").Body.String())
	r = other.post(page+"/decline", url.Values{CSRFField: {otherTok}, "reason": {"not ours"}})
	wantStatus(t, r, http.StatusNotFound)
	if n := w.count(`SELECT count(*) FROM invitations WHERE id = ? AND status = 'declined'`, mine.ID); n != 0 {
		t.Fatal("another provider declined this provider's invitation")
	}

	// It declines its own, with a reason it must give.
	theirPage := invitationPath(theirs.ID)
	r = other.post(theirPage+"/decline", url.Values{CSRFField: {otherTok}})
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#reason">Enter why you cannot take this request</a>`)
	wantRedirect(t, other.post(theirPage+"/decline", url.Values{CSRFField: {otherTok}, "reason": {"No carers free in M16 until March"}}), "/provider/invitations")
	r = other.get(theirPage)
	wantBody(t, r, "You declined this invitation: No carers free in M16 until March")
}

func TestAProviderKeepsCapacityAndRatesCurrent(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	org, service, _ := w.provider("Ancoats Home Care Ltd", 2400, 1)
	other, _, _ := w.provider("Bolton Care Ltd", 2300, 3)
	b, _ := w.signedInAs(accounts.ProviderUser, &org.ID, nil)
	page := servicePath(service)

	r := b.get("/provider/services")
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "Your services", `href="`+page+`"`, "Homecare", "40 hours a week", "£24.00 an hour")

	r = b.get(page)
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "Taken by agreements", "0 hours a week")
	tok := token(t, r.Body.String())
	r = b.post(page+"/capacity", merge(url.Values{CSRFField: {tok}, "units": {"forty"}}, dateForm("from", today().AddDays(7))))
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#units">Enter a whole number, like 40</a>`)
	r = b.post(page+"/capacity", merge(url.Values{CSRFField: {tok}, "units": {"-3"}}, dateForm("from", today().AddDays(7))))
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#units">Hours a week you can take on must not be negative (it is -3)</a>`)
	r = b.post(page+"/capacity", url.Values{CSRFField: {tok}, "units": {"30"}})
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#from-day">Enter the date it applies from</a>`)
	wantRedirect(t, b.post(page+"/capacity", merge(url.Values{CSRFField: {tok}, "units": {"30"}}, dateForm("from", today().AddDays(7)))), page)
	if n := w.count(`SELECT count(*) FROM provider_capacity WHERE service_id = ? AND from_date = ? AND units = 30`, service, today().AddDays(7)); n != 1 {
		t.Fatal("the capacity was not written")
	}
	wantBody(t, b.get(page), "From "+today().AddDays(7).UK()+" you have 30 hours a week in total")

	r = b.post(page+"/rates", merge(url.Values{CSRFField: {tok}, "rate": {"twenty"}}, dateForm("rate_from", today().AddDays(30))))
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#rate">The rate must be an amount of money, like 24.50</a>`)
	wantRedirect(t, b.post(page+"/rates", merge(url.Values{CSRFField: {tok}, "rate": {"25.50"}}, dateForm("rate_from", today().AddDays(30)))), page)
	if n := w.count(`SELECT count(*) FROM provider_rates WHERE service_id = ? AND valid_from = ? AND pence = 2550`, service, today().AddDays(30)); n != 1 {
		t.Fatal("the rate was not written in pence")
	}
	r = b.get(page)
	wantBody(t, r, "your rate is £25.50 an hour", today().AddDays(29).UK())
	// The same day again overlaps the rate just set: the field says so.
	r = b.post(page+"/rates", merge(url.Values{CSRFField: {tok}, "rate": {"26"}}, dateForm("rate_from", today().AddDays(30))))
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#rate_from-day">`)

	// Another organisation's user finds neither the page nor the form.
	ob, _ := w.signedInAs(accounts.ProviderUser, &other.ID, nil)
	wantStatus(t, ob.get(page), http.StatusNotFound)
	otherTok := token(t, ob.get("/provider/services").Body.String())
	wantStatus(t, ob.post(page+"/capacity", merge(url.Values{CSRFField: {otherTok}, "units": {"1"}}, dateForm("from", today().AddDays(9)))), http.StatusNotFound)
	if n := w.count(`SELECT count(*) FROM provider_capacity WHERE service_id = ? AND from_date = ?`, service, today().AddDays(9)); n != 0 {
		t.Fatal("another organisation changed this service's capacity")
	}
}

func TestMoneyTypedInPoundsIsReadAsPence(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int64{"24.50": 2450, "£1,234.5": 123450, "350": 35000, " £0.07 ": 7, ".5": 50} {
		if got, ok := parsePounds(in); !ok || got != want {
			t.Errorf("parsePounds(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "£", "24.505", "-3", "12a", "1.2.3", "24.", "£ 2 4"} {
		if got, ok := parsePounds(in); ok {
			t.Errorf("parsePounds(%q) = %d, want refused", in, got)
		}
	}
	if poundsValue(2405) != "24.05" {
		t.Errorf("poundsValue(2405) = %s", poundsValue(2405))
	}
	_ = day.Date{}
}

// A provider takes back an open offer from the invitation page: the offer is
// withdrawn, the invitation can be answered again, another provider cannot
// touch it, and a second withdrawal is refused.
func TestAProviderWithdrawsAnOpenOffer(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	org, service, _ := w.provider("Ancoats Home Care Ltd", 2400, 1)
	other, _, _ := w.provider("Bolton Care Ltd", 2300, 3)
	_, req := w.homecareRequest("community_led_support", "Nadia Rahman", plans.Standard)
	inv := w.invited(req.ID, service)[0]
	b, _ := w.signedInAs(accounts.ProviderUser, &org.ID, nil)
	page := invitationPath(inv.ID)

	r := b.get(page)
	if strings.Contains(r.Body.String(), "Withdraw the offer") {
		t.Fatal("the withdraw form is shown before any offer")
	}
	tok := token(t, r.Body.String())
	good := merge(url.Values{CSRFField: {tok}, "hourly_rate": {"24.00"}, "hours_per_week": {"14"}},
		dateForm("earliest_start", today().AddDays(12)), dateForm("valid_until", today().AddDays(40)))
	wantRedirect(t, b.post(page+"/offer", good), page)
	r = b.get(page)
	wantBody(t, r, "Withdraw your offer", `action="`+page+`/withdraw"`)

	// Another provider finds nothing to withdraw.
	ob, _ := w.signedInAs(accounts.ProviderUser, &other.ID, nil)
	otherTok := token(t, ob.get("/provider/invitations").Body.String())
	wantStatus(t, ob.post(page+"/withdraw", url.Values{CSRFField: {otherTok}, "withdraw_reason": {"not ours"}}), http.StatusNotFound)
	if n := w.count(`SELECT count(*) FROM offers WHERE invitation_id = ? AND status = 'open'`, inv.ID); n != 1 {
		t.Fatalf("%d open offers after another provider's attempt, want 1", n)
	}

	wantRedirect(t, b.post(page+"/withdraw", url.Values{CSRFField: {tok}, "withdraw_reason": {"Our carers in M16 are no longer free"}}), page)
	if n := w.count(`SELECT count(*) FROM offers WHERE invitation_id = ? AND status = 'withdrawn'
		AND withdraw_reason = 'Our carers in M16 are no longer free'`, inv.ID); n != 1 {
		t.Fatal("the offer was not withdrawn with its reason")
	}
	r = b.get(page)
	wantBody(t, r, "You withdrew your offer for "+req.Reference, "You withdrew this offer on ", ": Our carers in M16 are no longer free", "Make an offer")
	if strings.Contains(r.Body.String(), "Withdraw the offer") {
		t.Fatal("the withdraw form is still shown for a withdrawn offer")
	}

	// The same form sent again (a new drawing's form id) is a conflict, not a second change.
	r = b.post(page+"/withdraw", url.Values{CSRFField: {tok}, "withdraw_reason": {"again"}})
	wantStatus(t, r, http.StatusConflict)
	if n := w.count(`SELECT count(*) FROM offers WHERE invitation_id = ? AND withdraw_reason = 'again'`, inv.ID); n != 0 {
		t.Fatal("a second withdrawal changed the offer")
	}
}
