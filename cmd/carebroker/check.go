package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/carebroker/carebroker/internal/invariants"
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
	return invariants.Run(ctx, dsn, out)
}
