package main

import (
	"context"
	"fmt"
	"io"

	"github.com/carebroker/carebroker/demo"
	"github.com/carebroker/carebroker/internal/postgres"
)

func seed(ctx context.Context, out io.Writer) error {
	_, db, _, err := open(ctx, out)
	if err != nil {
		return err
	}
	if err := postgres.Migrate(ctx, db); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return seedDemo(ctx, db, out)
}

func seedDemo(ctx context.Context, db *postgres.DB, out io.Writer) error {
	report, err := demo.Seed(ctx, db)
	if err != nil {
		return err
	}
	report.Print(out)
	return nil
}
