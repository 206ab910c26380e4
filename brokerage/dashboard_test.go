package brokerage

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
)

func TestTheDashboardCountsByTeamAndInAll(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p1 := f.provider("homecare", providerOpts{})
	p2 := f.provider("homecare", providerOpts{})
	dear := f.provider("homecare", providerOpts{ratePence: 3000})
	p4 := f.provider("homecare", providerOpts{})

	// Community Led Support: two people signed off now, each with a home
	// care request invited (and a day service left open).
	broker, _, one, invs1 := f.invited("Dash One", p1)
	_, _, two, invs2 := f.invited("Dash Two", p2, dear)
	offer1, err := f.svc.MakeOffer(ctx, p1.User, invs1[0].ID, f.hourlyOffer(2400))
	f.noError(err)
	offer2, err := f.svc.MakeOffer(ctx, p2.User, invs2[0].ID, f.hourlyOffer(2400))
	f.noError(err)
	_, err = f.svc.MakeOffer(ctx, dear.User, invs2[1].ID, f.hourlyOffer(3000)) // £420 against £350: over budget
	f.noError(err)
	// Mental Health: a request invited that nobody answers.
	mh := f.practitioner("mental_health")
	_, _, mhReqs := f.signedOff(mh, "Dash Three")
	_, err = f.svc.RunMatch(ctx, broker, mhReqs[0].ID)
	f.noError(err)
	_, err = f.svc.Invite(ctx, broker, mhReqs[0].ID, []uuid.UUID{p4.ServiceID})
	f.noError(err)

	// One is agreed 2 days after sign-off, the other 4 days after.
	f.advance(48 * time.Hour)
	f.agree(broker, one.ID, offer1)
	f.advance(48 * time.Hour)
	f.agree(broker, two.ID, offer2)
	// Past the Mental Health invitation's deadline (Tuesday 8 December, 10:00).
	f.advance(4 * 24 * time.Hour)

	d, err := f.svc.Dashboard(ctx, broker)
	f.noError(err)
	if len(d.Teams) != 2 || d.Teams[0].Team != "community_led_support" || d.Teams[1].Team != "mental_health" {
		t.Fatalf("teams %+v", d.Teams)
	}
	cls, mht, all := d.Teams[0], d.Teams[1], d.All
	if cls.Requests != 4 || cls.ByStatus[Agreed] != 2 || cls.ByStatus[Open] != 2 || cls.Agreed != 2 {
		t.Errorf("community led support requests: %+v", cls)
	}
	if cls.MedianDaysToAgreement == nil || *cls.MedianDaysToAgreement != 3 {
		t.Errorf("median days %v, want 3 (2 and 4)", cls.MedianDaysToAgreement)
	}
	if cls.Offers != 3 || cls.OffersOverBudget != 1 || cls.OverdueResponses != 0 {
		t.Errorf("community led support offers: %+v", cls)
	}
	if got := cls.OverBudgetShare(); got < 0.333 || got > 0.334 {
		t.Errorf("share over budget %v, want a third", got)
	}
	if mht.Requests != 2 || mht.ByStatus[NoOffers] != 1 || mht.OverdueResponses != 1 || mht.MedianDaysToAgreement != nil || mht.Offers != 0 {
		t.Errorf("mental health: %+v", mht)
	}
	if all.Requests != 6 || all.Agreed != 2 || *all.MedianDaysToAgreement != 3 || all.OverdueResponses != 1 || all.Offers != 3 || all.OffersOverBudget != 1 {
		t.Errorf("all teams: %+v", all)
	}

	admin := f.actor(accounts.Admin, "", nil, nil)
	if _, err := f.svc.Dashboard(ctx, admin); err != nil {
		t.Fatalf("an admin's dashboard: %v", err)
	}
	for _, role := range []accounts.Role{accounts.Practitioner, accounts.BudgetApprover, accounts.Finance, accounts.Client, accounts.ProviderUser} {
		if _, err := f.svc.Dashboard(ctx, accounts.Actor{UserID: uuid.New(), Role: role}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("%s: %v, want Forbidden", role, err)
		}
	}
}

func TestAnEmptyDashboardHasNoMedian(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	d, err := f.svc.Dashboard(ctx, f.actor(accounts.Broker, "", nil, nil))
	f.noError(err)
	if len(d.Teams) != 0 || d.All.Requests != 0 || d.All.MedianDaysToAgreement != nil || d.All.OverBudgetShare() != 0 {
		t.Fatalf("empty dashboard %+v", d)
	}
}

func (f *fixture) noError(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

// agree chooses the offer and agrees its earliest start, as a broker for the person.
func (f *fixture) agree(broker accounts.Actor, requestID uuid.UUID, o Offer) {
	f.t.Helper()
	_, err := f.svc.Choose(ctx, broker, requestID, ChoiceInput{OfferID: o.ID})
	f.noError(err)
	_, err = f.svc.AgreeStartDate(ctx, broker, requestID, o.EarliestStart)
	f.noError(err)
}
