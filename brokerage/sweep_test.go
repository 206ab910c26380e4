package brokerage

import (
	"sync"
	"testing"
	"time"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
)

func TestDeadlineSweepMovesRequestsWithNothingAcceptable(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	a := f.provider("homecare", providerOpts{})
	b := f.provider("homecare", providerOpts{kmEast: 1})
	broker, _, silent, _ := f.invited("Ed Example", a)        // nobody answers
	_, _, answered, invs := f.invited("Flo Example", b)       // an acceptable offer arrives
	_, _, refused, refusedInvs := f.invited("Gus Example", a) // the only offer is over budget and rejected
	if _, err := f.svc.MakeOffer(ctx, b.User, invs[0].ID, f.hourlyOffer(2400)); err != nil {
		t.Fatal(err)
	}
	over, err := f.svc.MakeOffer(ctx, a.User, refusedInvs[0].ID, f.hourlyOffer(2600))
	if err != nil {
		t.Fatal(err)
	}
	approver := f.actor(accounts.BudgetApprover, "", nil, nil)
	if _, err := f.svc.DecideOffer(ctx, approver, over.ID, false, "too dear"); err != nil {
		t.Fatal(err)
	}

	// Standard urgency: 5 working days from Tuesday 1 December 10:00 is Tuesday 8 December 10:00.
	f.advance(7*24*time.Hour - time.Minute)
	if n, err := f.svc.SweepDeadlines(ctx); err != nil || n != 0 {
		t.Fatalf("a minute before the deadline the sweep moved %d (%v)", n, err)
	}
	f.advance(2 * time.Minute)
	// Several sweepers at once (two service instances, say) move each request once.
	var wg sync.WaitGroup
	moved := make(chan int, 4)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := f.svc.SweepDeadlines(ctx)
			if err != nil {
				t.Error(err)
			}
			moved <- n
		}()
	}
	wg.Wait()
	close(moved)
	total := 0
	for n := range moved {
		total += n
	}
	if total != 2 {
		t.Fatalf("the sweeps moved %d requests, want 2 (no answer; only a rejected offer)", total)
	}
	for id, want := range map[string]Status{"silent": NoOffers, "refused": NoOffers, "answered": OffersReceived} {
		r := map[string]Request{"silent": silent, "answered": answered, "refused": refused}[id]
		got, _ := f.svc.store.request(ctx, r.ID, false)
		if got.Status != want {
			t.Errorf("%s request is %s, want %s", id, got.Status, want)
		}
	}
	ts, _ := f.svc.Transitions(ctx, broker, silent.ID)
	if last := ts[len(ts)-1]; last.To != NoOffers || last.ActorRole != "system" || last.ActorUserID != nil {
		t.Fatalf("the sweep's transition: %+v", last)
	}
	// Providers can no longer answer; the broker extends the deadline and they can.
	_, err = f.svc.MakeOffer(ctx, a.User, mustInvitation(t, f, silent).ID, f.hourlyOffer(2400))
	wantErr(t, err, errs.Conflict, "")
	_, err = f.svc.ExtendDeadline(ctx, broker, silent.ID, f.clock().Add(-time.Hour))
	wantErr(t, err, errs.Invalid, "deadline")
	v, err := f.svc.ExtendDeadline(ctx, broker, silent.ID, f.clock().Add(48*time.Hour))
	if err != nil || v.Status != Invited {
		t.Fatalf("extend: %+v %v", v, err)
	}
	if f.notices("invitation.extended", a.OrgID.String()) != 1 {
		t.Fatal("the provider was not told of the new deadline")
	}
	if _, err := f.svc.MakeOffer(ctx, a.User, mustInvitation(t, f, silent).ID, f.hourlyOffer(2400)); err != nil {
		t.Fatalf("offer after the extension: %v", err)
	}
	// Or widens the search: the matcher runs again from no_offers.
	if _, err := f.svc.RunMatch(ctx, broker, refused.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.svc.store.request(ctx, refused.ID, false); got.Status != Matching {
		t.Fatalf("after widening the search the request is %s", got.Status)
	}
}

func TestChaseRemindsOnlyThoseWhoHaveNotAnswered(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	a := f.provider("homecare", providerOpts{})
	b := f.provider("homecare", providerOpts{kmEast: 1})
	broker, _, r, invs := f.invited("Hal Example", a, b)
	if _, err := f.svc.MakeOffer(ctx, a.User, invs[0].ID, f.hourlyOffer(2400)); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.Chase(ctx, a.User, r.ID)
	wantErr(t, err, errs.Forbidden, "")
	for i := 1; i <= 2; i++ {
		chased, err := f.svc.Chase(ctx, broker, r.ID)
		if err != nil || len(chased) != 1 || chased[0].ServiceID != b.ServiceID || chased[0].ChaseCount != i {
			t.Fatalf("chase %d: %+v %v", i, chased, err)
		}
	}
	if f.notices("invitation.chased", b.OrgID.String()) != 2 || f.notices("invitation.chased", a.OrgID.String()) != 0 {
		t.Fatal("reminders went to the wrong providers")
	}
	if _, err := f.svc.Decline(ctx, b.User, invs[1].ID, "full"); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Chase(ctx, broker, r.ID)
	wantErr(t, err, errs.Conflict, "")
}

func mustInvitation(t *testing.T, f *fixture, r Request) Invitation {
	t.Helper()
	invs, err := f.svc.store.invitationsOf(ctx, r.ID)
	if err != nil || len(invs) == 0 {
		t.Fatalf("invitations of %s: %v", r.ID, err)
	}
	return invs[0]
}
