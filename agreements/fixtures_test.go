package agreements

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
)

func TestMain(m *testing.M) {
	if os.Getenv(childWorkerEnv) != "" {
		os.Exit(runChildWorker())
	}
	accounts.UseFastHashing()
	os.Exit(m.Run())
}

// sampleAgreement is a home care agreement: 14 hours a week at £24.50,
// £343.00 a week, starting 1 December 2026.
func sampleAgreement() NewAgreement {
	return NewAgreement{
		RequestID: uuid.New(), OfferID: uuid.New(), PlanID: uuid.New(), PersonID: uuid.New(),
		ProviderOrgID: uuid.New(), ServiceID: uuid.New(),
		PersonName: "Ada Lovelace", ProviderName: "Bridgewater Home Care Ltd", ServiceName: "Bridgewater Home Care (Salford)",
		ServiceType: "homecare", Team: "community_led_support",
		HoursPerWeek: 14, HourlyRatePence: 2450, WeeklyCostPence: 34300,
		StartDate: day.MustParse("2026-12-01"), Funding: CouncilFunded,
		InformationPack: InformationPack{
			Needs: []PackNeed{
				{Need: "Help to wash and dress each morning", Outcome: "Start the day ready to go out", HowMet: "A carer visits 8-9am daily"},
				{Need: "Preparing a hot meal", Outcome: "Eat a hot meal every day", HowMet: "Evening visit 5-6pm"},
			},
			Preferences:    Preferences{Language: "English", CarerGender: "female", ImportantToThem: "Her cat, Babbage"},
			Contact:        Contact{Name: "Ada Lovelace", Phone: "0161 496 0000"},
			Representative: &Contact{Name: "Byron Lovelace", Relationship: "son", Phone: "0161 496 0001"},
			Address:        "12 Analytical Row, Salford", Postcode: "m5 4wt",
			KeyRisks: []string{"Falls: uses a frame indoors"},
		},
	}
}

// create commits one agreement made by actor and returns it.
func create(t testing.TB, s *Store, db *postgres.DB, actor accounts.Actor, n NewAgreement) Agreement {
	t.Helper()
	var a Agreement
	err := db.Transaction(context.Background(), func(tx *postgres.Tx) error {
		var err error
		a, err = s.Create(context.Background(), tx, actor, n)
		return err
	})
	if err != nil {
		t.Fatalf("create agreement: %v", err)
	}
	return a
}

var userSeq atomic.Int64

// user creates a user and returns its actor.
func user(t testing.TB, db *postgres.DB, n accounts.NewUser) accounts.Actor {
	t.Helper()
	n.Email = fmt.Sprintf("%s%d@test.example", n.Role, userSeq.Add(1))
	n.Password = "a-long-test-password-for-" + string(n.Role)
	if n.DisplayName == "" {
		n.DisplayName = "Test " + string(n.Role)
	}
	// users.person_id and users.provider_org_id are foreign keys (to the
	// brokerage's persons and the directory's organisations): make the rows
	// these tests name by id alone.
	if n.PersonID != nil {
		db.Gorm(context.Background()).Exec(`INSERT INTO persons (id, name, date_of_birth, address, postcode, team) VALUES (?, 'Test Person', '1940-01-01', '1 Test Street', 'M5 4WT', 'community_led_support') ON CONFLICT DO NOTHING`, *n.PersonID)
	}
	if n.ProviderOrgID != nil {
		db.Gorm(context.Background()).Exec(`INSERT INTO provider_organisations (id, name) VALUES (?, ?) ON CONFLICT DO NOTHING`, *n.ProviderOrgID, "Test Provider "+n.ProviderOrgID.String())
	}
	u, err := accounts.NewStore(db).CreateUser(context.Background(), n)
	if err != nil {
		t.Fatalf("create user: %v", err)
	}
	return u.Actor()
}

// idOf returns the id the query selects, failing the test if there is none.
func idOf(t testing.TB, db *postgres.DB, query string, args ...any) uuid.UUID {
	t.Helper()
	var s string
	if err := db.Gorm(context.Background()).Raw(query, args...).Scan(&s).Error; err != nil {
		t.Fatal(err)
	}
	id, err := uuid.Parse(s)
	if err != nil {
		t.Fatalf("%s: no id (%q)", query, s)
	}
	return id
}

func countRows(t testing.TB, db *postgres.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Gorm(context.Background()).Raw(query, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
