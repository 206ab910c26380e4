// Package config reads the service's settings from the environment, with
// defaults that work on a developer's machine, and prints them with secrets
// masked.
package config

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/carebroker/carebroker/internal/postgres"
)

// Config is every setting the binary reads.
type Config struct {
	DatabaseURL  string
	RedisURL     string
	RedisPrefix  string
	ListenAddr   string
	PublicURL    string // where people reach the service; https here turns on Secure cookies and HSTS
	JWTSecrets   []string
	JWTIssuer    string
	JWTAudience  string
	AccessTTL    time.Duration
	MaxBodyBytes int64
	// TrustedProxies are the addresses or CIDRs of reverse proxies whose
	// X-Forwarded-For is believed. Empty (the default): none; the client
	// address is the connection's.
	TrustedProxies []string

	FinanceWebhookURL    string
	FinanceWebhookSecret string

	// MetricsAddr is where /metrics is served, apart from the public
	// listener; "" (METRICS_ADDR=off) serves none.
	MetricsAddr string
	// ReplicaURL is a streaming replica of the database for reads that
	// tolerate a little lag; "" sends every read to the primary.
	ReplicaURL string
	// ReplicaMaxLag is how far behind the replica may be before those
	// reads go to the primary.
	ReplicaMaxLag time.Duration
	// SMTPURL, when set, sends the notifications that are emailed through
	// this SMTP server (scripts/run.sh points it at Mailpit), from EmailFrom,
	// signed EmailSender.
	SMTPURL     string
	EmailFrom   string
	EmailSender string
	// Council names the council in agreement documents: COUNCIL_NAME,
	// COUNCIL_ADDRESS, COUNCIL_TEAM (the team to contact) and COUNCIL_CONTACT.
	CouncilName, CouncilAddress, CouncilTeam, CouncilContact string
	// DigestHour is the London hour (0-11) of the brokers' morning digest.
	DigestHour int

	Dev bool // demo mode: the development JWT secret is allowed
}

// DevJWTSecret signs tokens when no secret is configured and DEV=1. It is
// public, so production refuses to start with it.
const DevJWTSecret = "carebroker-development-secret-not-for-production-use"

// Load reads the configuration from getenv (os.Getenv in production).
func Load(getenv func(string) string) (Config, error) {
	get := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		DatabaseURL:       get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/carebroker?sslmode=disable"),
		RedisURL:          get("REDIS_URL", "redis://127.0.0.1:6379/0"),
		RedisPrefix:       get("REDIS_PREFIX", "carebroker:"),
		ListenAddr:        get("LISTEN_ADDR", "127.0.0.1:8080"),
		PublicURL:         strings.TrimRight(get("PUBLIC_URL", ""), "/"),
		JWTIssuer:         get("JWT_ISSUER", "carebroker"),
		JWTAudience:       get("JWT_AUDIENCE", "carebroker-api"),
		FinanceWebhookURL: get("FINANCE_WEBHOOK_URL", ""),
		MetricsAddr:       get("METRICS_ADDR", "127.0.0.1:9090"),
		ReplicaURL:        get("REPLICA_DATABASE_URL", ""),
		SMTPURL:           get("SMTP_URL", ""),
		EmailFrom:         get("EMAIL_FROM", "brokerage@carebroker.invalid"),
		EmailSender:       get("EMAIL_SENDER", "Council care brokerage"),
		CouncilName:       get("COUNCIL_NAME", ""),
		CouncilAddress:    get("COUNCIL_ADDRESS", ""),
		CouncilTeam:       get("COUNCIL_TEAM", ""),
		CouncilContact:    get("COUNCIL_CONTACT", ""),
		Dev:               get("DEV", "") == "1",
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://" + strings.Replace(c.ListenAddr, "0.0.0.0", "127.0.0.1", 1)
	}
	hour, err := strconv.Atoi(get("DIGEST_HOUR", "7"))
	if err != nil || hour < 0 || hour > 11 {
		return Config{}, fmt.Errorf("DIGEST_HOUR: must be a morning hour from 0 to 11, like 7")
	}
	c.DigestHour = hour
	ttl, err := time.ParseDuration(get("ACCESS_TOKEN_TTL", "15m"))
	if err != nil || ttl <= 0 || ttl > time.Hour {
		return Config{}, fmt.Errorf("ACCESS_TOKEN_TTL: must be a duration between 1s and 1h, like 15m")
	}
	c.AccessTTL = ttl
	maxBody, err := strconv.ParseInt(get("MAX_BODY_BYTES", "1048576"), 10, 64)
	if err != nil || maxBody < 1024 {
		return Config{}, fmt.Errorf("MAX_BODY_BYTES: must be a whole number of bytes, at least 1024")
	}
	c.MaxBodyBytes = maxBody
	if c.MetricsAddr == "off" {
		c.MetricsAddr = ""
	}
	lag, err := time.ParseDuration(get("REPLICA_MAX_LAG", "5s"))
	if err != nil || lag <= 0 {
		return Config{}, fmt.Errorf("REPLICA_MAX_LAG: must be a positive duration, like 5s")
	}
	c.ReplicaMaxLag = lag
	for _, p := range strings.Split(get("TRUSTED_PROXIES", ""), ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, err := netip.ParsePrefix(p); err != nil {
			if _, err := netip.ParseAddr(p); err != nil {
				return Config{}, fmt.Errorf("TRUSTED_PROXIES: %q is not an IP address or CIDR", p)
			}
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}

	secret := get("JWT_SECRET", "")
	if f := get("JWT_SECRET_FILE", ""); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return Config{}, fmt.Errorf("JWT_SECRET_FILE: %w", err)
		}
		secret = strings.TrimSpace(string(b))
	}
	if secret == "" {
		if !c.Dev {
			return Config{}, fmt.Errorf("JWT_SECRET (or JWT_SECRET_FILE) is required; set DEV=1 to use the public development secret")
		}
		secret = DevJWTSecret
	}
	if len(secret) < 32 {
		return Config{}, fmt.Errorf("JWT_SECRET: must be at least 32 characters")
	}
	c.JWTSecrets = []string{secret}
	// Previous secrets still verify tokens during a key rollover.
	previous, err := secretSetting(get, "JWT_PREVIOUS_SECRETS")
	if err != nil {
		return Config{}, err
	}
	for _, s := range strings.Split(previous, ",") {
		if s = strings.TrimSpace(s); s != "" {
			if len(s) < 32 {
				return Config{}, fmt.Errorf("JWT_PREVIOUS_SECRETS: each secret must be at least 32 characters")
			}
			c.JWTSecrets = append(c.JWTSecrets, s)
		}
	}
	if c.FinanceWebhookSecret, err = secretSetting(get, "FINANCE_WEBHOOK_SECRET"); err != nil {
		return Config{}, err
	}
	return c, nil
}

// secretSetting reads a secret from the environment variable name, or from
// the file named by name_FILE (which wins), trimmed.
func secretSetting(get func(k, def string) string, name string) (string, error) {
	if f := get(name+"_FILE", ""); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", fmt.Errorf("%s_FILE: %w", name, err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	return get(name, ""), nil
}

// Secure reports whether the service is reached over TLS.
func (c Config) Secure() bool { return strings.HasPrefix(c.PublicURL, "https://") }

func mask(secret string) string {
	if secret == "" {
		return "(unset)"
	}
	h := sha256.Sum256([]byte(secret))
	return "****** (sha256 " + hex.EncodeToString(h[:3]) + ")"
}

// Print writes the configuration with secrets masked.
func (c Config) Print(w io.Writer) {
	fmt.Fprintf(w, "configuration:\n")
	fmt.Fprintf(w, "  DATABASE_URL          %s\n", postgres.Redact(c.DatabaseURL))
	fmt.Fprintf(w, "  REDIS_URL             %s (prefix %q)\n", postgres.Redact(c.RedisURL), c.RedisPrefix)
	fmt.Fprintf(w, "  LISTEN_ADDR           %s\n", c.ListenAddr)
	fmt.Fprintf(w, "  PUBLIC_URL            %s\n", c.PublicURL)
	fmt.Fprintf(w, "  JWT_SECRET            %s (+%d previous)\n", mask(c.JWTSecrets[0]), len(c.JWTSecrets)-1)
	fmt.Fprintf(w, "  JWT_ISSUER/AUDIENCE   %s / %s, access tokens live %s\n", c.JWTIssuer, c.JWTAudience, c.AccessTTL)
	fmt.Fprintf(w, "  MAX_BODY_BYTES        %d\n", c.MaxBodyBytes)
	fmt.Fprintf(w, "  TRUSTED_PROXIES       %s\n", orUnset(strings.Join(c.TrustedProxies, ",")))
	fmt.Fprintf(w, "  FINANCE_WEBHOOK_URL   %s (secret %s)\n", orUnset(c.FinanceWebhookURL), mask(c.FinanceWebhookSecret))
	fmt.Fprintf(w, "  METRICS_ADDR          %s\n", orUnset(c.MetricsAddr))
	fmt.Fprintf(w, "  REPLICA_DATABASE_URL  %s (reads fall back to the primary beyond %s of lag)\n", orUnset(postgres.Redact(c.ReplicaURL)), c.ReplicaMaxLag)
	fmt.Fprintf(w, "  SMTP_URL              %s (from %s), digest at %02d:00 London time\n", orUnset(postgres.Redact(c.SMTPURL)), c.EmailFrom, c.DigestHour)
}

func orUnset(s string) string {
	if s == "" {
		return "(unset)"
	}
	return s
}
