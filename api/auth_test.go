package api

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/carebroker/carebroker/accounts"
)

func TestLoginThenMe(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.user(accounts.NewUser{Email: "broker@test.example", Role: accounts.Broker, Password: "a-long-password-for-broker"})

	r := h.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "Broker@Test.example ", "password": "a-long-password-for-broker"})
	wantStatus(t, r, http.StatusOK)
	var tok tokenResponse
	json.Unmarshal(r.Body, &tok)
	if tok.AccessToken == "" || tok.RefreshToken == "" || tok.Actor.Role != accounts.Broker {
		t.Fatalf("login response incomplete: %s", r.Body)
	}
	me := h.do("GET", "/api/v1/me", tok.AccessToken, nil)
	wantStatus(t, me, http.StatusOK)
	if me.json(t)["role"] != "broker" {
		t.Fatalf("me = %s", me.Body)
	}
}

func TestLoginFailuresLookTheSame(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.user(accounts.NewUser{Email: "finance@test.example", Role: accounts.Finance, Password: "a-long-password-for-finance"})
	wrongPassword := h.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "finance@test.example", "password": "not-the-password-at-all"})
	noSuchUser := h.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "nobody@test.example", "password": "not-the-password-at-all"})
	wantProblem(t, wrongPassword, http.StatusUnauthorized, "")
	wantProblem(t, noSuchUser, http.StatusUnauthorized, "")
	a, b := wrongPassword.json(t), noSuchUser.json(t)
	if a["detail"] != b["detail"] {
		t.Fatalf("the messages tell whether an account exists: %q vs %q", a["detail"], b["detail"])
	}
	wantProblem(t, h.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "finance@test.example"}), 400, "password")
}

// forge signs claims with the given method and key, with the given kid.
func forge(t *testing.T, method jwt.SigningMethod, key any, kid string, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBadTokensAreRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	u, good := h.user(accounts.NewUser{Email: "admin@test.example", Role: accounts.Admin})
	now := time.Now()
	claims := func(mod func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{"iss": h.cfg.JWTIssuer, "aud": h.cfg.JWTAudience, "sub": u.ID.String(), "role": "admin",
			"exp": now.Add(10 * time.Minute).Unix(), "iat": now.Unix(), "nbf": now.Unix()}
		if mod != nil {
			mod(c)
		}
		return c
	}
	kid := accounts.KeyID(testSecret)
	parts := strings.Split(good, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	tampered := strings.Replace(string(payload), `"role":"admin"`, `"role":"finance"`, 1)
	cases := map[string]string{
		"no token":       "",
		"garbage":        "not.a.token",
		"expired":        forge(t, jwt.SigningMethodHS256, []byte(testSecret), kid, claims(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Hour).Unix() })),
		"no expiry":      forge(t, jwt.SigningMethodHS256, []byte(testSecret), kid, claims(func(c jwt.MapClaims) { delete(c, "exp") })),
		"not yet valid":  forge(t, jwt.SigningMethodHS256, []byte(testSecret), kid, claims(func(c jwt.MapClaims) { c["nbf"] = now.Add(time.Hour).Unix() })),
		"wrong audience": forge(t, jwt.SigningMethodHS256, []byte(testSecret), kid, claims(func(c jwt.MapClaims) { c["aud"] = "someone-else" })),
		"wrong issuer":   forge(t, jwt.SigningMethodHS256, []byte(testSecret), kid, claims(func(c jwt.MapClaims) { c["iss"] = "evil" })),
		"other key":      forge(t, jwt.SigningMethodHS256, []byte("another-secret-of-at-least-32-characters"), kid, claims(nil)),
		"unknown kid":    forge(t, jwt.SigningMethodHS256, []byte(testSecret), "nope", claims(nil)),
		"HS512":          forge(t, jwt.SigningMethodHS512, []byte(testSecret), kid, claims(nil)),
		"alg none":       forge(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, kid, claims(nil)),
		"tampered":       parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(tampered)) + "." + parts[2],
		"unknown role":   forge(t, jwt.SigningMethodHS256, []byte(testSecret), kid, claims(func(c jwt.MapClaims) { c["role"] = "superuser" })),
	}
	for name, tok := range cases {
		r := h.do("GET", "/api/v1/me", tok, nil)
		if r.Status != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401: %s", name, r.Status, r.Body)
		}
	}
	wantStatus(t, h.do("GET", "/api/v1/me", good, nil), http.StatusOK)
	// A token from the right key but forged by hand is fine only if every claim is right.
	wantStatus(t, h.do("GET", "/api/v1/me", forge(t, jwt.SigningMethodHS256, []byte(testSecret), kid, claims(nil)), nil), http.StatusOK)
}

func TestKeyRolloverKeepsOldTokensValid(t *testing.T) {
	t.Parallel()
	old := accounts.NewTokens([]string{"the-old-secret-which-is-long-enough-1234"}, "carebroker", "carebroker-api", time.Minute)
	rolled := accounts.NewTokens([]string{"the-new-secret-which-is-long-enough-5678", "the-old-secret-which-is-long-enough-1234"}, "carebroker", "carebroker-api", time.Minute)
	a := accounts.Actor{UserID: [16]byte{1}, Role: accounts.Broker, Name: "B"}
	tok, _, _ := old.Issue(a)
	if got, err := rolled.Verify(tok); err != nil || got.UserID != a.UserID {
		t.Fatalf("a token from the previous key was refused during rollover: %v", err)
	}
	newTok, _, _ := rolled.Issue(a)
	if _, err := old.Verify(newTok); err == nil {
		t.Fatal("a server without the new key accepted a token signed with it")
	}
}

func TestRefreshRotatesAndReuseRevokesTheFamily(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.user(accounts.NewUser{Email: "p@test.example", Role: accounts.BudgetApprover, Password: "a-long-password-approver"})
	r := h.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "p@test.example", "password": "a-long-password-approver"})
	var first tokenResponse
	json.Unmarshal(r.Body, &first)

	r = h.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": first.RefreshToken})
	wantStatus(t, r, http.StatusOK)
	var second tokenResponse
	json.Unmarshal(r.Body, &second)
	if second.RefreshToken == first.RefreshToken {
		t.Fatal("the refresh token did not rotate")
	}
	// The first token again: stolen. Its whole family goes, including the second.
	wantProblem(t, h.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": first.RefreshToken}), 401, "")
	wantProblem(t, h.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": second.RefreshToken}), 401, "")
}

func TestLogoutAndRevokeAll(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.user(accounts.NewUser{Email: "f@test.example", Role: accounts.Finance, Password: "a-long-password-finance"})
	login := func() tokenResponse {
		var tr tokenResponse
		json.Unmarshal(h.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "f@test.example", "password": "a-long-password-finance"}).Body, &tr)
		return tr
	}
	a, b := login(), login()
	wantStatus(t, h.do("POST", "/api/v1/auth/logout", "", map[string]string{"refresh_token": a.RefreshToken}), 204)
	wantProblem(t, h.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": a.RefreshToken}), 401, "")
	wantStatus(t, h.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": b.RefreshToken}), 200)
	c := login()
	wantStatus(t, h.do("POST", "/api/v1/auth/revoke-all", c.AccessToken, nil), 204)
	wantProblem(t, h.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": c.RefreshToken}), 401, "")
}
