package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/api"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
)

// The agreements area: agreements and their documents, review tasks, the
// finance inbox, every user's inbox and live events, and dead letters.
var _ = registerAccess(accessArea{
	Name: "agreements",
	Wire: func(d *api.Deps) {
		d.Agreements = agreements.NewStore(d.DB)
		d.LiveStreamMax = 100 * time.Millisecond // so each events call ends
	},
	Fixture: agreementsFixture,
	Entries: []accessEntry{
		{Method: "GET", Path: "/api/v1/agreements/:id", Params: map[string]string{"id": "agreement"}, Want: 200, Owned: ownedByOrg | ownedByPerson,
			Roles: roles(accounts.Client, accounts.ProviderUser, accounts.Practitioner, accounts.Broker, accounts.Admin, accounts.Finance)},
		{Method: "GET", Path: "/api/v1/agreements/:id/document.html", Params: map[string]string{"id": "agreement"}, Want: 200, Owned: ownedByOrg | ownedByPerson,
			Roles: roles(accounts.Client, accounts.ProviderUser, accounts.Practitioner, accounts.Broker, accounts.Admin, accounts.Finance)},
		{Method: "GET", Path: "/api/v1/agreements/:id/document.pdf", Params: map[string]string{"id": "agreement"}, Want: 200, Owned: ownedByOrg | ownedByPerson,
			Roles: roles(accounts.Client, accounts.ProviderUser, accounts.Practitioner, accounts.Broker, accounts.Admin, accounts.Finance)},
		{Method: "GET", Path: "/api/v1/reviews", Roles: roles(accounts.Practitioner), Want: 200, Owned: ownedByOrg | ownedByPerson, List: true},
		{Method: "POST", Path: "/api/v1/reviews/:id/complete", Params: map[string]string{"id": "review"}, Want: 200, Owned: ownedByOrg | ownedByPerson,
			Roles: roles(accounts.Practitioner), Body: func(map[string]string) any { return map[string]string{"outcome": "Visited; settling in"} }},
		{Method: "GET", Path: "/api/v1/finance/notifications", Roles: roles(accounts.Finance), Want: 200},
		{Method: "POST", Path: "/api/v1/finance/notifications/:id/acknowledge", Params: map[string]string{"id": "finance_notification"},
			Roles: roles(accounts.Finance), Want: 200},
		{Method: "GET", Path: "/api/v1/finance/notifications.csv", Roles: roles(accounts.Finance), Want: 200},
		{Method: "GET", Path: "/api/v1/finance/agreements.csv", Roles: roles(accounts.Finance), Want: 200},
		// Everyone has an inbox; users of B must not see A's notifications in theirs.
		{Method: "GET", Path: "/api/v1/notifications", Roles: everyRole, Want: 200, Owned: ownedByOrg | ownedByPerson, List: true},
		// The fixture's notification is the provider organisation's: its users
		// mark it read, and anyone else finds no such notification.
		{Method: "POST", Path: "/api/v1/notifications/:id/read", Params: map[string]string{"id": "provider_notification"},
			Roles: roles(accounts.ProviderUser), Want: 204, Owned: ownedByOrg | ownedByPerson},
		{Method: "GET", Path: "/api/v1/events", Roles: everyRole, Want: 200},
		{Method: "GET", Path: "/api/v1/admin/notifications/dead-letters", Roles: roles(accounts.Admin), Want: 200},
		{Method: "POST", Path: "/api/v1/admin/notifications/:id/retry", Params: map[string]string{"id": "dead_letter"},
			Roles: roles(accounts.Admin), Want: 200},
	},
})

// agreementsFixture makes an agreement for person A with organisation A,
// team A's, delivered to its inboxes (so finance has been sent it), and a
// dead letter.
func agreementsFixture(t *testing.T, w *accessWorld) map[string]string {
	t.Helper()
	ctx := context.Background()
	n := agreements.NewAgreement{
		RequestID: uuid.New(), OfferID: uuid.New(), PlanID: uuid.New(), PersonID: w.PersonA, ProviderOrgID: w.OrgA,
		ServiceID: uuid.New(), PersonName: "Person A", ProviderName: "Organisation A", ServiceName: "Home care A",
		ServiceType: "homecare", Team: w.TeamA, HoursPerWeek: 10, HourlyRatePence: 2500, WeeklyCostPence: 25000,
		StartDate: day.MustParse("2026-12-01"), Funding: agreements.CouncilFunded,
		InformationPack: agreements.InformationPack{
			Needs:   []agreements.PackNeed{{Need: "Meals", Outcome: "Eats well", HowMet: "Evening visit"}},
			Contact: agreements.Contact{Name: "Person A"}, Address: "1 Test Street", Postcode: "M1 1AA",
		},
	}
	var a agreements.Agreement
	deadKey := "access-dead-" + uuid.NewString()
	err := w.DB.Transaction(context.Background(), func(tx *postgres.Tx) error {
		var err error
		if a, err = w.Deps.Agreements.Create(ctx, tx, accounts.SystemActor, n); err != nil {
			return err
		}
		if err := agreements.Notify(ctx, tx, agreements.Notification{Audience: agreements.ToFinance(), Kind: "test.dead",
			Subject: "A dead letter", IdempotencyKey: deadKey}); err != nil {
			return err
		}
		// Dead before any worker can see it pending.
		return tx.Gorm(ctx).Exec(`UPDATE notifications SET status = 'dead', dead_at = now(), attempts = 10, last_error = 'webhook answered 502'
			WHERE idempotency_key = ?`, deadKey).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	// Deliver until this agreement's notifications are in their inboxes
	// (fixtures run in parallel; another's pass may hold some for a moment).
	worker, err := agreements.NewWorker(w.DB, nil, agreements.WorkerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; {
		if _, err := worker.DeliverDue(ctx); err != nil {
			t.Fatal(err)
		}
		var pending int64
		w.DB.Gorm(context.Background()).Table("notifications").Where("agreement_id = ? AND status <> 'delivered'", a.ID).Count(&pending)
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the fixture's notifications were not delivered")
		}
		time.Sleep(10 * time.Millisecond)
	}
	ids := map[string]string{"agreement": a.ID.String()}
	var rows []struct {
		ID             uuid.UUID
		AudienceKind   string
		IdempotencyKey string
	}
	w.DB.Gorm(context.Background()).Raw(`SELECT id, audience_kind, idempotency_key FROM notifications WHERE agreement_id = ? OR idempotency_key = ?`, a.ID, deadKey).Scan(&rows)
	for _, r := range rows {
		switch {
		case r.IdempotencyKey == deadKey:
			ids["dead_letter"] = r.ID.String()
		case r.AudienceKind == "finance":
			ids["finance_notification"] = r.ID.String()
		case r.AudienceKind == "provider_org":
			ids["provider_notification"] = r.ID.String()
		}
	}
	var review string
	if err := w.DB.Gorm(context.Background()).Raw(`SELECT id::text FROM review_tasks WHERE agreement_id = ? AND kind = 'welfare_check'`, a.ID).Scan(&review).Error; err != nil || review == "" {
		t.Fatalf("the fixture's welfare check: %q, %v", review, err)
	}
	ids["review"] = review
	for _, name := range []string{"finance_notification", "provider_notification", "dead_letter"} {
		if ids[name] == "" {
			t.Fatalf("the fixture has no %s", name)
		}
	}
	return ids
}
