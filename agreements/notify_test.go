package agreements

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/postgres"
)

func invitation(org uuid.UUID, key string) Notification {
	return Notification{
		Audience: ToProviderOrg(org), Kind: "invitation.sent", Subject: "You are invited to offer for a request",
		Body: "Homecare, 14 hours a week, M5, from 1 December 2026", ObjectType: "invitation", ObjectID: "inv-1",
		IdempotencyKey: key,
	}
}

func TestNotifyValidates(t *testing.T) {
	t.Parallel()
	org := uuid.New()
	tests := []struct {
		name  string
		edit  func(n *Notification)
		field string
	}{
		{"no audience", func(n *Notification) { n.Audience = Audience{} }, "audience"},
		{"finance with an id", func(n *Notification) { n.Audience = Audience{AudienceFinance, "x"} }, "audience"},
		{"org that is not a uuid", func(n *Notification) { n.Audience = Audience{AudienceProviderOrg, "org-1"} }, "audience"},
		{"unknown role", func(n *Notification) { n.Audience = Audience{AudienceRole, "pilot"} }, "audience"},
		{"unknown team", func(n *Notification) { n.Audience = ToTeam("astronauts") }, "audience"},
		{"kind with spaces", func(n *Notification) { n.Kind = "Invitation Sent" }, "kind"},
		{"no subject", func(n *Notification) { n.Subject = " " }, "subject"},
		{"no key", func(n *Notification) { n.IdempotencyKey = "" }, "idempotency_key"},
		{"unmarshalable data", func(n *Notification) { n.Data = make(chan int) }, "data"},
	}
	db := pgtest.New(t)
	for _, tt := range tests {
		n := invitation(org, "k-"+tt.name)
		tt.edit(&n)
		err := db.Transaction(context.Background(), func(tx *postgres.Tx) error { return Notify(context.Background(), tx, n) })
		if e := errs.As(err); e == nil || e.Code != errs.Invalid || e.Field != tt.field {
			t.Errorf("%s: got %v, want Invalid naming %s", tt.name, err, tt.field)
		}
	}
	if c := countRows(t, db, `SELECT count(*) FROM notifications`); c != 0 {
		t.Fatalf("%d refused notifications written", c)
	}
}

func TestNotifyIsInTheCallersTransaction(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	org := uuid.New()
	err := db.Transaction(context.Background(), func(tx *postgres.Tx) error {
		if err := Notify(ctx, tx, invitation(org, "rolled-back")); err != nil {
			return err
		}
		return errs.Conflictf("the change failed")
	})
	if !errs.Is(err, errs.Conflict) {
		t.Fatal(err)
	}
	if c := countRows(t, db, `SELECT count(*) FROM notifications`); c != 0 {
		t.Fatal("a notification survived its transaction's rollback")
	}
	if err := db.Transaction(context.Background(), func(tx *postgres.Tx) error { return Notify(ctx, tx, invitation(org, "kept")) }); err != nil {
		t.Fatal(err)
	}
	var row notificationRow
	if err := db.Gorm(context.Background()).Where("idempotency_key = 'kept'").Take(&row).Error; err != nil {
		t.Fatal(err)
	}
	if row.Status != "pending" || row.AudienceKind != "provider_org" || row.AudienceID != org.String() || row.InboxAt != nil {
		t.Fatalf("new notification %+v, want pending for the org and not yet in the inbox", row)
	}
}

func TestNotifySameKeyTwiceKeepsOne(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	org := uuid.New()
	for i := 0; i < 2; i++ {
		if err := db.Transaction(context.Background(), func(tx *postgres.Tx) error { return Notify(ctx, tx, invitation(org, "chase-1")) }); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	if c := countRows(t, db, `SELECT count(*) FROM notifications WHERE idempotency_key = 'chase-1'`); c != 1 {
		t.Fatalf("%d notifications for one key, want 1", c)
	}
	n := invitation(uuid.New(), "chase-1") // same key, another audience: a caller's bug
	err := db.Transaction(context.Background(), func(tx *postgres.Tx) error { return Notify(ctx, tx, n) })
	if e := errs.As(err); e == nil || e.Code != errs.Conflict || e.Field != "idempotency_key" {
		t.Fatalf("key reused for another audience: %v, want Conflict naming idempotency_key", err)
	}
}

func TestAudiencesOf(t *testing.T) {
	t.Parallel()
	org, person, u := uuid.New(), uuid.New(), uuid.New()
	provider := accounts.Actor{UserID: u, Role: accounts.ProviderUser, ProviderOrgID: org}
	if !ToProviderOrg(org).Includes(provider) || ToProviderOrg(uuid.New()).Includes(provider) || ToFinance().Includes(provider) {
		t.Fatal("provider audiences wrong")
	}
	client := accounts.Actor{UserID: u, Role: accounts.Client, PersonID: person}
	if !ToPerson(person).Includes(client) || ToPerson(uuid.New()).Includes(client) || !ToUser(u).Includes(client) {
		t.Fatal("client audiences wrong")
	}
	fin := accounts.Actor{UserID: u, Role: accounts.Finance}
	if !ToFinance().Includes(fin) || !ToRole(accounts.Finance).Includes(fin) || ToRole(accounts.Broker).Includes(fin) {
		t.Fatal("finance audiences wrong")
	}
	prac := accounts.Actor{UserID: u, Role: accounts.Practitioner, Team: "mental_health"}
	if !ToTeam("mental_health").Includes(prac) || ToTeam("life_planning").Includes(prac) {
		t.Fatal("practitioner audiences wrong")
	}
	if len(AudiencesOf(accounts.SystemActor)) != 0 {
		t.Fatal("the system actor has no inbox")
	}
}
