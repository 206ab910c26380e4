package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/api"
	"github.com/carebroker/carebroker/app"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/config"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/internal/redisx"
	"github.com/carebroker/carebroker/providers"
)

// open reads the configuration and connects to PostgreSQL (creating the
// database if needed) and Redis.
func open(ctx context.Context, out io.Writer) (config.Config, *postgres.DB, *redisx.Client, error) {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return cfg, nil, nil, err
	}
	cfg.Print(out)
	if err := postgres.EnsureDatabase(ctx, cfg.DatabaseURL); err != nil {
		return cfg, nil, nil, err
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return cfg, nil, nil, err
	}
	if cfg.ReplicaURL != "" {
		// Lag-tolerant reads (lists, dashboards, the published directory) go
		// to the replica while it is up and within REPLICA_MAX_LAG.
		if db, err = db.WithReplica(cfg.ReplicaURL, postgres.ReplicaOptions{MaxLag: cfg.ReplicaMaxLag, CheckEvery: time.Second}); err != nil {
			return cfg, nil, nil, err
		}
	}
	rdb, err := redisx.Open(cfg.RedisURL, cfg.RedisPrefix)
	if err != nil {
		return cfg, nil, nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	if !rdb.Up(ctx) {
		slog.Warn("redis is not answering; carrying on without live updates and shared rate limits", "url", postgres.Redact(cfg.RedisURL))
	}
	return cfg, db, rdb, nil
}

func serve(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	withSeed := fs.Bool("seed", false, "load the demo data before serving")
	withWorker := fs.Bool("worker", true, "deliver notifications in this process too (false when carebroker worker runs apart)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, db, rdb, err := open(ctx, out)
	if err != nil {
		return err
	}
	if err := postgres.Migrate(ctx, db); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if *withSeed {
		if err := seedDemo(ctx, db, out); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
	}
	deadlines, err := brokerage.DeadlinesFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	// One clock for the whole service: every timestamp and every "today"
	// (the London day) comes from it.
	now := time.Now
	dir, deals := providers.NewStore(db, providers.WithClock(now)), agreements.NewStore(db, agreements.WithClock(now),
		agreements.WithCouncil(agreements.Council{Name: cfg.CouncilName, Address: cfg.CouncilAddress, Team: cfg.CouncilTeam, Contact: cfg.CouncilContact}))
	brk := brokerage.New(db, brokerage.Config{Now: now, Directory: dir, Agreements: deals, Deadlines: deadlines})
	go brk.RunSweeper(ctx, time.Minute)
	serveMetrics(ctx, cfg, db, deals)
	go brk.RunDigest(ctx, brokerage.DigestWindow{Hour: cfg.DigestHour}, time.Minute)
	handler, err := app.New(api.Deps{Config: cfg, DB: db, Redis: rdb, Accounts: accounts.NewStore(db), Providers: dir,
		Agreements: deals, Brokerage: brk, Now: now})
	if err != nil {
		return err
	}
	stopWorker := func() {}
	if *withWorker {
		w, err := newNotificationWorker(cfg, db, rdb)
		if err != nil {
			return err
		}
		workerCtx, cancel := context.WithCancel(context.Background())
		workerDone := make(chan struct{})
		go func() {
			defer close(workerDone)
			w.Run(workerCtx)
		}()
		// Stop after the HTTP server: the delivery under way finishes first.
		stopWorker = sync.OnceFunc(func() { cancel(); <-workerDone })
	}
	defer stopWorker()
	httpServer := api.NewHTTPServer(cfg.ListenAddr, handler, api.DefaultServerTimeouts)
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "carebroker is listening: open %s\n", cfg.PublicURL)
	slog.Info("listening", "addr", ln.Addr().String())
	// SIGTERM: stop accepting, let in-flight requests finish.
	if err := app.Serve(ctx, httpServer, ln, app.ShutdownGrace); err != nil {
		return err
	}
	stopWorker()
	slog.Info("stopped cleanly")
	return nil
}
