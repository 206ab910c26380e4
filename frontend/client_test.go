package frontend

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/plans"
)

func TestAPersonComparesOffersChoosesAgreesAStartAndFinanceAcknowledges(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	_, nearService, nearUser := w.provider("Ancoats Home Care Ltd", 2400, 1)
	_, farService, farUser := w.provider("Bolton Care Ltd", 2300, 3)
	person, req := w.homecareRequest("community_led_support", "Nadia Rahman", plans.Standard)
	stranger, strangersReq := w.homecareRequest("community_led_support", "Someone Else", plans.Standard)
	w.invited(req.ID, nearService, farService)
	w.offer(nearUser, req.ID, 2400)
	w.offer(farUser, req.ID, 2300)
	b, _ := w.signedInAs(accounts.Client, nil, &person.ID)
	page := yourRequestPath(req.ID)

	r := b.get("/your-care")
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "Your care and support", "Get up, washed and dressed each morning", "Go to the lunch club", "Not in place yet",
		"Offers to choose from", "Compare the offers and choose", `href="`+page+`"`)
	if strings.Contains(r.Body.String(), yourRequestPath(strangersReq.ID)) {
		t.Fatal("the person's home lists another person's request")
	}

	r = b.get(page)
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "Offers from care providers", "Ancoats Home Care Ltd", "Bolton Care Ltd", "£336.00 a week (within your budget)",
		"£322.00 a week (within your budget)", "14 hours a week", "Good", "1.0 km (0.6 miles) away from you", "3.0 km (1.9 miles) away from you",
		"Morning calls from 8am", "Choose this offer")
	offers, err := w.svc.Offers(context.Background(), w.actor(accounts.Broker, "", nil, nil), req.ID)
	w.must(err)
	var chosen brokerage.OfferView
	for _, o := range offers.Offers {
		if o.ServiceID == nearService {
			chosen = o
		}
	}
	choose := page + "/choose/" + chosen.ID.String()
	wantBody(t, r, `href="`+choose+`"`)

	// Another person's client sees neither the offers nor the choice page,
	// and cannot choose for them.
	other, _ := w.signedInAs(accounts.Client, nil, &stranger.ID)
	for _, p := range []string{page, choose} {
		r := other.get(p)
		wantStatus(t, r, http.StatusNotFound)
		wantBody(t, r, "Page not found")
	}
	otherTok := token(t, other.get("/your-care").Body.String())
	wantStatus(t, other.post(page+"/choice", url.Values{CSRFField: {otherTok}, "offer_id": {chosen.ID.String()}, "who": {"person"}}), http.StatusNotFound)
	if n := w.count(`SELECT count(*) FROM choices WHERE request_id = ?`, req.ID); n != 0 {
		t.Fatal("another person's user chose for this person")
	}

	r = b.get(choose)
	wantStatus(t, r, http.StatusOK)
	if got := heading(t, r); got != "Choose Ancoats Home Care Ltd: Ancoats Home Care Ltd (Stretford)" {
		t.Fatalf("heading %q", got)
	}
	wantBody(t, r, "the other providers are told they were not chosen", "I am Nadia Rahman, and this is my choice")
	tok := token(t, r.Body.String())
	r = b.post(page+"/choice", url.Values{CSRFField: {tok}, "offer_id": {chosen.ID.String()}})
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#who">Select whether you are the person or their representative</a>`)
	r = b.post(page+"/choice", url.Values{CSRFField: {tok}, "offer_id": {chosen.ID.String()}, "who": {"representative"}})
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#representative_name">Enter your name, as the person&#39;s representative</a>`)
	wantRedirect(t, b.post(page+"/choice", url.Values{CSRFField: {tok}, "offer_id": {chosen.ID.String()}, "who": {"representative"},
		"representative_name": {"Ann Rahman"}}), page+"#start-date")
	if n := w.count(`SELECT count(*) FROM choices WHERE request_id = ? AND offer_id = ? AND chosen_as = 'representative' AND representative_name = 'Ann Rahman'`,
		req.ID, chosen.ID); n != 1 {
		t.Fatal("the choice was not recorded as the representative's")
	}

	r = b.get(page)
	wantBody(t, r, "Your choice is saved", "Agree the date your care starts", "Your choice", "On or after "+chosen.EarliestStart.UK())
	if strings.Contains(r.Body.String(), "Choose this offer") {
		t.Fatal("offers can still be chosen after the choice")
	}
	r = b.post(page+"/start-date", merge(url.Values{CSRFField: {tok}}, url.Values{"start_date-day": {"12"}, "start_date-month": {""}, "start_date-year": {"2027"}}))
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#start_date-day">Start date must include a month</a>`)
	r = b.post(page+"/start-date", merge(url.Values{CSRFField: {tok}}, dateForm("start_date", chosen.EarliestStart.AddDays(-1))))
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#start_date-day">`)
	wantRedirect(t, b.post(page+"/start-date", merge(url.Values{CSRFField: {tok}}, dateForm("start_date", chosen.EarliestStart.AddDays(2)))), page+"#agreement")
	ag, err := w.deals.AgreementForRequest(context.Background(), req.ID)
	w.must(err)
	if ag.StartDate != chosen.EarliestStart.AddDays(2) {
		t.Fatalf("agreement starts %s", ag.StartDate)
	}
	r = b.get(page)
	wantBody(t, r, "Your care with Ancoats Home Care Ltd starts on "+chosen.EarliestStart.AddDays(2).UK(), "Your service agreement", ag.Reference,
		`href="/your-care/agreements/`+ag.ID.String()+`/document.pdf"`)
	pdf := b.get("/your-care/agreements/" + ag.ID.String() + "/document.pdf")
	wantStatus(t, pdf, http.StatusOK)
	if pdf.Header().Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf.Body.Bytes(), []byte("%PDF")) {
		t.Fatalf("the agreement download is %q", pdf.Header().Get("Content-Type"))
	}
	wantStatus(t, other.get("/your-care/agreements/"+ag.ID.String()+"/document.pdf"), http.StatusNotFound)
	wantBody(t, b.get("/your-care"), "See your agreement", "Agreed. Your care starts on "+chosen.EarliestStart.AddDays(2).UK())

	// The provider sees its agreement and downloads it.
	pb, _ := w.signedInAs(accounts.ProviderUser, &nearUser.ProviderOrgID, nil)
	r = pb.get("/provider/offers")
	wantBody(t, r, "Your agreements", ag.Reference, `href="/provider/agreements/`+ag.ID.String()+`/document.pdf"`)
	wantStatus(t, pb.get("/provider/agreements/"+ag.ID.String()+"/document.pdf"), http.StatusOK)
	fb, _ := w.signedInAs(accounts.ProviderUser, &farUser.ProviderOrgID, nil)
	wantStatus(t, fb.get("/provider/agreements/"+ag.ID.String()+"/document.pdf"), http.StatusNotFound)

	// Finance is told once, acknowledges once, and downloads the API's CSV.
	deliver(t, w)
	fin, finance := w.signedInAs(accounts.Finance, nil, nil)
	r = fin.get("/finance/inbox")
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, ag.Reference, `href="/finance/agreements/`+ag.ID.String()+`"`, "Acknowledge")
	var notification string
	w.must(w.db.Gorm(context.Background()).Raw(`SELECT id FROM notifications WHERE agreement_id = ? AND audience_kind = 'finance'`, ag.ID).Scan(&notification).Error)
	action := "/finance/notifications/" + notification + "/acknowledge"
	formID := formIDOf(t, r.Body.String(), action)
	finTok := token(t, r.Body.String())
	for range 2 { // a double-click acknowledges once
		wantRedirect(t, fin.post(action, url.Values{CSRFField: {finTok}, FormIDField: {formID}}), "/finance/inbox")
	}
	if n := w.count(`SELECT count(*) FROM notifications WHERE id = ? AND acknowledged_at IS NOT NULL AND acknowledged_by = ?`, notification, finance.UserID); n != 1 {
		t.Fatal("the notification was not acknowledged by the finance user")
	}
	r = fin.get("/finance/inbox")
	wantBody(t, r, "Acknowledged: ", "There is nothing to acknowledge")
	wantBody(t, fin.get("/finance/inbox?show=acknowledged"), ag.Reference, "Acknowledged")
	r = fin.post(action, url.Values{CSRFField: {finTok}})
	wantStatus(t, r, http.StatusConflict)
	wantBody(t, r, "already acknowledged")

	r = fin.get("/finance/agreements/" + ag.ID.String())
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "Agreement "+ag.Reference, "£336.00", "Council-funded: the council pays the provider")
	csv := fin.get("/finance/agreements.csv")
	wantStatus(t, csv, http.StatusOK)
	var api bytes.Buffer
	w.must(w.deals.FinanceAgreementsCSV(context.Background(), finance, &api))
	if csv.Header().Get("Content-Type") != "text/csv; charset=utf-8" || csv.Body.String() != api.String() || !strings.Contains(api.String(), ag.Reference) {
		t.Fatalf("the page's CSV differs from the API's:\n%s\n---\n%s", csv.Body.String(), api.String())
	}
	wantStatus(t, fin.get("/finance/notifications.csv"), http.StatusOK)
	// Nobody else reaches the finance pages.
	wantStatus(t, b.get("/finance/agreements.csv"), http.StatusForbidden)
}

// deliver runs the notification worker until nothing is due.
func deliver(t *testing.T, w *staffWorld) {
	t.Helper()
	worker, err := agreements.NewWorker(w.db, nil, agreements.WorkerConfig{})
	w.must(err)
	for deadline := time.Now().Add(30 * time.Second); ; {
		n, err := worker.DeliverDue(context.Background())
		w.must(err)
		if n.Claimed == 0 && w.count(`SELECT count(*) FROM notifications WHERE status = 'pending'`) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("notifications were not delivered")
		}
	}
}
