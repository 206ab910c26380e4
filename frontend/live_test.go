package frontend

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/carebroker/carebroker/accounts"
)

// fakeLive hands each subscriber the changes queued for it.
type fakeLive struct {
	changes []LiveChange
	who     chan accounts.Actor
}

func (l *fakeLive) Subscribe(ctx context.Context, a accounts.Actor) (<-chan LiveChange, error) {
	l.who <- a
	ch := make(chan LiveChange)
	go func() {
		defer close(ch)
		for _, c := range l.changes {
			select {
			case ch <- c:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch, nil
}

func TestLiveStreamsTheActorsChangesAsServerSentEvents(t *testing.T) {
	t.Parallel()
	live := &fakeLive{changes: []LiveChange{{Topic: "request", ID: "r1"}, {Topic: "offer", ID: "o2"}}, who: make(chan accounts.Actor, 1)}
	h := newHarness(t, withLive(live))
	u, pw := h.user(accounts.Broker, "broker@example.org")
	b := h.browser()
	b.signIn(u.Email, pw)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req := httptest.NewRequest(http.MethodGet, "/live", nil).WithContext(ctx)
	r := b.do(req) // returns when the source closes its channel
	wantStatus(t, r, http.StatusOK)
	if ct := r.Header().Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	want := "retry: 10000\n\n" +
		"event: change\ndata: {\"topic\":\"request\",\"id\":\"r1\"}\n\n" +
		"event: change\ndata: {\"topic\":\"offer\",\"id\":\"o2\"}\n\n"
	if r.Body.String() != want {
		t.Fatalf("stream:\n%q\nwant:\n%q", r.Body.String(), want)
	}
	if a := <-live.who; a.UserID != u.ID || a.Role != accounts.Broker {
		t.Fatalf("subscribed as %+v", a)
	}
	// Not signed in: no stream, just the way to sign in.
	if r := h.browser().get("/live"); r.Code != http.StatusSeeOther || !strings.HasPrefix(r.Header().Get("Location"), "/sign-in") {
		t.Fatalf("anonymous /live: %d %q", r.Code, r.Header().Get("Location"))
	}
}

func TestWithoutASourceLiveTellsBrowsersToStopTrying(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	u, pw := h.user(accounts.Finance, "finance@example.org")
	b := h.browser()
	b.signIn(u.Email, pw)
	wantStatus(t, b.get("/live"), http.StatusNoContent)
}

// slowLive sends one change after a while, longer than the server's timeouts.
type slowLive struct{ after time.Duration }

func (l slowLive) Subscribe(ctx context.Context, a accounts.Actor) (<-chan LiveChange, error) {
	ch := make(chan LiveChange, 1)
	go func() {
		select {
		case <-time.After(l.after):
			ch <- LiveChange{Topic: "notification"}
		case <-ctx.Done():
		}
	}()
	return ch, nil
}

func TestTheStreamOutlivesTheServersTimeouts(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withLive(slowLive{after: time.Second}))
	u, pw := h.user(accounts.Broker, "broker@example.org")
	b := h.browser()
	b.signIn(u.Email, pw)
	srv := httptest.NewUnstartedServer(h.handler)
	srv.Config.ReadTimeout = 200 * time.Millisecond
	srv.Config.WriteTimeout = 200 * time.Millisecond
	srv.Start()
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/live", nil)
	req.AddCookie(b.cookies["carebroker_session"])
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	buf := make([]byte, 0, 256)
	chunk := make([]byte, 256)
	for !strings.Contains(string(buf), "event: change") {
		n, err := res.Body.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if err != nil {
			t.Fatalf("the stream ended before the change (%v): %q", err, buf)
		}
	}
}
