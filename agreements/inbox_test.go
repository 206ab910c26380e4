package agreements

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/pgtest"
)

func TestInboxShowsEachActorTheirOwnAudiences(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	s := NewStore(db)
	ctx := context.Background()
	n := sampleAgreement()
	org, person, otherOrg := n.ProviderOrgID, n.PersonID, uuid.New()
	provider := user(t, db, accounts.NewUser{Role: accounts.ProviderUser, ProviderOrgID: &org})
	colleague := user(t, db, accounts.NewUser{Role: accounts.ProviderUser, ProviderOrgID: &org})
	stranger := user(t, db, accounts.NewUser{Role: accounts.ProviderUser, ProviderOrgID: &otherOrg})
	client := user(t, db, accounts.NewUser{Role: accounts.Client, PersonID: &person})
	broker := user(t, db, accounts.NewUser{Role: accounts.Broker})
	a := create(t, s, db, accounts.SystemActor, n)
	notifyAll(t, db, Notification{Audience: ToRole(accounts.Broker), Kind: "request.no_offers", Subject: "No offers for a request", IdempotencyKey: "nooffers-1"})

	if got, _ := s.Inbox(ctx, provider, InboxFilter{}); len(got) != 0 {
		t.Fatalf("the inbox shows %d notifications before the worker delivered them", len(got))
	}
	deliverDue(t, newTestWorker(t, db, nil, "", nil))

	inbox := func(who accounts.Actor, f InboxFilter) []Notification {
		t.Helper()
		got, err := s.Inbox(ctx, who, f)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	got := inbox(provider, InboxFilter{})
	if len(got) != 1 || got[0].Audience != ToProviderOrg(org) || got[0].ObjectID != a.ID.String() || got[0].Read {
		t.Fatalf("provider inbox %+v", got)
	}
	if len(inbox(stranger, InboxFilter{})) != 0 {
		t.Fatal("another organisation's user sees the notification")
	}
	if c := inbox(client, InboxFilter{}); len(c) != 1 || c[0].Audience != ToPerson(person) {
		t.Fatalf("client inbox %+v", c)
	}
	if b := inbox(broker, InboxFilter{}); len(b) != 1 || b[0].Kind != "request.no_offers" {
		t.Fatalf("broker inbox %+v", b)
	}

	// Reading is per user: the colleague still has it unread.
	if err := s.MarkRead(ctx, provider, got[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkRead(ctx, provider, got[0].ID); err != nil {
		t.Fatalf("marking read twice: %v", err)
	}
	if g := inbox(provider, InboxFilter{}); !g[0].Read {
		t.Fatal("not marked read")
	}
	if len(inbox(provider, InboxFilter{UnreadOnly: true})) != 0 {
		t.Fatal("unread filter shows a read notification")
	}
	if g := inbox(colleague, InboxFilter{UnreadOnly: true}); len(g) != 1 {
		t.Fatal("one user's reading marked it read for a colleague")
	}
	if err := s.MarkRead(ctx, stranger, got[0].ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("another organisation marks it read: %v, want NotFound", err)
	}
	if c := countRows(t, db, `SELECT count(*) FROM notification_reads`); c != 1 {
		t.Fatalf("%d read rows, want 1", c)
	}
}
