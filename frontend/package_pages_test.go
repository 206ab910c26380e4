package frontend

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/packages"
)

// A provider asks for more hours on its package's page; the broker sees it
// waiting, meets the error summary, approves it; the person reads what
// changed and why.
func TestPackagePagesAskDecideAndShowWhy(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	ctx := context.Background()
	org, person := uuid.New(), uuid.New()
	w.db.Gorm(ctx).Exec(`INSERT INTO provider_organisations (id, name) VALUES (?, 'Mill Lane Care Ltd')`, org)
	w.db.Gorm(ctx).Exec(`INSERT INTO persons (id, name, date_of_birth, address, postcode, team) VALUES (?, 'Iris Example', '1940-01-01', '1 Test Street', 'M5 4WT', 'mental_health')`, person)
	var ag agreements.Agreement
	err := w.db.Transaction(ctx, func(tx *postgres.Tx) error {
		var err error
		ag, err = w.deals.Create(ctx, tx, system, agreements.NewAgreement{RequestID: uuid.New(), OfferID: uuid.New(), PlanID: uuid.New(),
			PersonID: person, ProviderOrgID: org, ServiceID: uuid.New(), PersonName: "Iris Example", ProviderName: "Mill Lane Care Ltd",
			ServiceName: "Mill Lane Care (Salford)", ServiceType: "homecare", Team: "mental_health", HoursPerWeek: 10, HourlyRatePence: 2500,
			WeeklyCostPence: 25000, StartDate: day.New(2027, 3, 1), Funding: agreements.CouncilFunded,
			InformationPack: agreements.InformationPack{Needs: []agreements.PackNeed{{Need: "Meals", Outcome: "Eats well", HowMet: "Tea visit"}},
				Contact: agreements.Contact{Name: "Iris Example"}, Address: "1 Test Street", Postcode: "M5 4WT"}})
		if err != nil {
			return err
		}
		return packages.Open(ctx, tx, ag)
	})
	w.must(err)
	page := "/packages/" + ag.ID.String()

	prov, _ := w.signedInAs(accounts.ProviderUser, &org, nil)
	r := prov.get("/packages")
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, ag.Reference, `href="`+page+`"`)
	r = prov.get(page)
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "Ask for a change", "£250.00", "Nothing changes until the council approves what you ask")
	tok := token(t, r.Body.String())
	from := day.New(2027, 3, 17) // a Wednesday
	form := url.Values{CSRFField: {tok}, "version": {"1"}, "kind": {"hours"}, "units": {"abc"}, "reason": {"tea visits run long"},
		"from-day": {strconv.Itoa(from.Day)}, "from-month": {"3"}, "from-year": {"2027"}}
	r = prov.post(page+"/changes", form)
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#units">Enter the new hours a week as a whole number, like 14</a>`)
	form.Set("units", "14")
	wantRedirect(t, prov.post(page+"/changes", form), page)
	if n := w.count(`SELECT count(*) FROM package_lines WHERE agreement_id = ?`, ag.ID); n != 1 {
		t.Fatalf("the provider's ask made lines before approval: %d", n)
	}

	broker, _ := w.signedIn(accounts.Broker, "")
	r = broker.get("/packages")
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "Changes providers asked for", "hours changed to 14 hours a week", "tea visits run long")
	r = broker.get(page)
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "The provider asks: hours changed to 14 hours a week")
	tok = token(t, r.Body.String())
	var changeID string
	w.db.Gorm(ctx).Raw(`SELECT id::text FROM package_changes WHERE agreement_id = ? AND status = 'asked'`, ag.ID).Scan(&changeID)
	decide := "/packages/changes/" + changeID
	r = broker.post(decide, url.Values{CSRFField: {tok}, "agreement_id": {ag.ID.String()}, "decision": {"refuse"}})
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#decision_reason">Enter why you are refusing the change</a>`)
	wantRedirect(t, broker.post(decide, url.Values{CSRFField: {tok}, "agreement_id": {ag.ID.String()}, "decision": {"approve"}}), page)
	if n := w.count(`SELECT count(*) FROM package_lines WHERE agreement_id = ? AND from_date = ? AND hours_per_week = 14`, ag.ID, from); n != 1 {
		t.Fatal("the approved change made no line")
	}

	client, _ := w.signedInAs(accounts.Client, nil, &person)
	r = client.get(page)
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "What changed and why", "hours changed to 14 hours a week", "tea visits run long", "16 March 2027", "In effect")

	// The provider hands the care back; the brokers see it counted.
	r = prov.get(page)
	wantBody(t, r, "Hand the care back")
	tok = token(t, r.Body.String())
	last := day.Today(time.Now).AddDays(400)
	hb := url.Values{CSRFField: {tok}, "version": {"3"}, "handback_last_day-day": {strconv.Itoa(last.Day)},
		"handback_last_day-month": {strconv.Itoa(int(last.Month))}, "handback_last_day-year": {strconv.Itoa(last.Year)}}
	r = prov.post(page+"/handback", hb)
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#handback_reason">`)
	hb.Set("handback_reason", "staffing")
	wantRedirect(t, prov.post(page+"/handback", hb), page)
	r = broker.get("/packages")
	wantBody(t, r, "Handbacks by provider", "Mill Lane Care Ltd")
}
