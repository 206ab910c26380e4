package demo

import (
	"context"
	"fmt"
	"os"
	"testing"

	"gorm.io/gorm"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/providers"
)

func TestMain(m *testing.M) {
	accounts.UseFastHashing()
	os.Exit(m.Run())
}

// nearbyServices puts compliant care homes near the demo persons, in case
// the directory's own demo data has not been loaded.
func nearbyServices(t *testing.T, db *gorm.DB) {
	t.Helper()
	ctx := context.Background()
	dir := providers.NewStore(db)
	sys := accounts.SystemActor
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	fw, err := dir.CreateFramework(ctx, sys, providers.NewFramework{Name: "Demo test framework", Kind: providers.KindFramework,
		StartsOn: day.New(2024, 4, 1), Lots: []providers.NewLot{{Name: "Care homes", ServiceTypes: []providers.ServiceType{"residential_care", "nursing_care"}}}})
	must(err)
	for i, home := range []struct {
		lat, lon float64
		postcode string
		t        providers.ServiceType
		rate     int64
	}{
		{53.4470, -2.3400, "M41 9LT", "residential_care", 82000}, {53.4450, -2.3300, "M41 9LT", "residential_care", 86000},
		{53.4230, -2.3300, "M33 6RX", "nursing_care", 115000}, {53.4210, -2.3400, "M33 6RX", "nursing_care", 120000},
	} {
		org, err := dir.CreateOrganisation(ctx, sys, providers.NewOrganisation{Name: fmt.Sprintf("Demo Test Care %d Ltd", i)})
		must(err)
		lat, lon := home.lat, home.lon
		loc, svcs, err := dir.CreateLocation(ctx, sys, providers.NewLocation{OrganisationID: org.ID, Name: fmt.Sprintf("Demo Test Home %d", i),
			CQCLocationID: fmt.Sprintf("1-%09d", 900000+i), Address: "1 Test Road", Postcode: home.postcode, Latitude: &lat, Longitude: &lon,
			ServiceTypes: []providers.ServiceType{home.t}})
		must(err)
		_, err = dir.SetLocationRating(ctx, sys, loc.ID, providers.LocationRating{RegistrationStatus: providers.Registered, Rating: providers.Good, RatingDate: day.New(2025, 1, 1)})
		must(err)
		_, err = dir.SetCapacity(ctx, sys, svcs[0].ID, providers.CapacityChange{From: day.New(2024, 1, 1), Units: 3})
		must(err)
		_, err = dir.AddRate(ctx, sys, svcs[0].ID, providers.NewRate{Pence: home.rate, ValidFrom: day.New(2024, 4, 1)})
		must(err)
		_, err = dir.AddMembership(ctx, sys, org.ID, providers.NewMembership{LotID: fw.Lots[0].ID, StartsOn: day.New(2024, 4, 1)})
		must(err)
		_, err = dir.SetContractStatus(ctx, sys, org.ID, providers.ContractChange{Status: providers.ContractActive, Reason: "signed"})
		must(err)
		doc, err := dir.AddDocument(ctx, sys, org.ID, providers.NewDocument{Kind: "insurance", Name: "Liability", ValidFrom: day.New(2024, 4, 1), ExpiresOn: day.New(2030, 3, 31)})
		must(err)
		_, err = dir.ReviewDocument(ctx, sys, doc.ID, providers.DocumentReview{Decision: "accepted"})
		must(err)
	}
}

func TestBrokerageDemoIsIdempotentAndShowsEveryState(t *testing.T) {
	db := pgtest.New(t)
	ctx := context.Background()
	nearbyServices(t, db)
	first, err := Seed(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	count := func(q string, args ...any) int {
		var n int
		if err := db.Raw(q, args...).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	states := func() map[string]int {
		rows := map[string]int{}
		var rs []struct {
			Status string
			N      int
		}
		db.Raw(`SELECT status, count(*) AS n FROM requests GROUP BY status`).Scan(&rs)
		for _, r := range rs {
			rows[r.Status] = r.N
		}
		return rows
	}
	got := states()
	if got["open"] != 2 || got["offers_received"] != 1 || got["agreed"] != 1 {
		t.Fatalf("request states %v, want 2 open, 1 with offers, 1 agreed (report %+v)", got, first.Counts)
	}
	if n := count(`SELECT count(*) FROM offers WHERE over_budget AND approval = 'pending'`); n != 2 {
		t.Fatalf("%d offers waiting for a budget approver, want one per advanced request", n)
	}
	for _, email := range []string{"client1@demo.carebroker.example", "client2@demo.carebroker.example"} {
		if n := count(`SELECT count(*) FROM users u JOIN persons p ON p.id = u.person_id WHERE u.email = ?`, email); n != 1 {
			t.Fatalf("%s is not bound to a person", email)
		}
	}
	if n := count(`SELECT count(*) FROM agreements`); n != 1 {
		t.Fatalf("%d agreements, want 1", n)
	}
	second, err := Seed(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(states()) != fmt.Sprint(got) || count(`SELECT count(*) FROM persons`) != 4 || len(second.Users) != 0 {
		t.Fatalf("a second run changed things: %v, report %+v", states(), second)
	}
}
