// Command carebroker is the care brokerage service: one binary with
// subcommands. main only wires: configuration, database, Redis, migrations
// and the HTTP server.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `carebroker: care brokerage for English councils (Care Act 2014)

usage:
  carebroker serve [--seed]        run the HTTP service (migrates first; --seed loads the demo data)
  carebroker migrate up|down|status
  carebroker seed                  load the deterministic demo data set (idempotent)
  carebroker worker                deliver notifications (serve runs one too; run more for throughput)
  carebroker import [--format cqc-csv|openreferral|ons-postcodes] FILE|-
                                   import provider directory data (or a postcode lookup) and print the report
  carebroker solve FILE|-          solve a batch assignment instance (JSON in, JSON out)
  carebroker check                 check the database's invariants (capacity, one agreement per request, ...)
  carebroker demo-users            print the demo users and passwords as JSON (DEV=1 only; for browser tests)

configuration comes from the environment: DATABASE_URL, REDIS_URL, LISTEN_ADDR,
JWT_SECRET or JWT_SECRET_FILE (DEV=1 allows the public development secret), PUBLIC_URL,
FINANCE_WEBHOOK_URL and FINANCE_WEBHOOK_SECRET, METRICS_ADDR (/metrics, apart from the public
address; off to serve none), REPLICA_DATABASE_URL and REPLICA_MAX_LAG (a read replica).
`

func main() {
	slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "carebroker:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("no command given")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout)
	case "migrate":
		return migrate(ctx, args[1:], stdout)
	case "seed":
		return seed(ctx, stdout)
	case "worker":
		return worker(ctx, stdout)
	case "import":
		return importFile(ctx, args[1:], stdin, stdout)
	case "solve":
		return solve(args[1:], stdin, stdout, stderr)
	case "check":
		return check(ctx, stdout)
	case "demo-users":
		return demoUsers(ctx, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}
