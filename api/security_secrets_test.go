package api

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/config"
)

// TestErrorsShowNoSQLOrGoInternals forces database failures (a dropped
// table, a closed connection pool) and a panic: the 5xx answers carry a
// request id and a plain sentence, never SQL, driver or Go error text.
func TestErrorsShowNoSQLOrGoInternals(t *testing.T) {
	t.Parallel()
	leaks := []string{"sql", "SQL", "SELECT", "relation", "users", "pgx", "gorm", "database is closed", "goroutine", ".go:", "runtime", "panic", "boom"}
	check := func(name string, r response) {
		t.Helper()
		if r.Status < 500 {
			t.Fatalf("%s: status %d, want a 5xx: %s", name, r.Status, r.Body)
		}
		for _, leak := range leaks {
			if bytes.Contains(r.Body, []byte(leak)) {
				t.Errorf("%s: the answer shows %q: %s", name, leak, r.Body)
			}
		}
		var p Problem
		if json.Unmarshal(r.Body, &p) != nil || p.RequestID == "" || p.Detail == "" {
			t.Errorf("%s: not a problem document with a request id: %s", name, r.Body)
		}
	}
	dropped := newHarness(t)
	if err := dropped.srv.DB.Gorm(context.Background()).Exec("DROP TABLE users CASCADE").Error; err != nil {
		t.Fatal(err)
	}
	check("dropped table", dropped.do("POST", "/api/v1/auth/login", "", login("a@b.example", "a-long-password-here")))

	closed := newHarness(t)
	sqlDB, _ := closed.srv.DB.SQL()
	sqlDB.Close()
	check("closed pool", closed.do("POST", "/api/v1/auth/login", "", login("a@b.example", "a-long-password-here")))
	check("closed pool, refresh", closed.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": "x"}))
	r := closed.do("GET", "/readyz", "", nil)
	if r.Status != 503 || bytes.Contains(r.Body, []byte("closed")) {
		t.Errorf("readyz with a closed pool: %d %s", r.Status, r.Body)
	}

	closed.srv.Engine().GET("/test-panic", func(c *gin.Context) { panic("boom: SELECT * FROM users") })
	check("panic", closed.do("GET", "/test-panic", "", nil))
}

// TestSecretsAreNeverLogged captures the log while people sign in, fail,
// get locked out, refresh, sign out, and while the configuration is
// printed: no password, token, secret or email address appears. Not
// parallel: it replaces the default logger.
func TestSecretsAreNeverLogged(t *testing.T) {
	var logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(old)

	h := newHarness(t)
	const email, password = "someone.private@council.example", "correct-horse-battery-staple-77"
	h.user(accounts.NewUser{Email: email, Role: accounts.Broker, Password: password})
	r := h.do("POST", "/api/v1/auth/login", "", login(email, password))
	wantStatus(t, r, 200)
	var tok tokenResponse
	json.Unmarshal(r.Body, &tok)
	wantStatus(t, h.do("GET", "/api/v1/me", tok.AccessToken, nil), 200)
	r = h.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": tok.RefreshToken})
	var next tokenResponse
	json.Unmarshal(r.Body, &next)
	h.do("POST", "/api/v1/auth/logout", "", map[string]string{"refresh_token": next.RefreshToken})
	const wrong = "wrong-password-that-is-secret-too"
	for i := 0; i < 8; i++ { // into the lockout
		h.do("POST", "/api/v1/auth/login", "", login(email, wrong))
	}
	sqlDB, _ := h.srv.DB.SQL()
	sqlDB.Close()
	h.do("POST", "/api/v1/auth/login", "", login("other.private@council.example", password))

	env := map[string]string{
		"JWT_SECRET":             "jwt-secret-that-must-never-be-printed-0001",
		"JWT_PREVIOUS_SECRETS":   "jwt-previous-secret-never-to-be-printed-02",
		"FINANCE_WEBHOOK_SECRET": "finance-webhook-secret-never-printed-0003",
		"DATABASE_URL":           "postgres://carebroker:db-password-never-printed@db.example:5432/carebroker",
		"REDIS_URL":              "redis://:redis-password-never-printed@redis.example:6379/0",
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	var printed bytes.Buffer
	cfg.Print(&printed)
	slog.Info("configuration", "config", printed.String())

	out := logs.String()
	if !strings.Contains(out, "route=/api/v1/auth/login") || !strings.Contains(out, "configuration") {
		t.Fatalf("the log capture is not working: %s", out)
	}
	secrets := []string{password, wrong, tok.AccessToken, tok.RefreshToken, next.AccessToken, next.RefreshToken, testSecret,
		email, "other.private@council.example", "db-password-never-printed", "redis-password-never-printed"}
	for _, v := range env {
		if strings.Contains(v, "never") && !strings.Contains(v, "://") {
			secrets = append(secrets, v)
		}
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("the log contains %q", s)
		}
	}
}

// TestSecretsComeFromTheEnvironmentOrFiles: each secret can be given in a
// file (NAME_FILE), which is what container secrets mount.
func TestSecretsComeFromTheEnvironmentOrFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	env := map[string]string{
		"JWT_SECRET_FILE":             write("jwt", "a-jwt-secret-from-a-file-0123456789abcdef"),
		"JWT_PREVIOUS_SECRETS_FILE":   write("prev", "a-previous-secret-from-a-file-0123456789"),
		"FINANCE_WEBHOOK_SECRET_FILE": write("fin", "a-finance-secret-from-a-file"),
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.JWTSecrets) != 2 || cfg.JWTSecrets[0] != "a-jwt-secret-from-a-file-0123456789abcdef" ||
		cfg.JWTSecrets[1] != "a-previous-secret-from-a-file-0123456789" || cfg.FinanceWebhookSecret != "a-finance-secret-from-a-file" {
		t.Fatalf("secrets from files: %q %q", cfg.JWTSecrets, cfg.FinanceWebhookSecret)
	}
	if _, err := config.Load(func(k string) string {
		return map[string]string{"JWT_SECRET": testSecret, "JWT_PREVIOUS_SECRETS": "short"}[k]
	}); err == nil {
		t.Fatal("a short previous JWT secret was accepted")
	}
	if _, err := config.Load(func(k string) string {
		return map[string]string{"FINANCE_WEBHOOK_SECRET_FILE": "/nonexistent", "JWT_SECRET": testSecret}[k]
	}); err == nil {
		t.Fatal("a missing secret file was ignored")
	}
}
