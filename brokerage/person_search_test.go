package brokerage

import (
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
)

func TestAdministratorsFindPersonsByNameAndTheSearchIsAudited(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	prac := f.practitioner("reablement")
	f.person(prac, "Grace O'Neill")
	f.person(prac, "Grace Oduya")
	f.person(prac, "Henry 100%")
	admin := f.actor(accounts.Admin, "", nil, nil)

	got, err := f.svc.Plans().FindPersons(ctx, admin, "  grace o ")
	if err != nil || len(got) != 2 || got[0].Name != "Grace O'Neill" || got[1].Name != "Grace Oduya" {
		t.Fatalf("found %+v, %v", got, err)
	}
	if got[0].PostcodeDistrict != "M16" || got[0].Team != "reablement" || got[0].DateOfBirth.IsZero() {
		t.Fatalf("match %+v", got[0])
	}
	// The search's own characters are taken literally.
	if got, _ := f.svc.Plans().FindPersons(ctx, admin, "0%"); len(got) != 1 || got[0].Name != "Henry 100%" {
		t.Fatalf("literal %%: %+v", got)
	}
	if got, _ := f.svc.Plans().FindPersons(ctx, admin, "__"); len(got) != 0 {
		t.Fatalf("literal _: %+v", got)
	}
	if n := len(f.events("person.search")); n != 3 {
		t.Fatalf("%d searches audited, want 3", n)
	}
	if _, err := f.svc.Plans().FindPersons(ctx, admin, "g"); errs.As(err) == nil || errs.As(err).Field != "name" {
		t.Fatalf("one letter: %v", err)
	}
	for _, role := range []accounts.Role{accounts.Broker, accounts.Practitioner, accounts.Finance} {
		if _, err := f.svc.Plans().FindPersons(ctx, accounts.Actor{UserID: uuid.New(), Role: role, Team: "reablement"}, "grace"); !errs.Is(err, errs.Forbidden) {
			t.Errorf("%s: %v", role, err)
		}
	}
}
