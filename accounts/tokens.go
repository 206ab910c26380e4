package accounts

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
)

// Tokens signs and verifies access tokens: HS256 only, with a key id so a
// secret can be rotated while tokens signed with the previous one still
// verify until they expire.
type Tokens struct {
	keys     map[string][]byte
	current  string
	issuer   string
	audience string
	ttl      time.Duration
	now      func() time.Time
}

// Leeway is the clock skew allowed when checking exp, nbf and iat.
const Leeway = 30 * time.Second

// NewTokens uses secrets[0] to sign and every secret to verify.
func NewTokens(secrets []string, issuer, audience string, ttl time.Duration) *Tokens {
	t := &Tokens{keys: map[string][]byte{}, issuer: issuer, audience: audience, ttl: ttl, now: time.Now}
	for i, s := range secrets {
		kid := KeyID(s)
		t.keys[kid] = []byte(s)
		if i == 0 {
			t.current = kid
		}
	}
	return t
}

// KeyID names a secret without revealing it.
func KeyID(secret string) string {
	h := sha256.Sum256([]byte("kid:" + secret))
	return hex.EncodeToString(h[:6])
}

type accessClaims struct {
	jwt.RegisteredClaims
	Role   Role   `json:"role"`
	Name   string `json:"name"`
	Team   string `json:"team,omitempty"`
	Org    string `json:"org,omitempty"`
	Person string `json:"person,omitempty"`
}

// Issue returns a signed access token for the user and when it expires.
func (t *Tokens) Issue(a Actor) (string, time.Time, error) {
	now := t.now().UTC()
	exp := now.Add(t.ttl)
	c := accessClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: t.issuer, Subject: a.UserID.String(), Audience: jwt.ClaimStrings{t.audience},
			ExpiresAt: jwt.NewNumericDate(exp), NotBefore: jwt.NewNumericDate(now), IssuedAt: jwt.NewNumericDate(now),
			ID: uuid.NewString(),
		},
		Role: a.Role, Name: a.Name, Team: a.Team,
	}
	if a.ProviderOrgID != uuid.Nil {
		c.Org = a.ProviderOrgID.String()
	}
	if a.PersonID != uuid.Nil {
		c.Person = a.PersonID.String()
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, c)
	tok.Header["kid"] = t.current
	s, err := tok.SignedString(t.keys[t.current])
	return s, exp, err
}

// Verify checks a token (algorithm, key id, signature, issuer, audience,
// expiry, not-before) and returns its actor, or Unauthorized. Its base64
// must be canonical, so a token verifies only in the exact text issued.
func (t *Tokens) Verify(raw string) (Actor, error) {
	var c accessClaims
	_, err := jwt.ParseWithClaims(raw, &c, func(tok *jwt.Token) (any, error) {
		kid, _ := tok.Header["kid"].(string)
		key, ok := t.keys[kid]
		if !ok {
			return nil, errors.New("unknown key id")
		}
		return key, nil
	},
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(t.issuer), jwt.WithAudience(t.audience),
		jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithLeeway(Leeway),
		jwt.WithTimeFunc(t.now), jwt.WithStrictDecoding(),
	)
	if err != nil {
		if errors.Is(err, jwt.ErrTokenExpired) {
			return Actor{}, errs.Unauthorizedf("the access token has expired; refresh it or sign in again")
		}
		return Actor{}, errs.Unauthorizedf("the access token is not valid")
	}
	a := Actor{Role: c.Role, Name: c.Name, Team: c.Team}
	if a.UserID, err = uuid.Parse(c.Subject); err != nil || !c.Role.Valid() {
		return Actor{}, errs.Unauthorizedf("the access token is not valid")
	}
	if c.Org != "" {
		if a.ProviderOrgID, err = uuid.Parse(c.Org); err != nil {
			return Actor{}, errs.Unauthorizedf("the access token is not valid")
		}
	}
	if c.Person != "" {
		if a.PersonID, err = uuid.Parse(c.Person); err != nil {
			return Actor{}, errs.Unauthorizedf("the access token is not valid")
		}
	}
	return a, nil
}
