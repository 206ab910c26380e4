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
	"github.com/carebroker/carebroker/plans"
	"github.com/carebroker/carebroker/providers"
)

// fullHomeWorld is two people who chose the same home care provider, which
// has room for one of them; the first is agreed. The second also has an
// offer from another provider, unless alone.
func fullHomeWorld(t *testing.T, alone bool) (w *staffWorld, second brokerage.Request, secondPerson plans.Person, fullOrg, otherOrg uuid.UUID) {
	t.Helper()
	w = newStaffWorld(t)
	ctx := context.Background()
	full, fullService, fullUser := w.provider("Full Home Care Ltd", 2400, 1)
	other, otherService, otherUser := w.provider("Other Home Care Ltd", 2400, 2)
	_, err := w.dir.SetCapacity(ctx, system, fullService, providers.CapacityChange{From: today().AddDays(-30), Units: 14})
	w.must(err)
	broker := w.actor(accounts.Broker, "", nil, nil)
	_, first := w.homecareRequest("community_led_support", "First Person", plans.Standard)
	secondPerson, second = w.homecareRequest("community_led_support", "Nadia Rahman", plans.Standard)
	w.invited(first.ID, fullService)
	if alone {
		w.invited(second.ID, fullService)
	} else {
		w.invited(second.ID, fullService, otherService)
		w.offer(otherUser, second.ID, 2400)
	}
	for _, id := range []uuid.UUID{first.ID, second.ID} {
		o := w.offer(fullUser, id, 2400)
		_, err := w.svc.Choose(ctx, broker, id, brokerage.ChoiceInput{OfferID: o.ID})
		w.must(err)
	}
	_, err = w.svc.AgreeStartDate(ctx, broker, first.ID, today().AddDays(10))
	w.must(err)
	return w, second, secondPerson, full.ID, other.ID
}

// A broker's agreement is refused because the home's hours went to the
// first person: the page says so at the start date and offers the way on.
// The broker records that the provider cannot start (once, however often
// the form is sent); the other offer can be chosen and agreed.
func TestABrokerRecordsThatTheChosenProviderCannotStartAndTheOtherOfferIsAgreed(t *testing.T) {
	t.Parallel()
	w, req, _, fullOrg, _ := fullHomeWorld(t, false)
	b, broker := w.signedIn(accounts.Broker, "")
	page := requestPath(req.ID)

	r := b.get(page)
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "Full Home Care Ltd: Full Home Care Ltd (Stretford) cannot start", `action="`+page+`/cannot-start"`)
	tok := token(t, r.Body.String())
	r = b.post(page+"/start-date", merge(url.Values{CSRFField: {tok}}, dateForm("start_date", today().AddDays(10))))
	wantStatus(t, r, http.StatusConflict)
	wantBody(t, r, `<a href="#start_date-day">The start date cannot be agreed: only 0 hours free from`,
		"If the provider cannot start, record that below and the person can choose again", `id="cannot-start" open`)

	r = b.post(page+"/cannot-start", url.Values{CSRFField: {tok}, "cannot_start_reason": {"  "}})
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#cannot_start_reason">Enter why the chosen provider cannot start</a>`, `id="cannot-start" open`)

	formID := formIDOf(t, b.get(page).Body.String(), page+"/cannot-start")
	for range 2 { // a double-click records it once
		wantRedirect(t, b.post(page+"/cannot-start", url.Values{CSRFField: {tok}, FormIDField: {formID},
			"cannot_start_reason": {"Their hours went to another person"}}), page+"#choice")
	}
	if n := w.count(`SELECT count(*) FROM request_transitions WHERE request_id = ? AND from_status = 'chosen'`, req.ID); n != 1 {
		t.Fatalf("%d transitions out of chosen, want 1", n)
	}
	if n := w.count(`SELECT count(*) FROM notifications WHERE kind = 'offer.cannot_start' AND audience_id = ?`, fullOrg.String()); n != 1 {
		t.Fatalf("the provider was told %d times, want once", n)
	}
	r = b.get(page)
	wantBody(t, r, "The choice is undone and the provider has been told", "Record their choice", "Other Home Care Ltd",
		"The chosen provider cannot start: Their hours went to another person.", "Offers that cannot be chosen now",
		"The offer is from a provider who cannot start and cannot be chosen")

	offers, err := w.svc.Offers(t.Context(), broker, req.ID)
	w.must(err)
	var other string
	for _, o := range offers.Offers {
		if o.Choosable {
			other = o.ID.String()
		}
	}
	wantRedirect(t, b.post(page+"/choice", url.Values{CSRFField: {tok}, "offer_id": {other}, "confirm": {"yes"}}), page+"#start-date")
	wantRedirect(t, b.post(page+"/start-date", merge(url.Values{CSRFField: {tok}}, dateForm("start_date", today().AddDays(10)))), page+"#agreement")
	wantBody(t, b.get(page), "Other Home Care Ltd starts on")
}

// The person is told on their own page that the start date cannot be
// agreed, and tells the service the provider cannot start. With no other
// offer standing, the request goes back to finding providers.
func TestAPersonSaysTheProviderTheyChoseCannotStart(t *testing.T) {
	t.Parallel()
	w, req, person, _, _ := fullHomeWorld(t, true)
	b, _ := w.signedInAs(accounts.Client, nil, &person.ID)
	page := yourRequestPath(req.ID)

	r := b.get(page)
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "cannot start</span>", `action="`+page+`/cannot-start"`, "Tell us they cannot start")
	tok := token(t, r.Body.String())
	r = b.post(page+"/start-date", merge(url.Values{CSRFField: {tok}}, dateForm("start_date", today().AddDays(10))))
	wantStatus(t, r, http.StatusConflict)
	wantBody(t, r, "The start date cannot be agreed: only 0 hours free", "If the provider you chose cannot start, tell us below")

	r = b.post(page+"/cannot-start", url.Values{CSRFField: {tok}})
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#cannot_start_reason">Tell us what has happened</a>`)

	wantRedirect(t, b.post(page+"/cannot-start", url.Values{CSRFField: {tok}, "cannot_start_reason": {"They rang to say they are full"}}), page)
	r = b.get(page)
	wantBody(t, r, "No other offer still stands, so we are looking for care providers again", "Finding providers")
	if strings.Contains(r.Body.String(), "Agree the date your care starts") {
		t.Fatal("the start date is still offered after the provider cannot start")
	}
	if n := w.count(`SELECT count(*) FROM requests WHERE id = ? AND status = 'matching'`, req.ID); n != 1 {
		t.Fatal("the request is not back to matching")
	}
}
