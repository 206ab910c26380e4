// Package demo loads a deterministic demo data set on top of the real
// Greater Manchester directory of care services: provider organisations
// with made-up but plausible rates, capacity and framework status, demo
// users for every role, and a few signed-off plans. Running it twice
// changes nothing.
package demo

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

// Seed is the secret the demo passwords derive from. Set DEMO_SEED to get
// other passwords on a shared demo machine.
func seedSecret() string {
	if s := os.Getenv("DEMO_SEED"); s != "" {
		return s
	}
	return "carebroker-demo-2026"
}

// Password returns the demo password of the demo user with the given email.
func Password(email string) string {
	m := hmac.New(sha256.New, []byte(seedSecret()))
	m.Write([]byte(email))
	return "demo-" + hex.EncodeToString(m.Sum(nil))[:12]
}

// Report says what Seed created.
type Report struct {
	Users    []Credential // users created by this run, with their passwords
	Existing int          // users that were already there
	Counts   map[string]int
}

// Credential is a demo user's sign-in, printed once when it is created.
type Credential struct {
	Role     accounts.Role
	Email    string
	Password string
}

// Print writes the report, with the passwords of users created this run.
func (r Report) Print(w io.Writer) {
	keys := make([]string, 0, len(r.Counts))
	for k := range r.Counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "demo: %-28s %d\n", k, r.Counts[k])
	}
	if len(r.Users) == 0 {
		fmt.Fprintf(w, "demo: all %d demo users already exist (their passwords were printed when they were created; see demo.Password)\n", r.Existing)
		return
	}
	fmt.Fprintf(w, "demo users (passwords shown once):\n")
	for _, u := range r.Users {
		fmt.Fprintf(w, "  %-16s %-42s %s\n", u.Role, u.Email, u.Password)
	}
}

// StaffUsers are the demo users who work for the council.
var StaffUsers = []accounts.NewUser{
	{Email: "broker@demo.carebroker.example", DisplayName: "Bola Broker", Role: accounts.Broker},
	{Email: "broker2@demo.carebroker.example", DisplayName: "Brian Broker", Role: accounts.Broker},
	{Email: "practitioner@demo.carebroker.example", DisplayName: "Priya Practitioner", Role: accounts.Practitioner, Team: "community_led_support"},
	{Email: "mh.practitioner@demo.carebroker.example", DisplayName: "Martin Mental-Health", Role: accounts.Practitioner, Team: "mental_health"},
	{Email: "dp.practitioner@demo.carebroker.example", DisplayName: "Dina Direct-Payments", Role: accounts.Practitioner, Team: "direct_payments"},
	{Email: "approver@demo.carebroker.example", DisplayName: "Abena Approver", Role: accounts.BudgetApprover},
	{Email: "finance@demo.carebroker.example", DisplayName: "Fiona Finance", Role: accounts.Finance},
	{Email: "admin@demo.carebroker.example", DisplayName: "Adam Admin", Role: accounts.Admin},
}

// Seed loads the demo data. It is idempotent.
func Seed(ctx context.Context, db *postgres.DB) (Report, error) {
	r := Report{Counts: map[string]int{}}
	users := accounts.NewStore(db)
	for _, n := range StaffUsers {
		if err := ensureUser(ctx, users, n, &r); err != nil {
			return r, err
		}
	}
	if err := seedProviders(ctx, db, &r); err != nil {
		return r, fmt.Errorf("providers: %w", err)
	}
	// Brokerage needs the provider directory: it runs after it.
	if err := seedBrokerage(ctx, db, &r); err != nil {
		return r, fmt.Errorf("brokerage demo: %w", err)
	}
	return r, nil
}

func ensureUser(ctx context.Context, users *accounts.Store, n accounts.NewUser, r *Report) error {
	if _, err := users.UserByEmail(ctx, n.Email); err == nil {
		r.Existing++
		return nil
	} else if !errs.Is(err, errs.NotFound) {
		return err
	}
	n.Password = Password(n.Email)
	if _, err := users.CreateUser(ctx, n); err != nil {
		return fmt.Errorf("demo user %s: %w", n.Email, err)
	}
	r.Users = append(r.Users, Credential{Role: n.Role, Email: n.Email, Password: n.Password})
	return nil
}
