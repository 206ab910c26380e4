package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/postgres"
)

// The worker subcommand delivers what is in the outbox and stops cleanly on
// its signal.
func TestWorkerSubcommandDeliversAndStops(t *testing.T) {
	db, dsn := pgtest.NewWithURL(t)
	t.Setenv("DATABASE_URL", dsn)
	t.Setenv("DEV", "1")
	t.Setenv("REDIS_PREFIX", "test:worker-subcommand:")
	err := db.Transaction(context.Background(), func(tx *postgres.Tx) error {
		return agreements.Notify(context.Background(), tx, agreements.Notification{
			Audience: agreements.ToFinance(), Kind: "agreement.created", Subject: "A new agreement", IdempotencyKey: "cmd-worker-1",
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"worker"}, nil, &out, &errOut) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var status string
		db.Gorm(context.Background()).Raw(`SELECT status FROM notifications WHERE idempotency_key = 'cmd-worker-1'`).Scan(&status)
		if status == "delivered" {
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("the worker did not deliver: %s", errOut.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("worker stopped with %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the worker did not stop")
	}
}

func TestWorkerSubcommandRefusesAWebhookWithoutSecret(t *testing.T) {
	_, dsn := pgtest.NewWithURL(t)
	t.Setenv("DATABASE_URL", dsn)
	t.Setenv("DEV", "1")
	t.Setenv("FINANCE_WEBHOOK_URL", "https://finance.example/hook")
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"worker"}, nil, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "FINANCE_WEBHOOK_SECRET") {
		t.Fatalf("worker with a webhook and no secret: %v", err)
	}
}
