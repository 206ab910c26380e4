package accounts

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/internal/pgtest"
)

// TestFailedSignInsAreIndistinguishable: an unknown email, a wrong password
// and a disabled account give the very same error value, so neither the
// message nor the status tells whether an account exists.
func TestFailedSignInsAreIndistinguishable(t *testing.T) {
	db := pgtest.New(t)
	s := NewStore(db)
	ctx := context.Background()
	for _, email := range []string{"live@council.example", "disabled@council.example"} {
		if _, err := s.CreateUser(ctx, NewUser{Email: email, DisplayName: "X", Password: "the-right-password-1", Role: Broker}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Gorm(context.Background()).Exec(`UPDATE users SET disabled_at = now() WHERE email = 'disabled@council.example'`).Error; err != nil {
		t.Fatal(err)
	}
	_, unknown := s.Authenticate(ctx, "nobody@council.example", "the-right-password-1")
	_, wrong := s.Authenticate(ctx, "live@council.example", "the-wrong-password-1")
	_, disabled := s.Authenticate(ctx, "disabled@council.example", "the-right-password-1")
	if unknown != ErrBadCredentials || wrong != ErrBadCredentials || disabled != ErrBadCredentials {
		t.Fatalf("failures differ: unknown %v, wrong %v, disabled %v", unknown, wrong, disabled)
	}
	if u, err := s.Authenticate(ctx, " Live@Council.example", "the-right-password-1"); err != nil || u.Email != "live@council.example" {
		t.Fatalf("the right password: %v %v", u.Email, err)
	}
}

// BenchmarkAuthenticate measures each way a sign-in can fail, at the
// production argon2id cost: the numbers should match, or the time tells
// whether an account exists.
func BenchmarkAuthenticate(b *testing.B) {
	saved := hashParams
	hashParams = productionHashParams // TestMain lowered it for speed
	defer func() { hashParams = saved }()
	db := pgtest.New(b)
	s := NewStore(db)
	ctx := context.Background()
	s.CreateUser(ctx, NewUser{Email: "live@council.example", DisplayName: "X", Password: "the-right-password-1", Role: Broker})
	s.CreateUser(ctx, NewUser{Email: "disabled@council.example", DisplayName: "X", Password: "the-right-password-1", Role: Broker})
	db.Gorm(context.Background()).Exec(`UPDATE users SET disabled_at = now() WHERE email = 'disabled@council.example'`)
	for _, c := range []struct{ name, email, password string }{
		{"unknown-email", "nobody-" + uuid.NewString()[:6] + "@council.example", "the-right-password-1"},
		{"wrong-password", "live@council.example", "the-wrong-password-1"},
		{"disabled", "disabled@council.example", "the-right-password-1"},
		{"success", "live@council.example", "the-right-password-1"},
	} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				s.Authenticate(ctx, c.email, c.password)
			}
		})
	}
}
