package api

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/config"
)

// rawToken assembles a token from a header and claims, with the given
// signature bytes, without any library's help.
func rawToken(header, claims string, sig []byte) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(claims)) + "." + enc.EncodeToString(sig)
}

// TestAlgorithmConfusionIsRefused covers the HS/RS confusion family: a token
// signed with an asymmetric algorithm, a token "signed" HS256 with a public
// key as the HMAC secret, keys smuggled in the header, and every spelling of
// alg none.
func TestAlgorithmConfusionIsRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	u, _ := h.user(accounts.NewUser{Email: "admin@test.example", Role: accounts.Admin})
	kid := accounts.KeyID(testSecret)
	now := time.Now()
	claims := jwt.MapClaims{"iss": h.cfg.JWTIssuer, "aud": h.cfg.JWTAudience, "sub": u.ID.String(), "role": "admin",
		"exp": now.Add(10 * time.Minute).Unix(), "iat": now.Unix(), "nbf": now.Unix()}

	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	publicPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	claimsJSON := `{"iss":"` + h.cfg.JWTIssuer + `","aud":"` + h.cfg.JWTAudience + `","sub":"` + u.ID.String() +
		`","role":"admin","exp":` + jsonNumber(now.Add(10*time.Minute).Unix()) + `,"iat":` + jsonNumber(now.Unix()) + `}`

	cases := map[string]string{
		"RS256 with a generated key":             forge(t, jwt.SigningMethodRS256, rsaKey, kid, claims),
		"PS256 with a generated key":             forge(t, jwt.SigningMethodPS256, rsaKey, kid, claims),
		"ES256 with a generated key":             forge(t, jwt.SigningMethodES256, ecKey, kid, claims),
		"HS256 keyed with the public key PEM":    forge(t, jwt.SigningMethodHS256, publicPEM, kid, claims),
		"HS256 keyed with the public key DER":    forge(t, jwt.SigningMethodHS256, der, kid, claims),
		"HS256 with the PEM's own key id":        forge(t, jwt.SigningMethodHS256, publicPEM, accounts.KeyID(string(publicPEM)), claims),
		"HS256 with an empty key":                forge(t, jwt.SigningMethodHS256, []byte{}, kid, claims),
		"alg None":                               rawToken(`{"alg":"None","typ":"JWT","kid":"`+kid+`"}`, claimsJSON, nil),
		"alg NONE":                               rawToken(`{"alg":"NONE","typ":"JWT","kid":"`+kid+`"}`, claimsJSON, nil),
		"alg none, no kid":                       rawToken(`{"alg":"none","typ":"JWT"}`, claimsJSON, nil),
		"HS256 with no signature":                rawToken(`{"alg":"HS256","typ":"JWT","kid":"`+kid+`"}`, claimsJSON, nil),
		"a jwk in the header":                    forgeWithHeader(t, []byte("attacker-secret-attacker-secret-attacker"), map[string]any{"kid": kid, "jwk": map[string]string{"kty": "oct", "k": base64.RawURLEncoding.EncodeToString([]byte("attacker-secret-attacker-secret-attacker"))}}, claims),
		"a jku in the header":                    forgeWithHeader(t, []byte("attacker-secret-attacker-secret-attacker"), map[string]any{"kid": kid, "jku": "https://attacker.example/keys"}, claims),
		"kid as a path":                          forge(t, jwt.SigningMethodHS256, []byte(""), "../../../../dev/null", claims),
		"kid as SQL":                             forge(t, jwt.SigningMethodHS256, []byte("x"), "' OR '1'='1", claims),
		"kid of the right key, wrong key used":   forge(t, jwt.SigningMethodHS256, []byte("another-secret-of-at-least-32-characters"), kid, claims),
		"issued in the future beyond the leeway": forge(t, jwt.SigningMethodHS256, []byte(testSecret), kid, withClaim(claims, "iat", now.Add(10*time.Minute).Unix())),
		"expired beyond the leeway":              forge(t, jwt.SigningMethodHS256, []byte(testSecret), kid, withClaim(claims, "exp", now.Add(-accounts.Leeway-time.Minute).Unix())),
		"subject not a user id":                  forge(t, jwt.SigningMethodHS256, []byte(testSecret), kid, withClaim(claims, "sub", "admin")),
		"organisation not an id":                 forge(t, jwt.SigningMethodHS256, []byte(testSecret), kid, withClaim(claims, "org", "*")),
	}
	for name, tok := range cases {
		if r := h.do("GET", "/api/v1/me", tok, nil); r.Status != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401: %s", name, r.Status, r.Body)
		}
	}
	// The control: the same claims, rightly signed, are accepted, also a
	// little after expiry (within the leeway).
	wantStatus(t, h.do("GET", "/api/v1/me", forge(t, jwt.SigningMethodHS256, []byte(testSecret), kid, claims), nil), 200)
	wantStatus(t, h.do("GET", "/api/v1/me", forge(t, jwt.SigningMethodHS256, []byte(testSecret), kid, withClaim(claims, "exp", now.Add(-accounts.Leeway/3).Unix())), nil), 200)
}

func withClaim(c jwt.MapClaims, k string, v any) jwt.MapClaims {
	out := jwt.MapClaims{}
	for key, val := range c {
		out[key] = val
	}
	out[k] = v
	return out
}

func forgeWithHeader(t *testing.T, key []byte, header map[string]any, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	for k, v := range header {
		tok.Header[k] = v
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSignatureEncodingIsStrict: base64 lets the spare low bits of the last
// character of a signature vary without changing the bytes. A token whose
// text differs from the one issued must not verify.
func TestSignatureEncodingIsStrict(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	_, tok := h.user(accounts.NewUser{Email: "b@test.example", Role: accounts.Broker})
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, tok[len(tok)-1])
	twin := tok[:len(tok)-1] + string(alphabet[last^1]) // same 32 signature bytes, other text
	if r := h.do("GET", "/api/v1/me", twin, nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("a token with a non-canonical signature encoding was accepted: %d", r.Status)
	}
	wantStatus(t, h.do("GET", "/api/v1/me", tok, nil), 200)
}

// TestKeyRotationThroughConfiguration: a server given a new JWT_SECRET and
// the old one in JWT_PREVIOUS_SECRETS accepts tokens of both and signs with
// the new one; once the old secret is dropped, its tokens stop working. A
// token must be signed by the key its kid names.
func TestKeyRotationThroughConfiguration(t *testing.T) {
	t.Parallel()
	const oldSecret, newSecret = "the-old-secret-which-is-long-enough-1234", "the-new-secret-which-is-long-enough-5678"
	server := func(env map[string]string) *harness {
		cfg, err := config.Load(func(k string) string { return env[k] })
		if err != nil {
			t.Fatal(err)
		}
		return newHarnessWith(t, nil, nil, func(c *config.Config) { *c = cfg })
	}
	before := server(map[string]string{"JWT_SECRET": oldSecret})
	person := uuid.New() // users.person_id is a foreign key to persons
	if err := before.srv.DB.Gorm(context.Background()).Exec(`INSERT INTO persons (id, name, date_of_birth, address, postcode, team) VALUES (?, 'Test Person', '1940-01-01', '1 Test Street', 'M5 4WT', 'community_led_support')`, person).Error; err != nil {
		t.Fatal(err)
	}
	u, oldTok := before.user(accounts.NewUser{Email: "c@test.example", Role: accounts.Client, PersonID: &person})

	during := server(map[string]string{"JWT_SECRET": newSecret, "JWT_PREVIOUS_SECRETS": oldSecret})
	// The same user row is not needed: tokens carry the actor.
	wantStatus(t, during.do("GET", "/api/v1/me", oldTok, nil), 200)
	newTok, _, _ := during.srv.Tokens().Issue(u.Actor())
	wantStatus(t, during.do("GET", "/api/v1/me", newTok, nil), 200)
	if kidOf(t, newTok) != accounts.KeyID(newSecret) {
		t.Fatal("during the rollover the server does not sign with the new key")
	}
	now := time.Now()
	c := jwt.MapClaims{"iss": during.cfg.JWTIssuer, "aud": during.cfg.JWTAudience, "sub": u.ID.String(), "role": "client",
		"exp": now.Add(time.Minute).Unix(), "iat": now.Unix()}
	mixed := forge(t, jwt.SigningMethodHS256, []byte(newSecret), accounts.KeyID(oldSecret), c)
	if r := during.do("GET", "/api/v1/me", mixed, nil); r.Status != 401 {
		t.Fatalf("a token signed with the new key but naming the old key's id was accepted: %d", r.Status)
	}

	after := server(map[string]string{"JWT_SECRET": newSecret})
	wantProblem(t, after.do("GET", "/api/v1/me", oldTok, nil), 401, "")
	wantStatus(t, after.do("GET", "/api/v1/me", newTok, nil), 200)
}

func kidOf(t *testing.T, tok string) string {
	t.Helper()
	p, _, err := jwt.NewParser().ParseUnverified(tok, jwt.MapClaims{})
	if err != nil {
		t.Fatal(err)
	}
	kid, _ := p.Header["kid"].(string)
	return kid
}

func ptr[T any](v T) *T { return &v }
