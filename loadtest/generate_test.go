package loadtest

import (
	"context"
	"testing"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/pgtest"
)

func TestMain(m *testing.M) {
	accounts.UseFastHashing()
	m.Run()
}

func testPlaces(t testing.TB) []Place {
	t.Helper()
	places, err := ReadPlacesFile("../demo/data/gm_care_homes.csv")
	if err != nil {
		t.Fatal(err)
	}
	return places
}

// The same size gives the same rows, ids and all: a table from one run can
// be compared with the next.
func TestGenerateIsDeterministicAndWritesValidRows(t *testing.T) {
	t.Parallel()
	places := testPlaces(t)
	size := DefaultSize
	size.Services, size.OpenRequests, size.Brokers = 1001, 300, 3
	digests := make([]string, 2)
	for i := range digests {
		db := pgtest.New(t)
		w, err := Generate(context.Background(), db, places, size)
		if err != nil {
			t.Fatal(err)
		}
		if w.Counts["provider_services"] != 1001 || len(w.OpenRequests) != 300 || len(w.Brokers) != 3 {
			t.Fatalf("counts %v, %d requests, %d brokers", w.Counts, len(w.OpenRequests), len(w.Brokers))
		}
		var signed, open int64
		db.Gorm(context.Background()).Raw("SELECT count(*) FROM plans WHERE status = 'signed_off'").Scan(&signed)
		db.Gorm(context.Background()).Raw("SELECT count(*) FROM requests WHERE status = 'open'").Scan(&open)
		if signed != 300 || open != 300 {
			t.Fatalf("%d signed-off plans and %d open requests, want 300 of each", signed, open)
		}
		err = db.Gorm(context.Background()).Raw(`SELECT md5(string_agg(s.id::text || s.service_type || l.name || l.postcode || r.pence::text, ',' ORDER BY s.id))
			FROM provider_services s JOIN provider_locations l ON l.id = s.location_id JOIN provider_rates r ON r.service_id = s.id`).Scan(&digests[i]).Error
		if err != nil {
			t.Fatal(err)
		}
	}
	if digests[0] != digests[1] {
		t.Fatalf("two runs wrote different directories: %s and %s", digests[0], digests[1])
	}
}
