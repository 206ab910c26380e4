package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/carebroker/carebroker/internal/invariants"
	"github.com/carebroker/carebroker/internal/postgres"
)

// check runs the invariant checker on DATABASE_URL, which must exist (it
// is never created or migrated here: check reads a database as it is, a
// restored backup for one). It prints each rule and each row that breaks
// one, and fails when any does.
func check(ctx context.Context, out io.Writer) error {
	dsn := os.Getenv("DATABASE_URL")
	if dsn == "" {
		return fmt.Errorf("check: set DATABASE_URL to the database to check")
	}
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := invariants.Check(ctx, db)
	if err != nil {
		return fmt.Errorf("check %s: %w", postgres.Redact(dsn), err)
	}
	for _, name := range rep.Checked {
		fmt.Fprintf(out, "checked  %s\n", name)
	}
	for _, name := range rep.Skipped {
		fmt.Fprintf(out, "skipped  %s\n", name)
	}
	for _, v := range rep.Violations {
		fmt.Fprintf(out, "BROKEN   %s\n", v)
	}
	if !rep.OK() {
		return fmt.Errorf("%d rows break the invariants of %s", len(rep.Violations), postgres.Redact(dsn))
	}
	fmt.Fprintf(out, "all %d invariants hold\n", len(rep.Checked))
	return nil
}
