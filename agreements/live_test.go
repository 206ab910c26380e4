package agreements

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/redisx"
	"github.com/carebroker/carebroker/internal/redisx/redistest"
)

func waitEvent(t *testing.T, sub *Subscription, within time.Duration) (Event, bool) {
	t.Helper()
	select {
	case e := <-sub.Events():
		return e, true
	case <-time.After(within):
		return Event{}, false
	}
}

func TestDeliveryIsPublishedLiveToTheAudience(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	rdb := redistest.New(t)
	org := uuid.New()
	provider := accounts.Actor{UserID: uuid.New(), Role: accounts.ProviderUser, ProviderOrgID: org}
	stranger := accounts.Actor{UserID: uuid.New(), Role: accounts.ProviderUser, ProviderOrgID: uuid.New()}
	ctx := context.Background()
	sub := Subscribe(ctx, rdb, provider)
	defer sub.Close()
	other := Subscribe(ctx, rdb, stranger)
	defer other.Close()
	if !sub.Live {
		t.Fatal("subscription not confirmed with Redis up")
	}
	notifyAll(t, db, invitation(org, "inv-live"))
	deliverDue(t, newTestWorker(t, db, rdb, "", nil))
	e, ok := waitEvent(t, sub, 10*time.Second)
	if !ok {
		t.Fatal("no live event")
	}
	if e.Kind != "invitation.sent" || e.Subject != "You are invited to offer for a request" || e.ObjectID != "inv-1" {
		t.Fatalf("event %+v", e)
	}
	if _, ok := waitEvent(t, other, 300*time.Millisecond); ok {
		t.Fatal("another organisation's user received the event")
	}
}

func TestRedisDownLosesNothingAndLiveResumes(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	redis := startRedis(t)
	rdb, err := redisx.Open(redis.url(), "live-test:")
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	org := uuid.New()
	provider := accounts.Actor{UserID: uuid.New(), Role: accounts.ProviderUser, ProviderOrgID: org}
	sub := Subscribe(ctx, rdb, provider)
	defer sub.Close()
	w := newTestWorker(t, db, rdb, "", nil)

	redis.stop()
	notifyAll(t, db, invitation(org, "while-down"))
	if r := deliverDue(t, w); r.Delivered != 1 {
		t.Fatalf("with Redis down: %+v, want the notification delivered to the inbox", r)
	}
	s := NewStore(db)
	pu := user(t, db, accounts.NewUser{Role: accounts.ProviderUser, ProviderOrgID: &org})
	if got, err := s.Inbox(ctx, pu, InboxFilter{}); err != nil || len(got) != 1 || got[0].IdempotencyKey != "while-down" {
		t.Fatalf("inbox with Redis down: %+v, %v", got, err)
	}

	redis.start()
	// The subscription reconnects by itself and the worker publishes again
	// (after its short pause). Keep notifying until an event arrives.
	deadline := time.Now().Add(30 * time.Second)
	for i := 0; ; i++ {
		if time.Now().After(deadline) {
			t.Fatal("live updates did not resume after Redis came back")
		}
		notifyAll(t, db, invitation(org, fmt.Sprintf("after-%d", i)))
		deliverDue(t, w)
		if e, ok := waitEvent(t, sub, 500*time.Millisecond); ok {
			if e.Kind != "invitation.sent" {
				t.Fatalf("event %+v", e)
			}
			break
		}
	}
}

// redisServer is a redis-server of the test's own, which it may stop and
// start again on the same port (the shared one is never touched).
type redisServer struct {
	t    *testing.T
	port int
	cmd  *exec.Cmd
}

func startRedis(t *testing.T) *redisServer {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	r := &redisServer{t: t, port: port}
	r.start()
	t.Cleanup(r.stop)
	return r
}

func (r *redisServer) url() string { return "redis://127.0.0.1:" + strconv.Itoa(r.port) + "/0" }

func (r *redisServer) start() {
	r.t.Helper()
	r.cmd = exec.Command("redis-server", "--port", strconv.Itoa(r.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", r.t.TempDir())
	if err := r.cmd.Start(); err != nil {
		r.t.Fatalf("start redis-server: %v", err)
	}
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(r.port)); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	r.t.Fatal("redis-server did not start")
}

func (r *redisServer) stop() {
	if r.cmd != nil && r.cmd.Process != nil {
		r.cmd.Process.Kill()
		r.cmd.Wait()
		r.cmd = nil
	}
}
