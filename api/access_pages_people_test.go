package api_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/day"
)

// The pages of care providers, of the person (or their representative)
// and of the finance team (frontend/provider_*, client_*, finance_*). Their
// home pages are in the pages area's homePages. A provider of organisation
// B and the client of person B find nothing of A's.

var (
	providerOnly = roles(accounts.ProviderUser)
	clientOnly   = roles(accounts.Client)
	financeOnly  = roles(accounts.Finance)
	byOrg        = ownedByOrg
)

// oncePerWorld makes a fixture whose objects are made once per world and
// shared by every caller of every entry of the area. That is enough here:
// in each entry only one caller (the user of A) may act, so the others
// find the objects as the fixture made them or refused before any change,
// and each state-changing entry has objects of its own. Making fresh
// objects for every caller of every entry would multiply the table's time.
func oncePerWorld(name string, build func(t *testing.T, w *accessWorld) map[string]string) func(t *testing.T, w *accessWorld) map[string]string {
	return func(t *testing.T, w *accessWorld) map[string]string {
		v, _ := sharedFixtures.LoadOrStore(sharedKey{w, name}, &sharedFixture{})
		f := v.(*sharedFixture)
		f.once.Do(func() { f.ids = build(t, w) })
		if f.ids == nil {
			t.Fatalf("the shared fixture %s was not made", name)
		}
		return f.ids
	}
}

type sharedKey struct {
	w    *accessWorld
	name string
}

type sharedFixture struct {
	once sync.Once
	ids  map[string]string
}

var sharedFixtures sync.Map // sharedKey -> *sharedFixture

// accessDaySeq gives each capacity or rate change its own later day, so
// every change the table makes is a new one.
var accessDaySeq atomic.Int64

func laterDay() day.Date { return day.Today(time.Now).AddDays(400 + int(accessDaySeq.Add(1))) }

// An invitation to organisation A, waiting for its answer.
var _ = registerAccess(accessArea{
	Name: "pages: provider invitations",
	Wire: wireBrokerage,
	Fixture: oncePerWorld("provider invitations", func(t *testing.T, w *accessWorld) map[string]string {
		_, inv := invitedRequestOfA(t, w)
		_, declined := invitedRequestOfA(t, w)
		_, offered := offeredRequestOfA(t, w, 2400)
		return map[string]string{"invitation": inv.ID.String(), "invitation_to_decline": declined.ID.String(),
			"invitation_offered": offered.InvitationID.String()}
	}),
	Entries: []accessEntry{
		{Method: "GET", Path: "/provider/invitations/:id", Roles: providerOnly, Page: true, Params: id("invitation"), Want: 200, Owned: byOrg},
		{Method: "POST", Path: "/provider/invitations/:id/offer", Roles: providerOnly, Page: true, Params: id("invitation"), Want: seeOther, Owned: byOrg,
			Body: pageForm(append(append([]string{"hourly_rate", "24.00", "hours_per_week", "14", "notes", "mornings"},
				dateFields("earliest_start", accessStart())...), dateFields("valid_until", accessStart().AddDays(14))...)...)},
		{Method: "POST", Path: "/provider/invitations/:id/decline", Roles: providerOnly, Page: true, Params: id("invitation_to_decline"), Want: seeOther, Owned: byOrg,
			Body: pageForm("reason", "no carers free")},
		{Method: "POST", Path: "/provider/invitations/:id/withdraw", Roles: providerOnly, Page: true, Params: id("invitation_offered"), Want: seeOther, Owned: byOrg,
			Body: pageForm("withdraw_reason", "carers no longer free")},
		{Method: "GET", Path: "/provider/offers", Roles: providerOnly, Page: true, Want: 200, Owned: byOrg, List: true},
	},
})

// Organisation A's home care service.
var _ = registerAccess(accessArea{
	Name: "pages: provider services",
	Wire: wireBrokerage,
	Fixture: func(t *testing.T, w *accessWorld) map[string]string {
		return map[string]string{"service": homecareOfA(t, w).String()}
	},
	Entries: []accessEntry{
		{Method: "GET", Path: "/provider/services", Roles: providerOnly, Page: true, Want: 200, Owned: byOrg, List: true},
		{Method: "GET", Path: "/provider/services/:id", Roles: providerOnly, Page: true, Params: id("service"), Want: 200, Owned: byOrg},
		{Method: "POST", Path: "/provider/services/:id/capacity", Roles: providerOnly, Page: true, Params: id("service"), Want: seeOther, Owned: byOrg,
			Body: func(map[string]string) any {
				return pageForm(append([]string{"units", "20000"}, dateFields("from", laterDay())...)...)(nil)
			}},
		{Method: "POST", Path: "/provider/services/:id/rates", Roles: providerOnly, Page: true, Params: id("service"), Want: seeOther, Owned: byOrg,
			Body: func(map[string]string) any {
				return pageForm(append([]string{"rate", "24.00"}, dateFields("rate_from", laterDay())...)...)(nil)
			}},
	},
})

// Person A's request with organisation A's offer, to compare and choose;
// another already chosen, to agree its start date.
var _ = registerAccess(accessArea{
	Name: "pages: person's offers",
	Wire: wireBrokerage,
	Fixture: oncePerWorld("person's offers", func(t *testing.T, w *accessWorld) map[string]string {
		offered, o := offeredRequestOfA(t, w, 2400)
		toChoose, o2 := offeredRequestOfA(t, w, 2400)
		return map[string]string{"offered_request": offered.ID.String(), "offer": o.ID.String(),
			"request_to_choose": toChoose.ID.String(), "offer_to_choose": o2.ID.String()}
	}),
	Entries: []accessEntry{
		{Method: "GET", Path: "/your-care/requests/:id", Roles: clientOnly, Page: true, Params: id("offered_request"), Want: 200, Owned: byPerson},
		{Method: "GET", Path: "/your-care/requests/:id/choose/:offer", Roles: clientOnly, Page: true,
			Params: map[string]string{"id": "offered_request", "offer": "offer"}, Want: 200, Owned: byPerson},
		{Method: "POST", Path: "/your-care/requests/:id/choice", Roles: clientOnly, Page: true, Params: id("request_to_choose"), Want: seeOther, Owned: byPerson,
			Body: pageForm("offer_id", "offer_to_choose", "who", "person")},
	},
})

var _ = registerAccess(accessArea{
	Name: "pages: person's start date",
	Wire: wireBrokerage,
	Fixture: oncePerWorld("person's start date", func(t *testing.T, w *accessWorld) map[string]string {
		chosen, o := offeredRequestOfA(t, w, 2400)
		if _, err := w.Deps.Brokerage.Choose(context.Background(), w.actor("broker"), chosen.ID, brokerage.ChoiceInput{OfferID: o.ID}); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"chosen_request": chosen.ID.String()}
	}),
	Entries: []accessEntry{
		{Method: "POST", Path: "/your-care/requests/:id/start-date", Roles: clientOnly, Page: true, Params: id("chosen_request"), Want: seeOther, Owned: byPerson,
			Body: pageForm(dateFields("start_date", accessStart())...)},
	},
})

// Another chosen request of person A, whose provider cannot start.
var _ = registerAccess(accessArea{
	Name: "pages: person's provider cannot start",
	Wire: wireBrokerage,
	Fixture: oncePerWorld("person's provider cannot start", func(t *testing.T, w *accessWorld) map[string]string {
		chosen, o := offeredRequestOfA(t, w, 2400)
		if _, err := w.Deps.Brokerage.Choose(context.Background(), w.actor("broker"), chosen.ID, brokerage.ChoiceInput{OfferID: o.ID}); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"chosen_request": chosen.ID.String()}
	}),
	Entries: []accessEntry{
		{Method: "POST", Path: "/your-care/requests/:id/cannot-start", Roles: clientOnly, Page: true, Params: id("chosen_request"), Want: seeOther, Owned: byPerson,
			Body: pageForm("cannot_start_reason", "they rang to say they are full")},
	},
})

// An agreement of person A with organisation A: its documents for the
// provider, the person and finance.
var _ = registerAccess(accessArea{
	Name:    "pages: agreements for providers, people and finance",
	Wire:    wireBrokerage,
	Fixture: oncePerWorld("agreement of A", agreementsFixture),
	Entries: []accessEntry{
		{Method: "GET", Path: "/provider/agreements/:id/document.html", Roles: providerOnly, Page: true, Params: id("agreement"), Want: 200, Owned: byOrg},
		{Method: "GET", Path: "/provider/agreements/:id/document.pdf", Roles: providerOnly, Page: true, Params: id("agreement"), Want: 200, Owned: byOrg},
		{Method: "GET", Path: "/your-care/agreements/:id/document.html", Roles: clientOnly, Page: true, Params: id("agreement"), Want: 200, Owned: byPerson},
		{Method: "GET", Path: "/your-care/agreements/:id/document.pdf", Roles: clientOnly, Page: true, Params: id("agreement"), Want: 200, Owned: byPerson},
		{Method: "GET", Path: "/finance/agreements/:id", Roles: financeOnly, Page: true, Params: id("agreement"), Want: 200},
		{Method: "GET", Path: "/finance/agreements/:id/document.html", Roles: financeOnly, Page: true, Params: id("agreement"), Want: 200},
		{Method: "GET", Path: "/finance/agreements/:id/document.pdf", Roles: financeOnly, Page: true, Params: id("agreement"), Want: 200},
		{Method: "GET", Path: "/finance/agreements.csv", Roles: financeOnly, Page: true, Want: 200},
		{Method: "GET", Path: "/finance/notifications.csv", Roles: financeOnly, Page: true, Want: 200},
	},
})

// A finance notification of its own, to acknowledge.
var _ = registerAccess(accessArea{
	Name:    "pages: finance acknowledgement",
	Wire:    wireBrokerage,
	Fixture: oncePerWorld("finance notification", agreementsFixture),
	Entries: []accessEntry{
		{Method: "POST", Path: "/finance/notifications/:id/acknowledge", Roles: financeOnly, Page: true, Params: id("finance_notification"), Want: seeOther,
			Body: pageForm()},
	},
})
