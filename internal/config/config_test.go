package config

import (
	"bytes"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadRefusesMissingOrWeakSecrets(t *testing.T) {
	t.Parallel()
	if _, err := Load(env(nil)); err == nil || !strings.Contains(err.Error(), "JWT_SECRET") {
		t.Fatalf("no secret and no DEV: %v", err)
	}
	if _, err := Load(env(map[string]string{"JWT_SECRET": "short"})); err == nil {
		t.Fatal("a short secret was accepted")
	}
	c, err := Load(env(map[string]string{"DEV": "1"}))
	if err != nil || c.JWTSecrets[0] != DevJWTSecret {
		t.Fatalf("DEV=1: %v", err)
	}
	if _, err := Load(env(map[string]string{"DEV": "1", "ACCESS_TOKEN_TTL": "3h"})); err == nil {
		t.Fatal("a 3-hour access token was accepted")
	}
}

func TestPrintMasksSecrets(t *testing.T) {
	t.Parallel()
	c, err := Load(env(map[string]string{
		"JWT_SECRET": "super-secret-value-that-is-long-enough", "JWT_PREVIOUS_SECRETS": "older-secret-value-that-is-long-enough",
		"DATABASE_URL": "postgres://app:dbpassword@db:5432/care", "FINANCE_WEBHOOK_SECRET": "hook-secret-value",
	}))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	c.Print(&b)
	for _, secret := range []string{"super-secret-value", "older-secret-value", "dbpassword", "hook-secret-value"} {
		if strings.Contains(b.String(), secret) {
			t.Errorf("Print shows a secret (%s):\n%s", secret, b.String())
		}
	}
	if !strings.Contains(b.String(), "(+1 previous)") {
		t.Errorf("Print does not say a previous key is loaded:\n%s", b.String())
	}
}
