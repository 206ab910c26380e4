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
)

// overBudgetOffer makes a request whose only offer is £420 a week against
// a £350 budget.
func (w *staffWorld) overBudgetOffer(name string) (brokerage.Request, brokerage.Offer) {
	w.t.Helper()
	ctx := context.Background()
	_, service, provider := w.provider(name+" Care Ltd", 3000, 1)
	_, req := w.homecareRequest("community_led_support", name, plans.Standard)
	broker := w.actor(accounts.Broker, "", nil, nil)
	_, err := w.svc.RunMatch(ctx, broker, req.ID)
	w.must(err)
	_, err = w.svc.Invite(ctx, broker, req.ID, []uuid.UUID{service})
	w.must(err)
	return req, w.offer(provider, req.ID, 3000)
}

func TestABudgetApproverDecidesOnAnOfferOverBudget(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	req, offer := w.overBudgetOffer("Pat Over")
	b, _ := w.signedIn(accounts.BudgetApprover, "")
	page := "/approvals/" + offer.ID.String()

	r := b.get("/approvals")
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, req.Reference, "Pat Over Care Ltd", "£420.00", "£350.00", "£70.00", `href="`+page+`"`)

	r = b.get(page)
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "£420.00 a week, £70.00 over the £350.00 budget", "Pat Over", "Homecare, 14 hours a week", "Morning calls from 8am")
	tok := token(t, r.Body.String())

	r = b.post(page, url.Values{CSRFField: {tok}})
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#decision">Select yes to approve the offer or no to reject it</a>`)
	r = b.post(page, url.Values{CSRFField: {tok}, "decision": {"reject"}})
	wantStatus(t, r, http.StatusBadRequest)
	wantBody(t, r, `<a href="#note">Enter why you are rejecting the offer</a>`, `value="reject" checked`)

	wantRedirect(t, b.post(page, url.Values{CSRFField: {tok}, "decision": {"approve"}, "note": {"Her needs justify it"}}), "/approvals")
	if n := w.count(`SELECT count(*) FROM offers WHERE id = ? AND approval = 'approved' AND approval_note = 'Her needs justify it'`, offer.ID); n != 1 {
		t.Fatal("the approval was not recorded")
	}
	if n := w.count(`SELECT count(*) FROM audit_events WHERE action = 'offer.approve' AND object_id = ?`, offer.ID.String()); n != 1 {
		t.Fatalf("%d audit events for the approval", n)
	}
	r = b.get("/approvals")
	wantBody(t, r, "You approved the offer from Pat Over Care Ltd for "+req.Reference, "No offers are waiting for your decision")
	if strings.Contains(r.Body.String(), `href="`+page+`"`) {
		t.Fatal("the decided offer is still listed")
	}
	// Decided: the offer is no longer waiting, and deciding again is refused.
	wantStatus(t, b.get(page), http.StatusNotFound)
	r = b.post(page, url.Values{CSRFField: {tok}, "decision": {"reject"}, "note": {"changed my mind"}})
	wantStatus(t, r, http.StatusConflict)
	wantBody(t, r, "The offer was already approved")
}

func TestApprovalsAreForBudgetApproversOnly(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	_, offer := w.overBudgetOffer("Quinn Over")
	for _, role := range []accounts.Role{accounts.Broker, accounts.Practitioner, accounts.Finance, accounts.Admin} {
		b, _ := w.signedIn(role, "community_led_support")
		for _, path := range []string{"/approvals", "/approvals/" + offer.ID.String()} {
			wantStatus(t, b.get(path), http.StatusForbidden)
		}
		tok := token(t, b.get("/sign-out").Body.String())
		wantStatus(t, b.post("/approvals/"+offer.ID.String(), url.Values{CSRFField: {tok}, "decision": {"approve"}}), http.StatusForbidden)
	}
	if n := w.count(`SELECT count(*) FROM offers WHERE id = ? AND approval = 'pending'`, offer.ID); n != 1 {
		t.Fatal("a refused caller decided the offer")
	}
	b, _ := w.signedIn(accounts.BudgetApprover, "")
	wantStatus(t, b.get("/approvals/"+uuid.NewString()), http.StatusNotFound)
	wantStatus(t, b.get("/approvals/nonsense"), http.StatusNotFound)
}
