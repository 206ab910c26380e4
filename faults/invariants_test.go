package faults

import (
	"context"
	"fmt"
	"testing"

	"github.com/carebroker/carebroker/internal/postgres"
)

// invariants are what must hold in the database whatever faults or races
// came before: each query lists the rows that break one, and none may.
var invariants = []struct{ name, query string }{
	{"capacity over-committed or below nothing",
		`SELECT service_id::text || ' ' || from_date::text FROM provider_capacity WHERE reserved_units > units OR reserved_units < 0`},
	{"places reserved differ from the places of the service's active agreements",
		`SELECT c.service_id::text FROM (SELECT service_id, sum(reserved_units) AS reserved FROM provider_capacity GROUP BY service_id) c
		 LEFT JOIN (SELECT service_id, sum(places) AS places FROM agreements WHERE status = 'active' GROUP BY service_id) a ON a.service_id = c.service_id
		 WHERE c.reserved <> coalesce(a.places, 0)`},
	{"a request with two active agreements",
		`SELECT request_id::text FROM agreements WHERE status = 'active' GROUP BY request_id HAVING count(*) > 1`},
	{"an agreement without exactly one finance notification",
		`SELECT a.id::text FROM agreements a LEFT JOIN notifications n ON n.agreement_id = a.id AND n.audience_kind = 'finance'
		 GROUP BY a.id HAVING count(n.id) <> 1`},
	{"a finance notification without its agreement",
		`SELECT n.id::text FROM notifications n WHERE n.audience_kind = 'finance' AND n.kind = 'agreement.created'
		 AND NOT EXISTS (SELECT 1 FROM agreements a WHERE a.id = n.agreement_id)`},
	{"an email of a notification not delivered (emails are written in the delivering transaction)",
		`SELECT e.id::text FROM emails e JOIN notifications n ON n.id = e.notification_id WHERE n.status <> 'delivered'`},
	{"an agreed request without an active agreement, or an agreement of a request not agreed",
		`SELECT r.id::text FROM requests r WHERE (r.status = 'agreed') <> EXISTS (SELECT 1 FROM agreements a WHERE a.request_id = r.id AND a.status = 'active')`},
	{"a request of a plan not (yet) signed off, or a plan signed twice by one person (four eyes)",
		`SELECT p.id::text FROM plans p WHERE (p.status <> 'signed_off' AND EXISTS (SELECT 1 FROM requests r WHERE r.plan_id = p.id))
		 OR p.first_signed_off_by = p.signed_off_by`},
}

// violations runs every invariant and describes the rows that break them.
func violations(db *postgres.DB) ([]string, error) {
	var out []string
	for _, inv := range invariants {
		var rows []string
		if err := db.Gorm(context.Background()).Raw(inv.query).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("%s: %w", inv.name, err)
		}
		for _, r := range rows {
			out = append(out, inv.name+": "+r)
		}
	}
	return out, nil
}

func checkInvariants(t testing.TB, db *postgres.DB) {
	t.Helper()
	v, err := violations(db)
	if err != nil {
		t.Fatal(err)
	}
	if len(v) > 0 {
		if len(v) > 20 {
			v = append(v[:20], fmt.Sprintf("... and %d more", len(v)-20))
		}
		t.Fatalf("invariants broken:\n%s", joinLines(v))
	}
}

func joinLines(v []string) string {
	s := ""
	for _, l := range v {
		s += "  " + l + "\n"
	}
	return s
}
