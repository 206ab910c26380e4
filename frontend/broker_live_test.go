package frontend

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/internal/redisx/redistest"
	"github.com/carebroker/carebroker/plans"
)

// TestAnOfferReachesTheBrokersOpenRequestPage follows an offer from the
// provider to the broker's open page: the offer's notification is
// delivered by the worker and published on Redis, the broker's /live
// stream (NotificationsLive) says the request's offers changed, and the
// page's answers region, fetched again as the script does, shows the offer.
// A finance user's stream hears nothing of it.
func TestAnOfferReachesTheBrokersOpenRequestPage(t *testing.T) {
	t.Parallel()
	rdb := redistest.New(t)
	w := newStaffWorld(t, withLive(NotificationsLive{Redis: rdb, MaxStream: 20 * time.Second}))
	_, service, provider := w.provider("Live Home Care Ltd", 2400, 1)
	_, req := w.homecareRequest("community_led_support", "Lena Live", plans.Standard)
	ctx := context.Background()
	b, broker := w.signedIn(accounts.Broker, "")
	_, err := w.svc.RunMatch(ctx, broker, req.ID)
	w.must(err)
	_, err = w.svc.Invite(ctx, broker, req.ID, []uuid.UUID{service})
	w.must(err)
	worker, err := agreements.NewWorker(w.db, rdb, agreements.WorkerConfig{})
	w.must(err)
	_, err = worker.DeliverDue(ctx) // the invitation's own notifications, before the streams open
	w.must(err)
	before := b.get(requestPath(req.ID))
	wantBody(t, before, `id="answers" data-live-region`, "Waiting for an answer")

	srv := httptest.NewServer(w.handler)
	t.Cleanup(srv.Close) // after the streams' own cleanups have ended them
	fin, _ := w.signedIn(accounts.Finance, "")
	brokerStream, finStream := openLive(t, srv, b), openLive(t, srv, fin)

	w.offer(provider, req.ID, 2400)
	if _, err := worker.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	want := `event: change` + "\n" + `data: {"topic":"offer","id":"` + req.ID.String() + `"}`
	if got := brokerStream.waitFor(t, want, 10*time.Second); !got {
		t.Fatalf("the broker's stream did not say the request's offers changed; it said:\n%s", brokerStream.text())
	}
	after := b.get(requestPath(req.ID))
	wantBody(t, after, "Offered", "£336.00 a week for 14 hours a week")
	if finStream.waitFor(t, "event: change", 300*time.Millisecond) {
		t.Fatalf("the finance team's stream heard of the offer:\n%s", finStream.text())
	}
}

// liveStream reads a /live stream in the background.
type liveStream struct {
	lines chan string
	seen  strings.Builder
}

func openLive(t *testing.T, srv *httptest.Server, b *browser) *liveStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/live", nil)
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/live: %d", res.StatusCode)
	}
	s := &liveStream{lines: make(chan string, 100)}
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
		close(s.lines)
	}()
	// The first line comes once the subscription is made: changes after it reach the stream.
	if !s.waitFor(t, "retry:", 5*time.Second) {
		t.Fatal("the stream did not start")
	}
	return s
}

// waitFor reads until the stream has said want (over several lines) or
// within has passed.
func (s *liveStream) waitFor(t *testing.T, want string, within time.Duration) bool {
	t.Helper()
	deadline := time.After(within)
	for {
		if strings.Contains(s.seen.String(), want) {
			return true
		}
		select {
		case line, ok := <-s.lines:
			if !ok {
				return strings.Contains(s.seen.String(), want)
			}
			s.seen.WriteString(line + "\n")
		case <-deadline:
			return false
		}
	}
}

func (s *liveStream) text() string { return s.seen.String() }
