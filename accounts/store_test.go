package accounts

import (
	"context"
	"os"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/pgtest"
)

func TestMain(m *testing.M) {
	UseFastHashing()
	os.Exit(m.Run())
}

func TestCreateUserValidatesAndRefusesDuplicates(t *testing.T) {
	t.Parallel()
	s := NewStore(pgtest.New(t))
	ctx := context.Background()
	good := NewUser{Email: " Broker@Council.example ", DisplayName: "B", Password: "a long enough password", Role: Broker}
	u, err := s.CreateUser(ctx, good)
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "broker@council.example" {
		t.Errorf("email not normalised: %q", u.Email)
	}
	if _, err := s.CreateUser(ctx, good); !errs.Is(err, errs.Conflict) {
		t.Errorf("duplicate email: %v, want conflict", err)
	}
	bad := []struct {
		n     NewUser
		field string
	}{
		{NewUser{Email: "not-an-email", DisplayName: "x", Password: "a long enough password", Role: Broker}, "email"},
		{NewUser{Email: "a@b.example", DisplayName: "x", Password: "a long enough password", Role: "boss"}, "role"},
		{NewUser{Email: "a@b.example", DisplayName: "x", Password: "a long enough password", Role: Practitioner}, "team"},
		{NewUser{Email: "a@b.example", DisplayName: "x", Password: "a long enough password", Role: ProviderUser}, "provider_org_id"},
		{NewUser{Email: "a@b.example", DisplayName: "x", Password: "a long enough password", Role: Client}, "person_id"},
		{NewUser{Email: "a@b.example", DisplayName: "x", Password: "a long enough password", Role: Broker, PersonID: &uuid.UUID{1}}, "person_id"},
		{NewUser{Email: "a@b.example", DisplayName: "x", Password: "short", Role: Broker}, "password"},
	}
	for _, b := range bad {
		_, err := s.CreateUser(ctx, b.n)
		if e := errs.As(err); e == nil || e.Code != errs.Invalid || e.Field != b.field {
			t.Errorf("%+v: got %v, want invalid %s", b.n, err, b.field)
		}
	}
	var n int64
	s.db.Gorm(context.Background()).Table("users").Count(&n)
	if n != 1 {
		t.Fatalf("%d users written, want 1: bad input wrote rows", n)
	}
}

func TestChangePasswordEndsOtherSessions(t *testing.T) {
	t.Parallel()
	s := NewStore(pgtest.New(t))
	ctx := context.Background()
	u, err := s.CreateUser(ctx, NewUser{Email: "f@council.example", DisplayName: "F", Password: "the first password", Role: Finance})
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := s.IssueRefreshToken(ctx, u.ID)
	if err := s.ChangePassword(ctx, u.ID, "the second password"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.RotateRefreshToken(ctx, tok); !errs.Is(err, errs.Unauthorized) {
		t.Fatalf("a session survived a password change: %v", err)
	}
	if _, err := s.Authenticate(ctx, "f@council.example", "the first password"); err == nil {
		t.Fatal("the old password still works")
	}
	if _, err := s.Authenticate(ctx, "f@council.example", "the second password"); err != nil {
		t.Fatalf("the new password does not work: %v", err)
	}
}
