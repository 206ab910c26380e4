package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/postgres"
)

// `carebroker check` passes a sound database, naming what it checked and
// what it skipped, and fails one that breaks a rule, naming the row.
func TestCheckSubcommand(t *testing.T) {
	db, dsn := pgtest.NewWithURL(t)
	t.Setenv("DATABASE_URL", dsn)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"check"}, nil, &out, &out); err != nil {
		t.Fatalf("check on a fresh database: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "checked  a request with two active agreements") || !strings.Contains(out.String(), "invariants hold") {
		t.Fatalf("check printed:\n%s", out.String())
	}
	// A finance notification of an agreement that does not exist.
	err := db.Transaction(context.Background(), func(tx *postgres.Tx) error {
		return agreements.Notify(context.Background(), tx, agreements.Notification{
			Audience: agreements.ToFinance(), Kind: "agreement.created", Subject: "An agreement nobody made", IdempotencyKey: "check-orphan",
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err = run(context.Background(), []string{"check"}, nil, &out, &out)
	if err == nil || !strings.Contains(out.String(), "BROKEN   a finance notification without its agreement") {
		t.Fatalf("check on a broken database: %v\n%s", err, out.String())
	}
}
