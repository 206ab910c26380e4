package accounts

import (
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/carebroker/carebroker/errs"
)

// argonParams are the argon2id costs. They are written into every hash, so
// raising them later still verifies old hashes.
type argonParams struct {
	memoryKiB uint32
	time      uint32
	threads   uint8
}

// productionHashParams are OWASP's recommended minimum for argon2id:
// 19 MiB, 2 passes, 1 lane.
var productionHashParams = argonParams{memoryKiB: 19 * 1024, time: 2, threads: 1}

var hashParams = productionHashParams

// UseFastHashing lowers the argon2id cost for tests that create many users.
// Hashes made with it still verify with the normal code path.
func UseFastHashing() { hashParams = argonParams{memoryKiB: 1024, time: 1, threads: 1} }

// MinPasswordLength is the shortest password accepted (NCSC guidance: length over complexity).
const MinPasswordLength = 12

//go:embed common_passwords.txt
var commonPasswordsText string

var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordsText, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			m[strings.ToLower(line)] = true
		}
	}
	return m
}()

// CheckPassword says why a new password is not acceptable, naming the field.
func CheckPassword(field, password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return errs.InvalidField(field, "must be at least %d characters", MinPasswordLength)
	}
	if len(password) > 256 {
		return errs.InvalidField(field, "must be at most 256 characters")
	}
	lower := strings.ToLower(password)
	// "Password2026!" is "password" with a suffix everyone tries.
	word := strings.TrimFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) })
	if commonPasswords[lower] || commonPasswords[word] {
		return errs.InvalidField(field, "is too common; choose one that is hard to guess")
	}
	if distinctRunes(password) < 5 {
		return errs.InvalidField(field, "repeats too few characters; choose one that is hard to guess")
	}
	return nil
}

func distinctRunes(s string) int {
	seen := map[rune]bool{}
	for _, r := range s {
		seen[r] = true
	}
	return len(seen)
}

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	p := hashParams
	key := argon2.IDKey([]byte(password), salt, p.time, p.memoryKiB, p.threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.memoryKiB, p.time, p.threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// VerifyPassword reports whether password matches hash, in time that does
// not depend on where they differ.
func VerifyPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var p argonParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memoryKiB, &p.time, &p.threads); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.time, p.memoryKiB, p.threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when no user has the email given, so a
// wrong email takes as long as a wrong password.
var dummyHash = HashPassword("no user has this password, it only spends time")
