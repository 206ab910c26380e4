package agreements

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func TestWebhookSignatureVerifies(t *testing.T) {
	t.Parallel()
	body := []byte(`{"id":"x","kind":"agreement.created"}`)
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	h := SignWebhook(testWebhookSecret, at, body)
	if !strings.HasPrefix(h, "t=1796115600,v1=") || len(h) != len("t=1796115600,v1=")+64 {
		t.Fatalf("header %q", h)
	}
	if err := VerifyWebhook(testWebhookSecret, h, body, at.Add(time.Minute), 5*time.Minute); err != nil {
		t.Fatalf("a good signature: %v", err)
	}
	tests := []struct {
		name   string
		secret string
		header string
		body   string
		now    time.Time
		want   error
	}{
		{"tampered body", testWebhookSecret, h, `{"id":"x","kind":"agreement.ended"}`, at, ErrSignatureMismatch},
		{"other secret", "someone-elses-secret-0123", h, string(body), at, ErrSignatureMismatch},
		{"replayed an hour later", testWebhookSecret, h, string(body), at.Add(time.Hour), ErrSignatureTooOld},
		{"timestamp changed", testWebhookSecret, strings.Replace(h, "t=1796115600", "t=1796115601", 1), string(body), at, ErrSignatureMismatch},
		{"no signature", testWebhookSecret, "t=1796115600", string(body), at, ErrBadSignatureHeader},
		{"garbage", testWebhookSecret, "sha256=abc", string(body), at, ErrBadSignatureHeader},
		{"not hex", testWebhookSecret, "t=1796115600,v1=zz", string(body), at, ErrBadSignatureHeader},
	}
	for _, tt := range tests {
		if err := VerifyWebhook(tt.secret, tt.header, []byte(tt.body), tt.now, 5*time.Minute); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	// A receiver rotating secrets may be sent two v1 values.
	both := h + ",v1=" + strings.Repeat("00", 32)
	if err := VerifyWebhook(testWebhookSecret, both, body, at, time.Minute); err != nil {
		t.Fatalf("two signatures, one good: %v", err)
	}
}
