package faults

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/carebroker/carebroker/agreements"
)

// receiver is the finance system's webhook endpoint as the README asks for
// one: it checks the signature and applies each Idempotency-Key once,
// answering 200 to a duplicate without applying it again.
type receiver struct {
	srv *httptest.Server

	mu         sync.Mutex
	requests   int
	applied    map[string]bool
	duplicates int
	bad        int
	// onRequest, when set, is called after a key is applied, outside the
	// lock; it may block until the request's context ends (the sender died).
	onRequest func(r *http.Request)
}

func newReceiver(t testing.TB) *receiver {
	rc := &receiver{applied: map[string]bool{}}
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	key := r.Header.Get(agreements.IdempotencyKeyHeader)
	var p agreements.WebhookPayload
	rc.mu.Lock()
	rc.requests++
	if agreements.VerifyWebhook(webhookSecret, r.Header.Get(agreements.SignatureHeader), body, time.Now(), 5*time.Minute) != nil ||
		json.Unmarshal(body, &p) != nil || p.IdempotencyKey != key || key == "" {
		rc.bad++
		rc.mu.Unlock()
		http.Error(w, "bad signature or body", http.StatusUnauthorized)
		return
	}
	if rc.applied[key] {
		rc.duplicates++
	} else {
		rc.applied[key] = true
	}
	hook := rc.onRequest
	rc.mu.Unlock()
	if hook != nil {
		hook(r)
	}
	w.WriteHeader(http.StatusOK)
}

func (rc *receiver) setHook(f func(r *http.Request)) {
	rc.mu.Lock()
	rc.onRequest = f
	rc.mu.Unlock()
}

func (rc *receiver) snapshot() (requests, applied, duplicates, bad int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.requests, len(rc.applied), rc.duplicates, rc.bad
}
