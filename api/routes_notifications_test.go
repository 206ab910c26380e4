package api

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/internal/redisx"
)

func TestInboxAndMarkRead(t *testing.T) {
	t.Parallel()
	h := newAgreementsHarness(t)
	a := h.agreement("community_led_support")
	org, otherOrg := a.ProviderOrgID, uuid.New()
	_, provider := h.as(accounts.NewUser{Role: accounts.ProviderUser, ProviderOrgID: &org})
	_, stranger := h.as(accounts.NewUser{Role: accounts.ProviderUser, ProviderOrgID: &otherOrg})
	h.deliver()

	var list struct{ Items []agreements.Notification }
	r := h.do("GET", "/api/v1/notifications", provider, nil)
	wantStatus(t, r, http.StatusOK)
	json.Unmarshal(r.Body, &list)
	if len(list.Items) != 1 || list.Items[0].Read || list.Items[0].Link != "/api/v1/agreements/"+a.ID.String() {
		t.Fatalf("provider inbox %s", r.Body)
	}
	if r := h.do("GET", "/api/v1/notifications", stranger, nil); !strings.Contains(string(r.Body), `"items":[]`) {
		t.Fatalf("another organisation's inbox: %s", r.Body)
	}
	read := "/api/v1/notifications/" + list.Items[0].ID.String() + "/read"
	wantProblem(t, h.do("POST", read, stranger, nil), http.StatusNotFound, "")
	wantStatus(t, h.do("POST", read, provider, nil), http.StatusNoContent)
	wantStatus(t, h.do("POST", read, provider, nil), http.StatusNoContent)
	if r := h.do("GET", "/api/v1/notifications?unread=true", provider, nil); !strings.Contains(string(r.Body), `"items":[]`) {
		t.Fatalf("unread after reading: %s", r.Body)
	}
	wantProblem(t, h.do("GET", "/api/v1/notifications?unread=maybe", provider, nil), http.StatusBadRequest, "unread")
	wantProblem(t, h.do("GET", "/api/v1/notifications?limit=201", provider, nil), http.StatusBadRequest, "limit")
	// A malformed id names nothing: 404, naming the parameter (it was 400 before the API had one path-id parser).
	wantProblem(t, h.do("POST", "/api/v1/notifications/nope/read", provider, nil), http.StatusNotFound, "id")
}

func TestAdminDeadLettersAndRetry(t *testing.T) {
	t.Parallel()
	h := newAgreementsHarness(t)
	err := h.db.Transaction(context.Background(), func(tx *postgres.Tx) error {
		return agreements.Notify(context.Background(), tx, agreements.Notification{
			Audience: agreements.ToFinance(), Kind: "agreement.created", Subject: "Agreement", IdempotencyKey: "dead-1",
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	// The finance webhook is down for good: every attempt fails.
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) }))
	defer down.Close()
	w, err := agreements.NewWorker(h.db, nil, agreements.WorkerConfig{WebhookURL: down.URL, WebhookSecret: "a-webhook-secret-for-tests", MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := w.DeliverDue(context.Background()); err != nil || r.Dead != 1 {
		t.Fatalf("%+v, %v", r, err)
	}
	_, admin := h.as(accounts.NewUser{Role: accounts.Admin})
	_, broker := h.as(accounts.NewUser{Role: accounts.Broker})
	wantProblem(t, h.do("GET", "/api/v1/admin/notifications/dead-letters", broker, nil), http.StatusForbidden, "")
	var list struct{ Items []agreements.Notification }
	r := h.do("GET", "/api/v1/admin/notifications/dead-letters", admin, nil)
	wantStatus(t, r, http.StatusOK)
	json.Unmarshal(r.Body, &list)
	if len(list.Items) != 1 || !strings.Contains(list.Items[0].Delivery.LastError, "502") {
		t.Fatalf("dead letters %s", r.Body)
	}
	retry := "/api/v1/admin/notifications/" + list.Items[0].ID.String() + "/retry"
	wantProblem(t, h.do("POST", retry, broker, nil), http.StatusForbidden, "")
	r = h.do("POST", retry, admin, nil)
	wantStatus(t, r, http.StatusOK)
	if r.json(t)["delivery"].(map[string]any)["status"] != "pending" {
		t.Fatalf("retried: %s", r.Body)
	}
	wantProblem(t, h.do("POST", retry, admin, nil), http.StatusConflict, "")
	wantProblem(t, h.do("POST", "/api/v1/admin/notifications/"+uuid.NewString()+"/retry", admin, nil), http.StatusNotFound, "")
}

func TestEventsStreamReceivesAPublishedNotification(t *testing.T) {
	t.Parallel()
	h := newAgreementsHarness(t)
	_, fin := h.as(accounts.NewUser{Role: accounts.Finance})
	srv := httptest.NewServer(h.srv.Handler())
	defer srv.Close()

	wantProblem(t, h.do("GET", "/api/v1/events", "", nil), http.StatusUnauthorized, "")

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/api/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+fin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	lines := bufio.NewScanner(resp.Body)
	next := func() string {
		if !lines.Scan() {
			t.Fatalf("stream ended: %v", lines.Err())
		}
		return lines.Text()
	}
	for l := next(); l != ": live"; l = next() {
		if strings.HasPrefix(l, ": live updates paused") {
			t.Fatal("the stream says live updates are paused with Redis up")
		}
	}

	a := h.agreement("community_led_support")
	h.deliver()
	var id, event, data string
	for l := next(); l != "" || data == ""; l = next() {
		switch {
		case strings.HasPrefix(l, "id: "):
			id = strings.TrimPrefix(l, "id: ")
		case strings.HasPrefix(l, "event: "):
			event = strings.TrimPrefix(l, "event: ")
		case strings.HasPrefix(l, "data: "):
			data = strings.TrimPrefix(l, "data: ")
		}
	}
	var e agreements.Event
	if err := json.Unmarshal([]byte(data), &e); err != nil {
		t.Fatalf("event data %q: %v", data, err)
	}
	if event != "notification" || e.ID.String() != id || e.Kind != "agreement.created" || e.ObjectID != a.ID.String() ||
		!strings.Contains(e.Subject, a.Reference) {
		t.Fatalf("event %s %s %+v", id, event, e)
	}
}

// With Redis down the stream still opens and says live updates are paused;
// the inbox has everything meanwhile.
func TestEventsStreamWithRedisDownSaysPaused(t *testing.T) {
	t.Parallel()
	h := newAgreementsHarness(t)
	down, err := redisx.Open("redis://127.0.0.1:1/0", "test:down:")
	if err != nil {
		t.Fatal(err)
	}
	defer down.Close()
	h.srv.Redis = down
	_, broker := h.as(accounts.NewUser{Role: accounts.Broker})
	srv := httptest.NewServer(h.srv.Handler())
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/api/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+broker)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("events with Redis down: %d", resp.StatusCode)
	}
	lines := bufio.NewScanner(resp.Body)
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), ": live updates paused") {
			return
		}
		if lines.Text() == ": live" {
			t.Fatal("the stream claims to be live with Redis down")
		}
	}
	t.Fatalf("the stream ended without saying live updates are paused: %v", lines.Err())
}
