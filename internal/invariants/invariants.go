// Package invariants checks what must hold in the database whatever
// faults, races or restores came before: no capacity over-committed, one
// active agreement per request, one finance notification per agreement,
// and package lines that agree with one another. Each rule is a query that
// lists the rows breaking it, and none may. The fault tests run it after
// every fault, `carebroker check` runs it on any database (scripts/restore.sh
// on a restored backup). Add a rule here when you add one the database must
// keep.
package invariants

import (
	"context"
	"fmt"
	"io"

	"github.com/carebroker/carebroker/internal/postgres"
)

// rule is one invariant: query lists the rows that break it. A rule with
// needs applies only when that table exists (a schema from before the
// table, or a branch without it), and is reported as skipped otherwise.
type rule struct {
	name, query string
	needs       string
}

var rules = []rule{
	{name: "capacity over-committed or below nothing",
		query: `SELECT service_id::text || ' ' || from_date::text FROM provider_capacity WHERE reserved_units > units OR reserved_units < 0`},
	{name: "places reserved differ from the places of the service's active agreements",
		query: `SELECT c.service_id::text FROM (SELECT service_id, sum(reserved_units) AS reserved FROM provider_capacity GROUP BY service_id) c
		 LEFT JOIN (SELECT service_id, sum(places) AS places FROM agreements WHERE status = 'active' GROUP BY service_id) a ON a.service_id = c.service_id
		 WHERE c.reserved <> coalesce(a.places, 0)`},
	{name: "a request with two active agreements",
		query: `SELECT request_id::text FROM agreements WHERE status = 'active' GROUP BY request_id HAVING count(*) > 1`},
	{name: "an agreement without exactly one finance notification",
		query: `SELECT a.id::text FROM agreements a LEFT JOIN notifications n ON n.agreement_id = a.id AND n.audience_kind = 'finance' AND n.kind = 'agreement.created'
		 GROUP BY a.id HAVING count(n.id) <> 1`},
	{name: "a finance notification without its agreement",
		query: `SELECT n.id::text FROM notifications n WHERE n.audience_kind = 'finance' AND n.kind = 'agreement.created'
		 AND NOT EXISTS (SELECT 1 FROM agreements a WHERE a.id = n.agreement_id)`},
	{name: "an email of a notification not delivered (emails are written in the delivering transaction)", needs: "emails",
		query: `SELECT e.id::text FROM emails e JOIN notifications n ON n.id = e.notification_id WHERE n.status <> 'delivered'`},
	{name: "an agreed request without an active agreement, or an agreement of a request not agreed",
		query: `SELECT r.id::text FROM requests r WHERE (r.status = 'agreed') <> EXISTS (SELECT 1 FROM agreements a WHERE a.request_id = r.id AND a.status = 'active')`},
	{name: "a request of a plan not (yet) signed off, or a plan signed twice by one person (four eyes)",
		query: `SELECT p.id::text FROM plans p WHERE (p.status <> 'signed_off' AND EXISTS (SELECT 1 FROM requests r WHERE r.plan_id = p.id))
		 OR p.first_signed_off_by = p.signed_off_by`},
	// Package lines (issue 16): checked only where the table exists.
	{name: "a package without any line", needs: "package_lines",
		query: `SELECT p.agreement_id::text FROM packages p WHERE NOT EXISTS (SELECT 1 FROM package_lines l WHERE l.agreement_id = p.agreement_id)`},
	{name: "two lines of one package in force on the same day", needs: "package_lines",
		query: `SELECT a.agreement_id::text || ' ' || a.id::text || ' ' || b.id::text FROM package_lines a JOIN package_lines b
		 ON a.agreement_id = b.agreement_id AND a.id < b.id AND a.withdrawn_at IS NULL AND b.withdrawn_at IS NULL
		 AND daterange(a.from_date, a.to_date, '[]') && daterange(b.from_date, b.to_date, '[]')`},
	{name: "a care package line running past the end of its agreement", needs: "package_lines",
		query: `SELECT l.id::text FROM package_lines l JOIN agreements a ON a.id = l.agreement_id
		 WHERE a.status <> 'active' AND l.withdrawn_at IS NULL AND (l.to_date IS NULL OR l.to_date > a.ends_on)`},
}

// Report is what Check found.
type Report struct {
	Checked    []string // the rules run
	Skipped    []string // rules whose table this database does not have, with the table
	Violations []string // "rule: row" for every row that breaks a rule
}

// OK reports whether no rule was broken.
func (r Report) OK() bool { return len(r.Violations) == 0 }

// Check runs every rule on db. It returns an error only when a query
// cannot run (the database is down, or is not a carebroker database).
func Check(ctx context.Context, db postgres.Conn) (Report, error) {
	var rep Report
	for _, r := range rules {
		if r.needs != "" {
			var exists bool
			if err := db.Gorm(ctx).Raw(`SELECT to_regclass(?) IS NOT NULL`, r.needs).Scan(&exists).Error; err != nil {
				return rep, fmt.Errorf("%s: %w", r.name, err)
			}
			if !exists {
				rep.Skipped = append(rep.Skipped, r.name+" (no "+r.needs+" table)")
				continue
			}
		}
		var rows []string
		if err := db.Gorm(ctx).Raw(r.query).Scan(&rows).Error; err != nil {
			return rep, fmt.Errorf("%s: %w", r.name, err)
		}
		rep.Checked = append(rep.Checked, r.name)
		for _, row := range rows {
			rep.Violations = append(rep.Violations, r.name+": "+row)
		}
	}
	return rep, nil
}

// Print writes the report: each rule checked or skipped, each row that
// breaks one ("BROKEN ..."), and a last line saying whether all hold.
func (r Report) Print(w io.Writer) {
	for _, name := range r.Checked {
		fmt.Fprintf(w, "checked  %s\n", name)
	}
	for _, name := range r.Skipped {
		fmt.Fprintf(w, "skipped  %s\n", name)
	}
	for _, v := range r.Violations {
		fmt.Fprintf(w, "BROKEN   %s\n", v)
	}
	if r.OK() {
		fmt.Fprintf(w, "all %d invariants hold\n", len(r.Checked))
	}
}

// Run checks the database at dsn, as it is (never created or migrated),
// prints the report to w, and returns an error when a rule is broken or
// the database cannot be read: `carebroker check`.
func Run(ctx context.Context, dsn string, w io.Writer) error {
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := Check(ctx, db)
	if err != nil {
		return fmt.Errorf("check %s: %w", postgres.Redact(dsn), err)
	}
	rep.Print(w)
	if !rep.OK() {
		return fmt.Errorf("%d rows break the invariants of %s", len(rep.Violations), postgres.Redact(dsn))
	}
	return nil
}
