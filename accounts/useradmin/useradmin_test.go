package useradmin

import (
	"context"
	"os"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/pgtest"
)

func TestMain(m *testing.M) {
	accounts.UseFastHashing()
	os.Exit(m.Run())
}

var ctx = context.Background()

func TestAnAdministratorCreatesListsAndDisablesAccounts(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	store := accounts.NewStore(db)
	admin, err := store.CreateUser(ctx, accounts.NewUser{Email: "admin@council.example", DisplayName: "Ada Admin", Password: "an-admins-long-password", Role: accounts.Admin})
	if err != nil {
		t.Fatal(err)
	}
	s := New(db)
	a := admin.Actor()

	u, err := s.Create(ctx, a, accounts.NewUser{Email: " Pat@Council.Example ", DisplayName: "Pat Practitioner", Password: "pats-long-password-1", Role: accounts.Practitioner, Team: "reablement"})
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "pat@council.example" || u.Team == nil || *u.Team != "reablement" {
		t.Fatalf("created %+v", u)
	}
	if _, err := s.Create(ctx, a, accounts.NewUser{Email: "pat@council.example", DisplayName: "Pat Again", Password: "pats-long-password-2", Role: accounts.Broker}); !errs.Is(err, errs.Conflict) {
		t.Fatalf("a second account for the address: %v", err)
	}
	if _, err := s.Create(ctx, a, accounts.NewUser{Email: "nobody@council.example", DisplayName: "No Team", Password: "a-long-password-3", Role: accounts.Practitioner}); errs.As(err) == nil || errs.As(err).Field != "team" {
		t.Fatalf("a practitioner without a team: %v", err)
	}
	refresh, err := store.IssueRefreshToken(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}

	found, err := s.Users(ctx, a, Filter{Search: "PRACTITIONER"})
	if err != nil || len(found) != 1 || found[0].ID != u.ID {
		t.Fatalf("search: %v %v", found, err)
	}
	if found, _ := s.Users(ctx, a, Filter{Role: accounts.Admin}); len(found) != 1 || found[0].ID != admin.ID {
		t.Fatalf("by role: %v", found)
	}

	if _, err := s.Disable(ctx, a, u.ID, " "); errs.As(err) == nil || errs.As(err).Field != "reason" {
		t.Fatalf("no reason: %v", err)
	}
	if _, err := s.Disable(ctx, a, admin.ID, "testing"); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("disabling oneself: %v", err)
	}
	d, err := s.Disable(ctx, a, u.ID, "left the council")
	if err != nil || d.DisabledAt == nil {
		t.Fatalf("disable: %+v %v", d, err)
	}
	if _, err := s.Disable(ctx, a, u.ID, "again"); !errs.Is(err, errs.Conflict) {
		t.Fatalf("disabling twice: %v", err)
	}
	if _, err := s.Disable(ctx, a, uuid.New(), "who"); !errs.Is(err, errs.NotFound) {
		t.Fatalf("no such user: %v", err)
	}
	if _, err := store.Authenticate(ctx, "pat@council.example", "pats-long-password-1"); err == nil {
		t.Fatal("a disabled account signed in")
	}
	if _, _, err := store.RotateRefreshToken(ctx, refresh); !errs.Is(err, errs.Unauthorized) {
		t.Fatalf("a disabled account's refresh token still works: %v", err)
	}
	active := false
	if found, _ := s.Users(ctx, a, Filter{Disabled: &active}); len(found) != 1 || found[0].ID != admin.ID {
		t.Fatalf("active accounts: %v", found)
	}
	for action, want := range map[string]int{"user.create": 1, "user.disable": 1} {
		evs, err := audit.Query(ctx, db, audit.Filter{Action: action, ObjectID: u.ID.String()})
		if err != nil || len(evs) != want || *evs[0].ActorUserID != admin.ID {
			t.Fatalf("%s: %d events, %v", action, len(evs), err)
		}
	}
}

func TestOnlyAdministratorsManageAccounts(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	s := New(db)
	for _, role := range []accounts.Role{accounts.Broker, accounts.Practitioner, accounts.Finance, accounts.BudgetApprover} {
		a := accounts.Actor{UserID: uuid.New(), Role: role}
		if _, err := s.Users(ctx, a, Filter{}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("%s lists: %v", role, err)
		}
		if _, err := s.Create(ctx, a, accounts.NewUser{Email: "x@y.example", DisplayName: "X", Password: "a-long-password-4", Role: accounts.Admin}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("%s creates: %v", role, err)
		}
		if _, err := s.Disable(ctx, a, uuid.New(), "because"); !errs.Is(err, errs.Forbidden) {
			t.Errorf("%s disables: %v", role, err)
		}
	}
	var n int64
	db.Gorm(context.Background()).Table("users").Count(&n)
	if n != 0 {
		t.Fatalf("%d users made by people who may not", n)
	}
}
