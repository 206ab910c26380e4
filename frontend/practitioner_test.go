package frontend

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/plans"
)

// agreedRequest takes a home care request of team through to its
// agreement, as a broker on the person's behalf.
func (w *staffWorld) agreedRequest(team, name string) (brokerage.Request, agreements.Agreement) {
	w.t.Helper()
	ctx := context.Background()
	_, service, provider := w.provider(name+" Home Care Ltd", 2400, 1)
	_, req := w.homecareRequest(team, name, plans.Standard)
	broker := w.actor(accounts.Broker, "", nil, nil)
	_, err := w.svc.RunMatch(ctx, broker, req.ID)
	w.must(err)
	_, err = w.svc.Invite(ctx, broker, req.ID, []uuid.UUID{service})
	w.must(err)
	o := w.offer(provider, req.ID, 2400)
	_, err = w.svc.Choose(ctx, broker, req.ID, brokerage.ChoiceInput{OfferID: o.ID})
	w.must(err)
	ag, err := w.svc.AgreeStartDate(ctx, broker, req.ID, o.EarliestStart)
	w.must(err)
	return req, ag
}

func TestAPractitionerSeesTheTeamsRequestsAndCompletesAReview(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	agreed, ag := w.agreedRequest("community_led_support", "Rita Review")
	_, open := w.homecareRequest("community_led_support", "Omar Open", plans.Urgent)
	_, other := w.homecareRequest("mental_health", "Xavier Other", plans.Standard)
	b, prac := w.signedIn(accounts.Practitioner, "community_led_support")

	r := b.get("/practitioner/requests")
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "Community Led Support", open.Reference, "Omar Open", "Welfare check (72 hours after the start)",
		"First review (6 to 8 weeks after the start)", "Yearly review", "Rita Review Home Care Ltd", "Not due yet")
	for _, hidden := range []string{agreed.Reference, other.Reference, "Xavier Other"} {
		if strings.Contains(r.Body.String(), hidden) {
			t.Fatalf("the list being worked shows %s", hidden)
		}
	}
	wantBody(t, b.get("/practitioner/requests?all=1"), agreed.Reference)

	r = b.get("/practitioner/requests/" + agreed.ID.String())
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "Rita Review: "+agreed.Reference, "£336.00", "Chosen", "Start date", "Agreed")

	tasks, err := w.deals.Reviews(context.Background(), prac, agreements.ReviewFilter{})
	w.must(err)
	var welfare agreements.ReviewTask
	for _, task := range tasks {
		if task.Kind == agreements.WelfareCheck && task.AgreementID == ag.ID {
			welfare = task
		}
	}
	page := "/practitioner/reviews/" + welfare.ID.String()
	r = b.get(page)
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "Welfare check (72 hours after the start) for Rita Review", ag.Reference, "On "+welfare.DueBy.UK())
	tok := token(t, r.Body.String())
	r = b.post(page, url.Values{CSRFField: {tok}, "outcome": {"  "}})
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#outcome">Enter what the review found</a>`)
	wantRedirect(t, b.post(page, url.Values{CSRFField: {tok}, "outcome": {"Settled in well; no changes needed"}}), "/practitioner/requests#reviews")
	if n := w.count(`SELECT count(*) FROM review_tasks WHERE id = ? AND status = 'completed' AND outcome = 'Settled in well; no changes needed'`, welfare.ID); n != 1 {
		t.Fatal("the review was not recorded")
	}
	wantBody(t, b.get("/practitioner/requests"), "The welfare check (72 hours after the start) for Rita Review is recorded")
	r = b.get(page)
	wantBody(t, r, "Settled in well; no changes needed", "Done")
	if strings.Contains(r.Body.String(), "Record the review") {
		t.Fatal("a completed review still offers its form")
	}
	r = b.post(page, url.Values{CSRFField: {tok}, "outcome": {"again"}})
	wantStatus(t, r, http.StatusConflict)
	wantBody(t, r, "This review was already completed on")

	// Another team's practitioner finds none of it; a broker is not a practitioner.
	mh, _ := w.signedIn(accounts.Practitioner, "mental_health")
	for _, path := range []string{"/practitioner/requests/" + agreed.ID.String(), page} {
		wantStatus(t, mh.get(path), http.StatusNotFound)
	}
	mhTok := token(t, mh.get("/practitioner/requests").Body.String())
	wantStatus(t, mh.post(page, url.Values{CSRFField: {mhTok}, "outcome": {"not ours"}}), http.StatusNotFound)
	wantBody(t, mh.get("/practitioner/requests"), other.Reference)
	broker, _ := w.signedIn(accounts.Broker, "")
	wantStatus(t, broker.get("/practitioner/requests"), http.StatusForbidden)
}
