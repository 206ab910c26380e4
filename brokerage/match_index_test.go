package brokerage

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/providers"
)

// The index of a service type is kept between runs, and every change to
// what matching reads (a new service, capacity, a suspension) is seen by the
// next run: the directory version moves at each commit.
func TestMatchSeesEveryDirectoryChangeThoughItKeepsTheIndex(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	first := f.provider("homecare", providerOpts{ratePence: 2400})
	far := f.provider("homecare", providerOpts{kmEast: 40}) // 41 km away: neither ranked nor a near miss
	prac := f.practitioner("community_led_support")
	broker := f.actor(accounts.Broker, "", nil, nil)
	_, _, reqs := f.signedOff(prac, "Ada Example")
	home := reqs[0]

	ranked := func() []string {
		t.Helper()
		m, err := f.svc.RunMatch(ctx, broker, home.ID)
		if err != nil {
			t.Fatal(err)
		}
		if m.Considered != f.count("provider_services", "service_type = 'homecare'") {
			t.Fatalf("considered %d services", m.Considered)
		}
		for _, e := range m.Excluded {
			if e.ServiceID == far.ServiceID.String() {
				t.Fatalf("a service 41 km away is listed: %+v", e)
			}
		}
		var ids []string
		for _, r := range m.Ranked {
			ids = append(ids, r.ServiceID)
		}
		return ids
	}
	if got := ranked(); strings.Join(got, ",") != first.ServiceID.String() {
		t.Fatalf("ranked %v, want only the first provider", got)
	}
	kept := f.svc.indexes.slot("homecare").built
	if got := ranked(); len(got) != 1 || f.svc.indexes.slot("homecare").built != kept {
		t.Fatalf("an unchanged directory rebuilt the index (ranked %v)", got)
	}

	second := f.provider("homecare", providerOpts{ratePence: 2300, kmEast: 1})
	if got := ranked(); len(got) != 2 || got[1] != second.ServiceID.String() && got[0] != second.ServiceID.String() {
		t.Fatalf("after a new provider, ranked %v", got)
	}
	if _, err := f.dir.SetCapacity(ctx, directoryAdmin, second.ServiceID, providers.CapacityChange{From: day.New(2026, 11, 1), Units: 0}); err != nil {
		t.Fatal(err)
	}
	if got := ranked(); strings.Join(got, ",") != first.ServiceID.String() {
		t.Fatalf("after the second's capacity went, ranked %v", got)
	}
	if _, err := f.dir.Suspend(ctx, directoryAdmin, first.OrgID, providers.NewSuspension{Kind: "embargo", Reason: "safeguarding", StartsOn: day.New(2026, 11, 20)}); err != nil {
		t.Fatal(err)
	}
	if got := ranked(); len(got) != 0 {
		t.Fatalf("after the first was embargoed, ranked %v", got)
	}
}

// The version moves once for each committed transaction that changes the
// directory, however many rows it writes, and not for one rolled back.
func TestDirectoryVersionMovesOncePerCommit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.provider("homecare", providerOpts{})
	version := func() int64 {
		t.Helper()
		v, err := f.dir.DirectoryVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	v0 := version()
	err := f.db.Transaction(context.Background(), func(tx *postgres.Tx) error {
		for _, units := range []int{10, 20, 30} {
			if err := tx.Gorm(context.Background()).Exec(`UPDATE provider_capacity SET units = ? WHERE service_id = ?`, units, p.ServiceID).Error; err != nil {
				return err
			}
		}
		return tx.Gorm(context.Background()).Exec(`UPDATE provider_rates SET pence = 2500 WHERE service_id = ?`, p.ServiceID).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	if v := version(); v != v0+1 {
		t.Fatalf("four changes in one transaction moved the version from %d to %d, want %d", v0, v, v0+1)
	}
	rollback := errors.New("changed my mind")
	err = f.db.Transaction(context.Background(), func(tx *postgres.Tx) error {
		if err := tx.Gorm(context.Background()).Exec(`UPDATE provider_capacity SET units = 1 WHERE service_id = ?`, p.ServiceID).Error; err != nil {
			return err
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	if v := version(); v != v0+1 {
		t.Fatalf("a rolled-back change moved the version to %d", v)
	}
	if err := f.db.Gorm(context.Background()).Exec(`UPDATE provider_organisations SET name = name || ' Ltd' WHERE id = ?`, p.OrgID).Error; err != nil {
		t.Fatal(err)
	}
	if v := version(); v != v0+2 {
		t.Fatalf("a renamed organisation left the version at %d", v)
	}
}
