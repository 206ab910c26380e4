package agreements

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Webhook headers. The signature header reads
//
//	Carebroker-Signature: t=1764547200,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd
//
// where t is the Unix time of signing and v1 is the lower-case hex
// HMAC-SHA256, keyed with FINANCE_WEBHOOK_SECRET, of t, a full stop and the
// raw request body. The Idempotency-Key header is the same on every retry
// of one notification: a receiver that keeps the keys it has processed
// sees each notification exactly once.
const (
	SignatureHeader      = "Carebroker-Signature"
	IdempotencyKeyHeader = "Idempotency-Key"
	NotificationIDHeader = "Carebroker-Notification-Id"
	AttemptHeader        = "Carebroker-Attempt"
)

// WebhookPayload is the JSON body posted to the finance webhook. It is the
// same on every retry.
type WebhookPayload struct {
	ID             uuid.UUID       `json:"id"`
	IdempotencyKey string          `json:"idempotency_key"`
	Kind           string          `json:"kind"`
	CreatedAt      time.Time       `json:"created_at"`
	Subject        string          `json:"subject"`
	Body           string          `json:"body"`
	ObjectType     string          `json:"object_type,omitempty"`
	ObjectID       string          `json:"object_id,omitempty"`
	Link           string          `json:"link,omitempty"`
	AgreementID    *uuid.UUID      `json:"agreement_id,omitempty"`
	Data           json.RawMessage `json:"data"`
}

func payloadOf(r notificationRow) ([]byte, error) {
	data := r.Data
	if len(data) == 0 {
		data = json.RawMessage("{}")
	}
	return json.Marshal(WebhookPayload{
		ID: r.ID, IdempotencyKey: r.IdempotencyKey, Kind: r.Kind, CreatedAt: r.CreatedAt.UTC(),
		Subject: r.Subject, Body: r.Body, ObjectType: r.ObjectType, ObjectID: r.ObjectID, Link: r.Link,
		AgreementID: r.AgreementID, Data: data,
	})
}

// SignWebhook returns the Carebroker-Signature header value for body,
// signed at time t with secret.
func SignWebhook(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte("."))
	m.Write(body)
	return m.Sum(nil)
}

// Errors VerifyWebhook returns.
var (
	ErrBadSignatureHeader = errors.New("the signature header is not t=<unix time>,v1=<hex>")
	ErrSignatureMismatch  = errors.New("the signature does not match the body")
	ErrSignatureTooOld    = errors.New("the signature's timestamp is outside the tolerance")
)

// VerifyWebhook checks a Carebroker-Signature header against the raw body,
// as a receiver should: the HMAC must match (compared in constant time)
// and the timestamp must be within tolerance of now, which stops an old
// request being replayed. It returns ErrBadSignatureHeader,
// ErrSignatureMismatch or ErrSignatureTooOld.
func VerifyWebhook(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts string
	var sigs [][]byte
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return ErrBadSignatureHeader
		}
		switch k {
		case "t":
			ts = v
		case "v1":
			b, err := hex.DecodeString(v)
			if err != nil {
				return ErrBadSignatureHeader
			}
			sigs = append(sigs, b)
		}
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return ErrBadSignatureHeader
	}
	want := mac(secret, ts, body)
	matched := false
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			matched = true
		}
	}
	if !matched {
		return ErrSignatureMismatch
	}
	if d := now.Sub(time.Unix(unix, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w (%s)", ErrSignatureTooOld, d.Round(time.Second))
	}
	return nil
}
