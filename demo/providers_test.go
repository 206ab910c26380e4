package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/postgres"
)

// directoryDigest fingerprints the seeded directory by its real keys (CQC
// id or name and postcode), not by generated ids, so two databases seeded
// from scratch can be compared.
const directoryDigest = `
SELECT string_agg(line, E'\n' ORDER BY line) FROM (
  SELECT coalesce(l.cqc_location_id, l.name || '|' || l.postcode) || '|' || s.service_type || '|' || s.status || '|' ||
         l.rating || '|' || coalesce(l.rating_date::text, '') || '|' || o.name || '|' || o.contract_status || '|' ||
         coalesce(s.coverage_radius_km::text, '') || '|' || array_to_string(s.languages, ',') || '|' ||
         array_to_string(s.carer_genders, ',') || '|' || array_to_string(s.specialisms, ',') || '|' ||
         coalesce((SELECT string_agg(c.from_date || ':' || c.units, ',') FROM provider_capacity c WHERE c.service_id = s.id), '') || '|' ||
         coalesce((SELECT string_agg(r.valid_from || ':' || r.pence, ',') FROM provider_rates r WHERE r.service_id = s.id), '') || '|' ||
         coalesce((SELECT string_agg(lot.name, ',' ORDER BY lot.name) FROM framework_memberships m JOIN framework_lots lot ON lot.id = m.lot_id
                   WHERE m.organisation_id = o.id), '') || '|' ||
         coalesce((SELECT string_agg(d.expires_on::text, ',') FROM provider_documents d WHERE d.organisation_id = o.id), '') || '|' ||
         coalesce((SELECT string_agg(p.reason, ',') FROM provider_suspensions p WHERE p.organisation_id = o.id), '') AS line
  FROM provider_services s JOIN provider_locations l ON l.id = s.location_id JOIN provider_organisations o ON o.id = s.organisation_id
) lines`

func digest(t *testing.T, db *postgres.DB) string {
	t.Helper()
	var s string
	if err := db.Gorm(context.Background()).Raw(directoryDigest).Scan(&s).Error; err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func rowCounts(t *testing.T, db *postgres.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"provider_organisations", "provider_locations", "provider_services", "provider_capacity", "provider_rates",
		"framework_memberships", "provider_documents", "provider_suspensions", "users", "audit_events"} {
		var n int
		if err := db.Gorm(context.Background()).Raw("SELECT count(*) FROM " + table).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

// Not parallel: it lowers the password hashing cost, a package setting.
func TestTheProviderDemoIsDeterministicAndIdempotent(t *testing.T) {
	accounts.UseFastHashing()
	ctx := context.Background()
	first, second := pgtest.New(t), pgtest.New(t)
	if _, err := Seed(ctx, first); err != nil {
		t.Fatal(err)
	}
	before := rowCounts(t, first)
	if _, err := Seed(ctx, first); err != nil {
		t.Fatal(err)
	}
	for table, n := range rowCounts(t, first) {
		if n != before[table] {
			t.Errorf("seeding again changed %s: %d rows, was %d", table, n, before[table])
		}
	}
	if _, err := Seed(ctx, second); err != nil {
		t.Fatal(err)
	}
	if digest(t, first) != digest(t, second) {
		t.Fatal("two databases seeded from scratch hold different provider facts")
	}

	// What the brief promises the demo holds.
	checks := map[string]string{
		"locations":                       `SELECT count(*) = 572 FROM provider_locations`,
		"every active service has a rate": `SELECT bool_and(EXISTS (SELECT 1 FROM provider_rates r WHERE r.service_id = s.id)) FROM provider_services s WHERE s.status = 'active'`,
		// The brokerage demo's agreement reserves capacity from its start date, adding a step there.
		"capacity from 1 November 2026": `SELECT bool_and(from_date = '2026-11-01') FROM provider_capacity WHERE reserved_units = 0`,
		"homecare 20 to 120 hours":      `SELECT bool_and(c.units BETWEEN 20 AND 120) FROM provider_capacity c JOIN provider_services s ON s.id = c.service_id WHERE s.service_type = 'homecare'`,
		"homes 0 to 6 places":           `SELECT bool_and(c.units BETWEEN 0 AND 6) FROM provider_capacity c JOIN provider_services s ON s.id = c.service_id WHERE s.service_type IN ('residential_care','nursing_care')`,
		"residential £800 to £1,100":    `SELECT bool_and(r.pence BETWEEN 80000 AND 110000) FROM provider_rates r JOIN provider_services s ON s.id = r.service_id WHERE s.service_type = 'residential_care'`,
		"nursing £1,000 to £1,400":      `SELECT bool_and(r.pence BETWEEN 100000 AND 140000) FROM provider_rates r JOIN provider_services s ON s.id = r.service_id WHERE s.service_type = 'nursing_care'`,
		"homecare £22 to £28 an hour":   `SELECT bool_and(r.pence BETWEEN 2200 AND 2800) FROM provider_rates r JOIN provider_services s ON s.id = r.service_id WHERE s.service_type = 'homecare'`,
		"homecare covers 5 to 15 km":    `SELECT bool_and(coverage_radius_km BETWEEN 5 AND 15) FROM provider_services WHERE service_type = 'homecare'`,
		"every service speaks English":  `SELECT bool_and('English' = ANY(languages)) FROM provider_services WHERE status = 'active'`,
		"mostly Good":                   `SELECT count(*) FILTER (WHERE rating = 'good') > count(*) / 2 AND count(*) FILTER (WHERE rating = 'inadequate') > 0 FROM provider_locations`,
		"most on a framework, some not": `SELECT count(DISTINCT m.organisation_id) > 0.7 * (SELECT count(*) FROM provider_organisations) AND count(DISTINCT m.organisation_id) < (SELECT count(*) FROM provider_organisations) FROM framework_memberships m`,
		"exactly one suspension":        `SELECT count(*) = 1 FROM provider_suspensions`,
		"two homecare provider users":   `SELECT count(*) >= 2 FROM users u WHERE u.role = 'provider' AND EXISTS (SELECT 1 FROM provider_services s WHERE s.organisation_id = u.provider_org_id AND s.service_type = 'homecare')`,
		"two care home provider users":  `SELECT count(*) >= 2 FROM users u WHERE u.role = 'provider' AND EXISTS (SELECT 1 FROM provider_services s WHERE s.organisation_id = u.provider_org_id AND s.service_type IN ('residential_care','nursing_care'))`,
	}
	for name, sql := range checks {
		var ok bool
		if err := first.Gorm(context.Background()).Raw(sql).Scan(&ok).Error; err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !ok {
			t.Errorf("demo data: not %s", name)
		}
	}
}
