package main

import (
	"context"
	"fmt"
	"io"

	"github.com/carebroker/carebroker/internal/postgres"
)

func migrate(ctx context.Context, args []string, out io.Writer) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: carebroker migrate up|down|status")
	}
	_, db, _, err := open(ctx, out)
	if err != nil {
		return err
	}
	switch args[0] {
	case "up":
		return postgres.Migrate(ctx, db)
	case "down":
		return postgres.MigrateDown(ctx, db)
	case "status":
		lines, err := postgres.MigrationStatus(ctx, db)
		for _, l := range lines {
			fmt.Fprintln(out, l)
		}
		return err
	}
	return fmt.Errorf("usage: carebroker migrate up|down|status")
}
