// Command loadtest measures the service under load (`make loadtest`): it
// makes a fresh database, generates 25,000 provider services and 5,000 open
// requests on the real Greater Manchester places, serves the real router
// (API and pages, PostgreSQL and Redis) on a free port of 127.0.0.1, and
// drives it with vegeta: a step-up of /healthz, a step-up of the match
// endpoint, and a mixed workload. It prints Markdown tables. main only
// wires; the generator and the attacks are in package loadtest.
package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/api"
	"github.com/carebroker/carebroker/app"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/config"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/internal/redisx"
	"github.com/carebroker/carebroker/loadtest"
	"github.com/carebroker/carebroker/providers"
)

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func env(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func rates(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("rate %q is not a positive whole number", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func run(ctx context.Context, args []string, out, log io.Writer) error {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	dbURL := fs.String("db", env("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/carebroker_loadtest?sslmode=disable"),
		"the database to (re)create and fill: it is dropped first")
	redisURL := fs.String("redis", env("REDIS_URL", "redis://127.0.0.1:6379/0"), "Redis")
	dataFile := fs.String("data", "demo/data/gm_care_homes.csv", "the real directory the generator builds on")
	services := fs.Int("services", loadtest.DefaultSize.Services, "provider services to generate")
	requests := fs.Int("requests", loadtest.DefaultSize.OpenRequests, "open requests to generate")
	step := fs.Duration("step", 5*time.Second, "how long each rate is held")
	healthRates := fs.String("health-rates", "250,500,1000,2000,3000,4000", "rates of the /healthz step-up (per second)")
	matchRates := fs.String("match-rates", "5,10,15,20,30,40,50,75,100,150,200", "rates of the match step-up (per second)")
	mixRate := fs.Int("mix-rate", 50, "requests a second of the mixed workload (0: none)")
	mixDuration := fs.Duration("mix-duration", 20*time.Second, "how long the mixed workload runs")
	workers := fs.Uint64("workers", 64, "at most this many requests in flight (vegeta's max workers)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the server and attacker (the same process) here")
	debugAddr := fs.String("pprof", "", "serve net/http/pprof on this address while running, e.g. 127.0.0.1:6060")
	if err := fs.Parse(args); err != nil {
		return err
	}
	hr, err := rates(*healthRates)
	if err != nil {
		return fmt.Errorf("-health-rates: %w", err)
	}
	mr, err := rates(*matchRates)
	if err != nil {
		return fmt.Errorf("-match-rates: %w", err)
	}
	places, err := loadtest.ReadPlacesFile(*dataFile)
	if err != nil {
		return fmt.Errorf("-data: %w", err)
	}
	if *debugAddr != "" {
		go func() { _ = http.ListenAndServe(*debugAddr, nil) }() // net/http/pprof registers on the default mux
	}

	began, loadBefore := time.Now(), loadAverage()
	if err := recreate(ctx, *dbURL); err != nil {
		return err
	}
	db, err := postgres.Open(ctx, *dbURL)
	if err != nil {
		return err
	}
	if err := postgres.Migrate(ctx, db); err != nil {
		return err
	}
	size := loadtest.DefaultSize
	size.Services, size.OpenRequests = *services, *requests
	t0 := time.Now()
	world, err := loadtest.Generate(ctx, db, places, size)
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "generated %v in %s\n", world.Counts, time.Since(t0).Round(time.Millisecond))

	secret := randomHex(32)
	cfg := config.Config{DatabaseURL: *dbURL, RedisURL: *redisURL, RedisPrefix: "loadtest:" + randomHex(4) + ":",
		JWTSecrets: []string{secret}, JWTIssuer: "carebroker", JWTAudience: "carebroker-api", AccessTTL: time.Hour, MaxBodyBytes: 1 << 20}
	rdb, err := redisx.Open(cfg.RedisURL, cfg.RedisPrefix)
	if err != nil {
		return fmt.Errorf("-redis: %w", err)
	}
	if !rdb.Up(ctx) {
		return fmt.Errorf("redis at %s does not answer", *redisURL)
	}
	deadlines, err := brokerage.DeadlinesFromEnv(func(string) string { return "" })
	if err != nil {
		return err
	}
	dir, deals := providers.NewStore(db), agreements.NewStore(db)
	brk := brokerage.New(db, brokerage.Config{Directory: dir, Agreements: deals, Deadlines: deadlines})
	// The limits are lifted (the limiter still asks Redis on every request):
	// twenty brokers at hundreds of requests a second are not one person.
	handler, err := app.New(api.Deps{Config: cfg, DB: db, Redis: rdb, Accounts: accounts.NewStore(db), Providers: dir,
		Agreements: deals, Brokerage: brk, Limits: &api.Unlimited})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := api.NewHTTPServer(ln.Addr().String(), handler, api.DefaultServerTimeouts)
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	cfg.PublicURL = base

	// Brokers sign in through the API, as people do; provider users' tokens
	// are issued with the same keys (signing in hundreds of them would only
	// measure argon2).
	var brokerTokens []string
	for _, b := range world.Brokers {
		tok, err := loadtest.Login(base, b.Email, loadtest.Password)
		if err != nil {
			return fmt.Errorf("signing in %s: %w", b.Email, err)
		}
		brokerTokens = append(brokerTokens, tok)
	}
	tokens := accounts.NewTokens(cfg.JWTSecrets, cfg.JWTIssuer, cfg.JWTAudience, cfg.AccessTTL)
	providerToken := func(org uuid.UUID) (string, error) {
		u, ok := world.Providers[org]
		if !ok {
			return "", fmt.Errorf("no provider user for organisation %s", org)
		}
		tok, _, err := tokens.Issue(u.Actor)
		return tok, err
	}

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	rep, err := loadtest.Run(ctx, loadtest.Plan{BaseURL: base, World: world, BrokerTokens: brokerTokens, ProviderToken: providerToken,
		StepDuration: *step, HealthRates: hr, MatchRates: mr, MixRate: *mixRate, MixDuration: *mixDuration,
		Attacker: loadtest.Attacker{MaxWorkers: *workers, Timeout: 10 * time.Second}, Log: log})
	if err != nil {
		return err
	}
	printReport(out, rep, world, *step, *mixRate, *mixDuration, time.Since(began), loadBefore+" before, "+loadAverage()+" after")
	return nil
}

func printReport(out io.Writer, rep loadtest.Report, w loadtest.World, step time.Duration, mixRate int, mixDuration, took time.Duration, load string) {
	fmt.Fprintf(out, "\n## Load test, %s\n\n", time.Now().UTC().Format("2 January 2006 15:04 MST"))
	fmt.Fprintf(out, "%s; %d cores (`nproc`), GOMAXPROCS %d, %s %s/%s. Server and attacker in one process on 127.0.0.1, "+
		"PostgreSQL and Redis on the same machine. Directory: %d organisations, %d locations, %d services; %d open requests. "+
		"Each rate held %s (longer for low rates: at least %d requests a step). Whole run %s; load average %s (the machine is shared).\n\n",
		cpuModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOOS, runtime.GOARCH,
		w.Counts["provider_organisations"], w.Counts["provider_locations"], w.Counts["provider_services"], len(w.OpenRequests),
		step, loadtest.MinRequests, took.Round(time.Second), load)
	fmt.Fprint(out, loadtest.StepTable(append(append([]loadtest.Step{}, rep.Health...), rep.Match...)))
	for _, bar := range []time.Duration{50 * time.Millisecond, 100 * time.Millisecond} {
		h, m := loadtest.Best(rep.Health, bar), loadtest.Best(rep.Match, bar)
		ratio := "n/a"
		if h > 0 {
			ratio = fmt.Sprintf("%.4f", float64(m)/float64(h))
		}
		fmt.Fprintf(out, "\nHighest rate with p99 under %d ms, errors under 0.1%% and the rate really sent: **match %d/s**, "+
			"**/healthz %d/s**; ratio match : healthz = **%s**.\n", bar.Milliseconds(), m, h, ratio)
	}
	if len(rep.ColdMatch) > 0 {
		types := make([]string, 0, len(rep.ColdMatch))
		for t := range rep.ColdMatch {
			types = append(types, t)
		}
		sort.Strings(types)
		var parts []string
		for _, t := range types {
			parts = append(parts, fmt.Sprintf("%s %.0f ms", t, float64(rep.ColdMatch[t].Microseconds())/1000))
		}
		fmt.Fprintf(out, "\nThe first match of each service type after a directory change builds that type's index "+
			"(not in the steps above): %s.\n", strings.Join(parts, ", "))
	}
	if len(rep.Mix) > 0 {
		fmt.Fprintf(out, "\nMixed workload, %d/s for %s (80%% reads, 20%% writes; prepared through the API: %v):\n\n", mixRate, mixDuration, rep.MixPrepared)
		fmt.Fprint(out, loadtest.MixTable(rep.Mix))
	}
}

// loadAverage is the one-minute load average, or "?".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "?"
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// recreate drops and creates the load test's database: every run starts
// from the same generated rows.
func recreate(ctx context.Context, dsn string) error {
	u, err := url.Parse(dsn)
	if err != nil || len(u.Path) < 2 {
		return fmt.Errorf("-db must name a database")
	}
	name := strings.TrimPrefix(u.Path, "/")
	if !strings.Contains(name, "loadtest") {
		return fmt.Errorf("-db: refusing to drop %q: the load test's database name must contain \"loadtest\"", name)
	}
	admin := *u
	admin.Path = "/postgres"
	db, err := sql.Open("pgx", admin.String())
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `DROP DATABASE IF EXISTS `+postgres.QuoteIdent(name)+` WITH (FORCE)`); err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `CREATE DATABASE `+postgres.QuoteIdent(name))
	return err
}
