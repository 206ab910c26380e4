package agreements

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

const testWebhookSecret = "finance-webhook-secret-for-tests"

// receiver is a finance system's webhook endpoint that does what the README
// asks of one: it checks the signature and applies each idempotency key
// once, answering 200 to duplicates without applying them again.
type receiver struct {
	srv *httptest.Server

	mu         sync.Mutex
	requests   int                       // every request, duplicates included
	applied    map[string]WebhookPayload // what the finance system acted on, by key
	order      []string                  // keys in the order applied
	duplicates int                       // requests whose key was already applied
	badSig     int
	failNext   int // answer this many next requests with 503
	attempts   map[string][]string
	// hold, when set, is called after a key is applied; it may block
	// (to keep the sender mid-delivery) until the request's context ends.
	hold func(r *http.Request, key string)
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{applied: map[string]WebhookPayload{}, attempts: map[string][]string{}}
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	key := r.Header.Get(IdempotencyKeyHeader)
	rc.mu.Lock()
	rc.requests++
	if err := VerifyWebhook(testWebhookSecret, r.Header.Get(SignatureHeader), body, time.Now(), 5*time.Minute); err != nil {
		rc.badSig++
		rc.mu.Unlock()
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	rc.attempts[key] = append(rc.attempts[key], r.Header.Get(AttemptHeader))
	if rc.failNext > 0 {
		rc.failNext--
		rc.mu.Unlock()
		http.Error(w, "finance system busy", http.StatusServiceUnavailable)
		return
	}
	var p WebhookPayload
	if err := json.Unmarshal(body, &p); err != nil || p.IdempotencyKey != key {
		rc.mu.Unlock()
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	if _, seen := rc.applied[key]; seen {
		rc.duplicates++
	} else {
		rc.applied[key] = p
		rc.order = append(rc.order, key)
	}
	hold := rc.hold
	rc.mu.Unlock()
	if hold != nil {
		hold(r, key)
	}
	w.WriteHeader(http.StatusOK)
}

// setHold sets hold under the lock, so the handler (serving another
// process, with no other happens-before edge) sees it safely.
func (rc *receiver) setHold(h func(r *http.Request, key string)) {
	rc.mu.Lock()
	rc.hold = h
	rc.mu.Unlock()
}

func (rc *receiver) snapshot() (requests, applied, duplicates, badSig int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.requests, len(rc.applied), rc.duplicates, rc.badSig
}
