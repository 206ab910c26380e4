package faults

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/carebroker/carebroker/internal/invariants"
	"github.com/carebroker/carebroker/internal/postgres"
)

// checkInvariants fails t naming the rows that break any of the database's
// invariants (internal/invariants, also `carebroker check`).
func checkInvariants(t testing.TB, db *postgres.DB) {
	t.Helper()
	rep, err := invariants.Check(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if v := rep.Violations; len(v) > 0 {
		if len(v) > 20 {
			v = append(v[:20], fmt.Sprintf("... and %d more", len(v)-20))
		}
		t.Fatalf("invariants broken:\n  %s", strings.Join(v, "\n  "))
	}
}

func joinLines(v []string) string {
	s := ""
	for _, l := range v {
		s += "  " + l + "\n"
	}
	return s
}
