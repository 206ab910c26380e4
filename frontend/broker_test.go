package frontend

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/plans"
)

// formIDOf returns the form id of the form posting to action on the page.
func formIDOf(t *testing.T, body, action string) string {
	t.Helper()
	re := regexp.MustCompile(`action="` + regexp.QuoteMeta(action) + `"[^>]*>\s*<input type="hidden" name="csrf_token" value="[^"]+"><input type="hidden" name="form_id" value="([^"]+)">`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no form posting to %s with a form id in:\n%s", action, body)
	}
	return m[1]
}

func itoa(n int) string { return strconv.Itoa(n) }

func dateForm(name string, d day.Date) url.Values {
	return url.Values{name + "-day": {itoa(d.Day)}, name + "-month": {itoa(int(d.Month))}, name + "-year": {itoa(d.Year)}}
}

func merge(vs ...url.Values) url.Values {
	out := url.Values{}
	for _, v := range vs {
		for k, x := range v {
			out[k] = append(out[k], x...)
		}
	}
	return out
}

func TestABrokerTakesARequestFromTheQueueToAnAgreement(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	near, nearService, nearUser := w.provider("Ancoats Home Care Ltd", 2400, 1)
	_, farService, _ := w.provider("Bolton Care Ltd", 2300, 3)
	_, dearService, _ := w.provider("Costly Care Ltd", 3000, 2)
	_, req := w.homecareRequest("community_led_support", "Nadia Rahman", plans.Standard)
	b, broker := w.signedIn(accounts.Broker, "")
	page := requestPath(req.ID)

	q := b.get("/broker/queue")
	wantStatus(t, q, http.StatusOK)
	wantBody(t, q, "Request queue", req.Reference, "Nadia Rahman", "Homecare, 14 hours a week", `href="`+page+`"`, "being worked")

	r := b.get(page)
	wantStatus(t, r, http.StatusOK)
	if got := heading(t, r); got != "Nadia Rahman: Homecare" {
		t.Fatalf("heading %q", got)
	}
	wantBody(t, r, "£350.00 a week", "£400.00 a week", "Urdu", "Mornings before 9", "halal food", "Ann (daughter)",
		"Get up, washed and dressed each morning", "Direct payment", "The matcher has not been run", "Find providers")
	tok := token(t, r.Body.String())

	// Match: ranked services with distance and money in words.
	wantRedirect(t, b.post(page+"/match", url.Values{CSRFField: {tok}}), page+"#match")
	r = b.get(page)
	wantBody(t, r, "3 of the 3 services considered can take the request", "1.0 km (0.6 miles) away", "3.0 km (1.9 miles) away",
		"£336.00 a week, within the £350.00 budget", "£420.00 a week, £70.00 over the £350.00 budget: needs a budget approver",
		`value="`+nearService.String()+`"`, "Invite the chosen providers",
		// Each ranked service's score and what each part contributed, and where the weights are published.
		"of 100: distance ", ", quality rating ", ", price against budget ", ", preferences met ", ", continuity 0.0 of 10.",
		`href="/how-providers-are-ranked"`)

	// Nothing ticked: the error summary names the field.
	r = b.post(page+"/invite", url.Values{CSRFField: {tok}})
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#service_ids">Choose at least one provider to invite</a>`, `id="service_ids-error"`)

	r = b.post(page+"/invite", url.Values{CSRFField: {tok}, "service_ids": {nearService.String(), farService.String()}})
	wantRedirect(t, r, page+"#responses")
	r = b.get(page)
	wantBody(t, r, "Invited 2 providers. They have until", "Waiting for an answer", "Ancoats Home Care Ltd", "Bolton Care Ltd")
	if !strings.Contains(r.Body.String(), `value="`+dearService.String()+`"`) {
		t.Fatal("the provider not yet invited left the shortlist")
	}

	// The provider offers; the answers table shows it.
	w.offer(nearUser, req.ID, 2400)
	r = b.get(page)
	wantBody(t, r, "Offered", "£336.00 a week for 14 hours a week", "They said: “Morning calls from 8am”", "Record their choice")

	// A double-click on "remind" reminds once.
	chase := formIDOf(t, r.Body.String(), page+"/chase")
	for range 2 {
		wantRedirect(t, b.post(page+"/chase", url.Values{CSRFField: {tok}, FormIDField: {chase}}), page+"#responses")
	}
	if n := w.count(`SELECT count(*) FROM notifications WHERE kind = 'invitation.chased'`); n != 1 {
		t.Fatalf("%d reminders sent, want 1", n)
	}
	wantBody(t, b.get(page), "Sent a reminder to 1 provider")

	// A deadline that is not a date is named.
	r = b.post(page+"/deadline", merge(url.Values{CSRFField: {tok}}, url.Values{"deadline-day": {"31"}, "deadline-month": {"2"}, "deadline-year": {"2027"}}))
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#deadline-day">New response deadline must be a real date, like 27 3 2027</a>`)
	r = b.post(page+"/deadline", merge(url.Values{CSRFField: {tok}}, dateForm("deadline", today().AddDays(-1))))
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, "The new response deadline must be in the future")

	// The choice is the person's: the broker must confirm it is theirs.
	offers, err := w.svc.Offers(t.Context(), broker, req.ID)
	w.must(err)
	offerID := offers.Offers[0].ID.String()
	r = b.post(page+"/choice", url.Values{CSRFField: {tok}, "offer_id": {offerID}})
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#confirm">Confirm that you are recording the person&#39;s own choice</a>`)
	r = b.post(page+"/choice", url.Values{CSRFField: {tok}, "offer_id": {offerID}, "confirm": {"yes"}, "reason": {"By phone, with her daughter"}})
	wantRedirect(t, r, page+"#start-date")
	if n := w.count(`SELECT count(*) FROM choices WHERE request_id = ? AND chosen_as = 'broker_on_behalf' AND reason = 'By phone, with her daughter'`, req.ID); n != 1 {
		t.Fatal("the choice was not recorded as made on the person's behalf")
	}
	r = b.get(page)
	wantBody(t, r, "The person; a broker recorded it on their behalf", "Agree the start date", `name="start_date-day" type="text" inputmode="numeric" value="`)

	// The start date: not before the provider's earliest start.
	r = b.post(page+"/start-date", merge(url.Values{CSRFField: {tok}}, dateForm("start_date", today().AddDays(9))))
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#start_date-day">Start date must be on or after `+today().AddDays(10).UK())
	r = b.post(page+"/start-date", merge(url.Values{CSRFField: {tok}}, dateForm("start_date", today().AddDays(12))))
	wantRedirect(t, r, page+"#agreement")
	r = b.get(page)
	var ref string
	w.must(w.db.Gorm(context.Background()).Raw(`SELECT reference FROM agreements WHERE request_id = ?`, req.ID).Scan(&ref).Error)
	wantBody(t, r, "Agreement "+ref+" is made", "Service agreement", near.Name, today().AddDays(12).UK(), "/document.html", "/document.pdf")
	agreementID := regexp.MustCompile(`/broker/agreements/([0-9a-f-]{36})/document.pdf`).FindStringSubmatch(r.Body.String())[1]

	// Agreeing again is refused with the reason, not an error.
	r = b.post(page+"/start-date", merge(url.Values{CSRFField: {tok}}, dateForm("start_date", today().AddDays(12))))
	wantStatus(t, r, http.StatusConflict)
	wantBody(t, r, "This cannot be done now", "is already agreed")

	pdf := b.get("/broker/agreements/" + agreementID + "/document.pdf")
	if pdf.Code != 200 || pdf.Header().Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.Body.String(), "%PDF") {
		t.Fatalf("pdf: %d %q", pdf.Code, pdf.Header().Get("Content-Type"))
	}
}

func TestBrokerPagesAreForBrokersAndNameNothingElse(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	_, req := w.homecareRequest("community_led_support", "Olive Watts", plans.Urgent)
	for _, role := range []accounts.Role{accounts.Practitioner, accounts.BudgetApprover, accounts.Finance, accounts.Admin} {
		b, _ := w.signedIn(role, "community_led_support")
		for _, path := range []string{"/broker/queue", requestPath(req.ID)} {
			r := b.get(path)
			wantStatus(t, r, http.StatusForbidden)
			wantBody(t, r, "You do not have access to this page")
		}
	}
	b, _ := w.signedIn(accounts.Broker, "")
	for _, path := range []string{"/broker/requests/not-a-request", "/broker/requests/00000000-0000-4000-8000-000000000000",
		"/broker/agreements/00000000-0000-4000-8000-000000000000/document.pdf"} {
		wantStatus(t, b.get(path), http.StatusNotFound)
	}
	tok := token(t, b.get("/broker/queue").Body.String())
	// Inviting before matching is a step out of order: a clear 409.
	r := b.post(requestPath(req.ID)+"/invite", url.Values{CSRFField: {tok}, "service_ids": {"00000000-0000-4000-8000-000000000001"}})
	wantStatus(t, r, http.StatusConflict)
	wantBody(t, r, "has not been matched yet: run the matcher first")
}

func TestTheQueueFiltersAndNamesABadFilter(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	_, urgent := w.homecareRequest("community_led_support", "Uma Urgent", plans.Urgent)
	_, standard := w.homecareRequest("mental_health", "Sam Standard", plans.Standard)
	b, _ := w.signedIn(accounts.Broker, "")

	r := b.get("/broker/queue?urgency=urgent")
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, urgent.Reference, `<option value="urgent" selected>`)
	if strings.Contains(r.Body.String(), standard.Reference) {
		t.Fatal("a standard request is in the urgent queue")
	}
	r = b.get("/broker/queue?team=mental_health")
	wantBody(t, r, standard.Reference)
	if strings.Contains(r.Body.String(), urgent.Reference) {
		t.Fatal("another team's request is in the team's queue")
	}
	// The counts link to what they count; the current one is marked.
	wantBody(t, r, `<span class="app-counts__number">2</span> <span class="app-counts__text">being worked</span>`,
		`<span class="app-counts__number">1</span> <span class="app-counts__text">urgent</span>`)
	wantBody(t, b.get("/broker/queue?urgency=urgent"), `href="/broker/queue?urgency=urgent" aria-current="page"`)

	r = b.get("/broker/queue?status=lost")
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#status">Status &#34;lost&#34; is not a request status</a>`, "Error: Request queue – Carebroker")
	r = b.get("/broker/queue?due=never")
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#due">Choose deadline soon or overdue</a>`)
	wantBody(t, b.get("/broker/queue?due=overdue"), "No requests match these filters.")
}
