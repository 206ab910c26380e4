package ratelimit

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/redisx/redistest"
)

var testPolicy = LoginPolicy{
	PerAddress:        Limit{Rate: 10, Period: time.Hour, Burst: 10},
	PerAccountAddress: Limit{Rate: 1, Period: 15 * time.Minute, Burst: 3},
	PerAccount:        Limit{Rate: 1, Period: 15 * time.Minute, Burst: 6},
}

func TestLoginGuardLocksThePairThenTheAccount(t *testing.T) {
	t.Parallel()
	g := NewLoginGuard(New(redistest.New(t)), testPolicy)
	ctx := context.Background()
	fail := func(email, addr string) error {
		_, err := g.Begin(ctx, email, addr)
		return err // a failed password needs no further call
	}
	for i := 0; i < 3; i++ {
		if err := fail("alice@example.org", "203.0.113.1"); err != nil {
			t.Fatalf("failure %d refused early: %v", i+1, err)
		}
	}
	err := fail("Alice@Example.org ", "203.0.113.1")
	var ex *Exceeded
	if !errors.As(err, &ex) || !errs.Is(err, errs.TooMany) || ex.RetryAfter <= 0 || ex.RetryAfter > 15*time.Minute {
		t.Fatalf("fourth attempt from the same address: %v, want TooMany with a wait of at most one interval", err)
	}
	// From another address the account is still open, until failures from
	// everywhere reach PerAccount's burst.
	for i := 0; i < 3; i++ {
		if err := fail("alice@example.org", "198.51.100.7"); err != nil {
			t.Fatalf("failure %d from a second address refused: %v", i+1, err)
		}
	}
	if err := fail("alice@example.org", "192.0.2.200"); !errs.Is(err, errs.TooMany) {
		t.Fatalf("seventh failure from anywhere: %v, want the account locked", err)
	}
	if a, err := g.Begin(ctx, "bob@example.org", "192.0.2.200"); err != nil || a == nil {
		t.Fatalf("another account was locked too: %v", err)
	}
}

func TestLoginGuardSuccessGivesTheBudgetBack(t *testing.T) {
	t.Parallel()
	g := NewLoginGuard(New(nil), testPolicy)
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		g.Begin(ctx, "carol@example.org", "203.0.113.5")
	}
	a, err := g.Begin(ctx, "carol@example.org", "203.0.113.5")
	if err != nil {
		t.Fatal(err)
	}
	a.Succeeded(ctx)
	for i := 0; i < 3; i++ {
		if _, err := g.Begin(ctx, "carol@example.org", "203.0.113.5"); err != nil {
			t.Fatalf("after a success, failure %d refused: %v", i+1, err)
		}
	}
}

func TestLoginGuardAnswersUnknownEmailsTheSame(t *testing.T) {
	t.Parallel()
	g := NewLoginGuard(New(nil), testPolicy)
	ctx := context.Background()
	var known, unknown []string
	for i := 0; i < 5; i++ {
		_, e1 := g.Begin(ctx, "known@example.org", "203.0.113.8")
		_, e2 := g.Begin(ctx, "nobody-has-this@example.org", "203.0.113.9")
		known, unknown = append(known, errText(e1)), append(unknown, errText(e2))
	}
	for i := range known {
		if known[i] != unknown[i] {
			t.Fatalf("attempt %d: %q for a known email, %q for an unknown one", i+1, known[i], unknown[i])
		}
	}
}

func errText(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}
