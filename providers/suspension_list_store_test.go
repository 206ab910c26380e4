package providers

import (
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

func TestCurrentSuspensionsListThoseInForceAndToComeWithTheirProvider(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	a, b, c := newFixture(t, s, Homecare), newFixture(t, s, Homecare), newFixture(t, s, Homecare)
	ended := must[Suspension](t)(s.Suspend(ctx, broker, a.Org.ID, NewSuspension{Kind: "suspension", Reason: "resolved",
		StartsOn: day.MustParse("2026-10-01"), EndsOn: day.MustParse("2026-11-19")}))
	open := must[Suspension](t)(s.Suspend(ctx, broker, b.Org.ID, NewSuspension{Kind: "embargo", Reason: "safeguarding enquiry",
		StartsOn: day.MustParse("2026-11-15")}))
	lastDay := must[Suspension](t)(s.Suspend(ctx, admin, a.Org.ID, NewSuspension{Kind: "suspension", Reason: "late reports",
		StartsOn: day.MustParse("2026-11-01"), EndsOn: testToday}))
	coming := must[Suspension](t)(s.Suspend(ctx, admin, c.Org.ID, NewSuspension{Kind: "suspension", Reason: "new contract checks",
		StartsOn: day.MustParse("2026-12-01")}))

	got, err := s.CurrentSuspensions(ctx, admin, testToday)
	if err != nil {
		t.Fatal(err)
	}
	var ids []uuid.UUID
	for _, x := range got {
		ids = append(ids, x.ID)
	}
	want := []uuid.UUID{lastDay.ID, open.ID, coming.ID}
	if len(ids) != 3 || ids[0] != want[0] || ids[1] != want[1] || ids[2] != want[2] {
		t.Fatalf("got %v, want %v (not the one ended %s)", ids, want, ended.ID)
	}
	if got[1].OrganisationName != b.Org.Name || got[1].Kind != "embargo" || got[1].Reason != "safeguarding enquiry" {
		t.Fatalf("the embargo: %+v", got[1])
	}
	for _, role := range []accounts.Role{accounts.Practitioner, accounts.ProviderUser, accounts.Finance} {
		if _, err := s.CurrentSuspensions(ctx, accounts.Actor{UserID: uuid.New(), Role: role}, testToday); !errs.Is(err, errs.Forbidden) {
			t.Errorf("%s: %v", role, err)
		}
	}
}
