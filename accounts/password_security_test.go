package accounts

import (
	"fmt"
	"strings"
	"testing"

	"github.com/carebroker/carebroker/errs"
)

// TestHashesAreArgon2idAtOWASPCost: the stored form names the algorithm and
// its costs, at least OWASP's minimum, with a fresh salt each time.
func TestHashesAreArgon2idAtOWASPCost(t *testing.T) {
	saved := hashParams
	hashParams = productionHashParams // TestMain lowered it for speed
	defer func() { hashParams = saved }()
	h1, h2 := HashPassword("a-long-enough-password"), HashPassword("a-long-enough-password")
	var m, tm, p int
	var salt, key string
	parts := strings.Split(h1, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != "v=19" {
		t.Fatalf("hash %q is not argon2id v19 in PHC form", h1)
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &tm, &p); err != nil || m < 19*1024 || tm < 2 || p < 1 {
		t.Fatalf("costs %q are below OWASP's argon2id minimum (m=19456, t=2, p=1)", parts[3])
	}
	salt, key = parts[4], parts[5]
	if len(salt) < 22 || len(key) < 43 || h1 == h2 {
		t.Fatalf("salt %q or key %q too short, or two hashes of one password are equal", salt, key)
	}
	if !strings.Contains(dummyHash, parts[3]) {
		t.Fatalf("the unknown-email path hashes at %q, real accounts at %q: the timing would differ", dummyHash, parts[3])
	}
}

func TestVerifyPassword(t *testing.T) {
	h := HashPassword("correct-horse-battery-staple")
	if !VerifyPassword(h, "correct-horse-battery-staple") {
		t.Fatal("the right password was refused")
	}
	for _, wrong := range []string{"correct-horse-battery-stapl", "Correct-horse-battery-staple", "", "correct-horse-battery-staple "} {
		if VerifyPassword(h, wrong) {
			t.Fatalf("%q was accepted", wrong)
		}
	}
	// Costs are read from the hash: a hash made at other costs verifies.
	saved := hashParams
	UseFastHashing()
	fast := HashPassword("made-at-a-lower-cost")
	hashParams = saved
	if !VerifyPassword(fast, "made-at-a-lower-cost") {
		t.Fatal("a hash made at other costs does not verify")
	}
	for _, bad := range []string{"", "$argon2id$", "$bcrypt$v=19$m=1,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=x,t=1,p=1$AAAA$AAAA",
		"$argon2id$v=19$m=1024,t=1,p=1$!!!!$AAAA", "$argon2id$v=19$m=1024,t=1,p=1$AAAA$", strings.Replace(h, "argon2id", "argon2i", 1)} {
		if VerifyPassword(bad, "anything") {
			t.Fatalf("malformed hash %q verified", bad)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	refused := []string{
		"short-pass1",                  // 11 characters
		strings.Repeat("x", 257),       // too long
		"password1234", "PASSWORD1234", // on the list, in any case
		"Password2026!", "!!letmein!!2026", "Qwerty123456789", // a listed word with digits and symbols around it
		"aaaaaaaaaaaaaaaa", "abababababab", "1212121212121212", // too few different characters
		"correcthorsebatterystaple", "carebroker123",
	}
	for _, p := range refused {
		err := CheckPassword("password", p)
		if e := errs.As(err); e == nil || e.Code != errs.Invalid || e.Field != "password" {
			t.Errorf("%q: %v, want Invalid naming password", p, err)
		}
	}
	accepted := []string{
		"a-long-password-for-broker", "twelve chars", "Tŵr-y-Dŵr-Caerdydd", "🐈🐕🐎🐄🐖🐑🐐🐓🦆🦉🦔🐇", // 12 runes, 48 bytes
		"correct-horse-2026-staple",
	}
	for _, p := range accepted {
		if err := CheckPassword("password", p); err != nil {
			t.Errorf("%q refused: %v", p, err)
		}
	}
}
