package accounts

import (
	"strings"
	"testing"
	"time"
)

// fuzzClock is a fixed time, so the committed corpus's tokens stay valid.
var fuzzClock = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func fuzzTokens() *Tokens {
	t := NewTokens([]string{"fuzz-secret-of-at-least-32-characters-ok", "fuzz-previous-secret-32-characters-long!"}, "carebroker", "carebroker-api", 15*time.Minute)
	t.now = func() time.Time { return fuzzClock }
	return t
}

// issuedForFuzz are tokens fuzzTokens issued at fuzzClock (the last with
// the previous key): fixed text, so every fuzz worker knows them.
var issuedForFuzz = []string{
	"eyJhbGciOiJIUzI1NiIsImtpZCI6IjMzNmRiNmUwOTZkOCIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJjYXJlYnJva2VyIiwic3ViIjoiNWIwYTdjMmUtM2Y0ZC00ZTVhLThiNmMtN2Q4ZTlmMGExYjJjIiwiYXVkIjpbImNhcmVicm9rZXItYXBpIl0sImV4cCI6MTc5NTM0MjUwMCwibmJmIjoxNzk1MzQxNjAwLCJpYXQiOjE3OTUzNDE2MDAsImp0aSI6IjBmMTY1NmFiLTQyN2MtNGI5NC1hMzk3LTk5YjFlNzhmYjc2YyIsInJvbGUiOiJicm9rZXIiLCJuYW1lIjoiQnJva2VyIn0.Upq4z-IotS131yddkTvrlXD80lUnTJBznUiJc2DuXb4",
	"eyJhbGciOiJIUzI1NiIsImtpZCI6IjMzNmRiNmUwOTZkOCIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJjYXJlYnJva2VyIiwic3ViIjoiNmMxYjhkM2YtNGE1ZS00ZjZiLTljN2QtOGU5ZmEwYjFjMmQzIiwiYXVkIjpbImNhcmVicm9rZXItYXBpIl0sImV4cCI6MTc5NTM0MjUwMCwibmJmIjoxNzk1MzQxNjAwLCJpYXQiOjE3OTUzNDE2MDAsImp0aSI6IjQzZGRiMmQ1LWZiYWMtNGViZC1hMmVhLWVkODg2NjUwYWQ5NiIsInJvbGUiOiJwcm92aWRlciIsIm5hbWUiOiJQcm92aWRlciIsIm9yZyI6IjdkMmM5ZTRhLTViNmYtNGE3Yy04ZDhlLTlmYTBiMWMyZDNlNCJ9.lHZzvcYw8Q7rtnpvV1BNJRzkadT5qUhK_XtK1iEfpdg",
	"eyJhbGciOiJIUzI1NiIsImtpZCI6IjczNmYzOWU1YjBiZiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJjYXJlYnJva2VyIiwic3ViIjoiOGUzZGFmYjUtNmM3YS00YjhkLTllOWYtYTBiMWMyZDNlNGY1IiwiYXVkIjpbImNhcmVicm9rZXItYXBpIl0sImV4cCI6MTc5NTM0MjUwMCwibmJmIjoxNzk1MzQxNjAwLCJpYXQiOjE3OTUzNDE2MDAsImp0aSI6IjNiY2ZlZWE4LTg5N2QtNDgxNi04ZmRlLWM3ZGQxZDkwYjQyZiIsInJvbGUiOiJjbGllbnQiLCJuYW1lIjoiQ2xpZW50IiwicGVyc29uIjoiOWY0ZWIwYzYtN2Q4Yi00YzllLWFmYTAtYjFjMmQzZTRmNWE2In0.TtKGVxAtyWSqPaSDBtHXhWxHpqcdI0HfJN8E59h8IbQ",
}

// FuzzVerify: Verify never panics, and accepts nothing but the exact text
// of a token that was issued: no mutation of a real token, and no token
// made up by the fuzzer, verifies.
func FuzzVerify(f *testing.F) {
	tokens := fuzzTokens()
	issued := map[string]bool{}
	for _, tok := range issuedForFuzz {
		if _, err := tokens.Verify(tok); err != nil {
			f.Fatalf("a seed token does not verify: %v", err)
		}
		issued[tok] = true
		f.Add(tok)
		f.Add(nonCanonicalTwin(tok))
	}
	f.Add("")
	f.Add("a.b.c")
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Fuzz(func(t *testing.T, raw string) {
		a, err := tokens.Verify(raw)
		if err == nil && !issued[raw] {
			t.Fatalf("a token that was never issued verified: %q as %+v", raw, a)
		}
		if err == nil && !a.Role.Valid() {
			t.Fatalf("verified with an invalid role: %+v", a)
		}
	})
}

// nonCanonicalTwin flips a spare low bit of the signature's last base64
// character: the same signature bytes under lenient decoding, another text.
func nonCanonicalTwin(tok string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	i := strings.IndexByte(alphabet, tok[len(tok)-1])
	return tok[:len(tok)-1] + string(alphabet[i^1])
}
