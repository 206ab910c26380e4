package faults

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/api"
	"github.com/carebroker/carebroker/app"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/config"
	"github.com/carebroker/carebroker/internal/invariants"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/internal/redisx"
	"github.com/carebroker/carebroker/providers"
)

// A child is this test binary run again with childEnv set to "server" or
// "worker": TestMain sends it to runChild instead of the tests.
const (
	childEnv        = "CAREBROKER_FAULTS_CHILD"
	childWebhookEnv = "CAREBROKER_FAULTS_WEBHOOK"
	// childSMTPEnv, when set, makes a child worker send email there.
	childSMTPEnv = "CAREBROKER_FAULTS_SMTP"
	// childHoldAnswerEnv set to "1" makes a child server stop after a
	// request with an Idempotency-Key has been handled and before the
	// middleware stores its answer, saying so on its output, for the test
	// to kill it exactly there.
	childHoldAnswerEnv = "CAREBROKER_FAULTS_HOLD_ANSWER"
	holdingAnswer      = "holding the answer before keeping it"
	testJWTSecret      = "faults-test-secret-at-least-32-characters"
	webhookSecret      = "faults-finance-webhook-secret"
)

// childConfig is the configuration every process of a fault test shares.
func childConfig(dsn, redisURL, listen string) config.Config {
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"JWT_SECRET": testJWTSecret, "DATABASE_URL": dsn, "REDIS_URL": redisURL, "LISTEN_ADDR": listen,
			"REDIS_PREFIX": "faults:"}[k]
	})
	if err != nil {
		panic(err)
	}
	return cfg
}

// workerConfig is a worker with a short lease, so a killed worker's claims
// are taken over in seconds.
func workerConfig(webhook string) agreements.WorkerConfig {
	return agreements.WorkerConfig{
		WebhookURL: webhook, WebhookSecret: webhookSecret, Lease: 6 * time.Second, HTTPTimeout: time.Second,
		PollInterval: 10 * time.Millisecond, BatchSize: 8, BackoffBase: 100 * time.Millisecond,
	}
}

func runChild() int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	var err error
	switch os.Getenv(childEnv) {
	case "server":
		err = childServer(ctx)
	case "worker":
		err = childWorker(ctx)
	case "check": // `carebroker check`, for scripts/restore.sh (CAREBROKER=<this binary>)
		err = invariants.Run(ctx, os.Getenv("DATABASE_URL"), os.Stdout)
	default:
		err = fmt.Errorf("unknown child %q", os.Getenv(childEnv))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	return 0
}

// childServer wires the service as `carebroker serve` does, without the
// deadline sweeper, and serves until SIGTERM.
func childServer(ctx context.Context) error {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return err
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	rdb, err := redisx.Open(cfg.RedisURL, cfg.RedisPrefix)
	if err != nil {
		return err
	}
	dir, deals := providers.NewStore(db), agreements.NewStore(db)
	brk := brokerage.New(db, brokerage.Config{Directory: dir, Agreements: deals})
	deps := api.Deps{Config: cfg, DB: db, Redis: rdb, Accounts: accounts.NewStore(db), Providers: dir,
		Agreements: deals, Brokerage: brk, Limits: &api.Unlimited}
	if os.Getenv(childHoldAnswerEnv) == "1" {
		deps.Failpoints.BeforeKeepingAnswer = func() {
			fmt.Println(holdingAnswer)
			select {} // until killed
		}
	}
	handler, err := app.New(deps)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return err
	}
	fmt.Println("listening on", ln.Addr())
	return app.Serve(ctx, api.NewHTTPServer(cfg.ListenAddr, handler, api.DefaultServerTimeouts), ln, app.ShutdownGrace)
}

func childWorker(ctx context.Context) error {
	db, err := postgres.Open(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		return err
	}
	cfg := workerConfig(os.Getenv(childWebhookEnv))
	if smtp := os.Getenv(childSMTPEnv); smtp != "" {
		if cfg.Email, err = emailConfig(smtp); err != nil {
			return err
		}
	}
	w, err := agreements.NewWorker(db, nil, cfg)
	if err != nil {
		return err
	}
	return w.Run(ctx)
}

// child is a running child process and its output.
type child struct {
	t    testing.TB
	cmd  *exec.Cmd
	mu   sync.Mutex
	log  bytes.Buffer
	done chan struct{}
	err  error
}

func (c *child) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.log.Write(p)
}

// Log is everything the child has written so far.
func (c *child) Log() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.log.String()
}

func startChild(t testing.TB, kind string, env ...string) *child {
	t.Helper()
	c := &child{t: t, done: make(chan struct{})}
	c.cmd = exec.Command(os.Args[0], "-test.run=^$")
	c.cmd.Env = append(append(os.Environ(), childEnv+"="+kind), env...)
	c.cmd.Stdout, c.cmd.Stderr = c, c
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		c.err = c.cmd.Wait()
		close(c.done)
	}()
	t.Cleanup(func() {
		select {
		case <-c.done:
		default:
			c.cmd.Process.Kill()
			<-c.done
		}
	})
	return c
}

// Kill sends SIGKILL and waits for the child to die.
func (c *child) Kill() {
	c.t.Helper()
	c.cmd.Process.Signal(syscall.SIGKILL)
	<-c.done
}

// Wait waits for the child to exit and returns its exit code.
func (c *child) Wait(limit time.Duration) int {
	c.t.Helper()
	select {
	case <-c.done:
	case <-time.After(limit):
		c.cmd.Process.Kill()
		<-c.done
		c.t.Fatalf("the child did not exit within %s; its log:\n%s", limit, c.Log())
	}
	return c.cmd.ProcessState.ExitCode()
}

// startServer runs the service in a child process on a free port against
// dsn and redisURL (with env added to its environment), and waits until it
// answers /healthz.
func startServer(t testing.TB, dsn, redisURL string, env ...string) (*child, string) {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	c := startChild(t, "server", append([]string{"DATABASE_URL=" + dsn, "REDIS_URL=" + redisURL, "LISTEN_ADDR=" + addr,
		"JWT_SECRET=" + testJWTSecret, "REDIS_PREFIX=faults:" + uuid.NewString()[:8] + ":", "DEV=", "FINANCE_WEBHOOK_URL="}, env...)...)
	base := "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return c, base
			}
		}
		select {
		case <-c.done:
			t.Fatalf("the server exited before answering; its log:\n%s", c.Log())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server never answered /healthz; its log:\n%s", c.Log())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// testRedisURL is the machine's test Redis, as redistest.New finds it, for
// tests that do not stop Redis (each child server uses a prefix of its own).
func testRedisURL() string {
	for _, k := range []string{"TEST_REDIS_URL", "REDIS_URL"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "redis://127.0.0.1:6379/0"
}

// tokenFor mints an access token for a, signed as the server expects.
func tokenFor(t testing.TB, a accounts.Actor) string {
	t.Helper()
	cfg := childConfig("postgres://x@127.0.0.1/x", "redis://127.0.0.1:1/0", "127.0.0.1:0")
	tok, _, err := accounts.NewTokens(cfg.JWTSecrets, cfg.JWTIssuer, cfg.JWTAudience, time.Hour).Issue(a)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
