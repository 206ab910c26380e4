package ratelimit

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carebroker/carebroker/internal/redisx"
	"github.com/carebroker/carebroker/internal/redisx/redistest"
)

var perMinute5 = Limit{Rate: 5, Period: time.Minute, Burst: 5}

func TestLocalGCRAAllowsTheBurstThenTheRate(t *testing.T) {
	t.Parallel()
	s := newLocal(100)
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for i := 0; i < 5; i++ {
		if r := s.allow("k", perMinute5, now); !r.Allowed || r.Remaining != 4-i {
			t.Fatalf("event %d: %+v, want allowed with %d remaining", i+1, r, 4-i)
		}
	}
	r := s.allow("k", perMinute5, now)
	if r.Allowed || r.RetryAfter != 12*time.Second {
		t.Fatalf("sixth event at once: %+v, want refused for 12s (one emission interval)", r)
	}
	if r := s.allow("other", perMinute5, now); !r.Allowed {
		t.Fatal("another key was limited by the first")
	}
	if r := s.allow("k", perMinute5, now.Add(11*time.Second)); r.Allowed {
		t.Fatal("allowed before the interval passed")
	}
	if r := s.allow("k", perMinute5, now.Add(12*time.Second)); !r.Allowed {
		t.Fatalf("refused after the interval: %+v", r)
	}
	s.reset("k")
	if r := s.allow("k", perMinute5, now.Add(12*time.Second)); !r.Allowed || r.Remaining != 4 {
		t.Fatalf("reset did not give the burst back: %+v", r)
	}
}

func TestLocalStaysBounded(t *testing.T) {
	t.Parallel()
	s := newLocal(50)
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for i := 0; i < 500; i++ {
		s.allow(strconv.Itoa(i), perMinute5, now)
	}
	if len(s.tat) > 50 {
		t.Fatalf("%d keys kept, bound is 50", len(s.tat))
	}
}

func TestRedisLimitIsSharedBetweenInstances(t *testing.T) {
	t.Parallel()
	rdb := redistest.New(t)
	a, b := New(rdb), New(rdb) // two service instances, one Redis
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		l := a
		if i%2 == 1 {
			l = b
		}
		if r := l.Allow(ctx, "shared", perMinute5); !r.Allowed || r.Fallback {
			t.Fatalf("event %d: %+v", i+1, r)
		}
	}
	r := b.Allow(ctx, "shared", perMinute5)
	if r.Allowed || r.Fallback || r.RetryAfter <= 0 || r.RetryAfter > 12*time.Second {
		t.Fatalf("sixth event across instances: %+v, want refused by Redis within one interval", r)
	}
	a.Reset(ctx, "shared")
	if r := b.Allow(ctx, "shared", perMinute5); !r.Allowed {
		t.Fatalf("reset on one instance did not reach the other: %+v", r)
	}
}

func TestConcurrentEventsNeverExceedTheBurst(t *testing.T) {
	t.Parallel()
	for name, l := range map[string]*Limiter{"redis": New(redistest.New(t)), "in-process": New(nil)} {
		var allowed atomic.Int32
		var wg sync.WaitGroup
		for i := 0; i < 200; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if l.Allow(context.Background(), "storm", Limit{Rate: 1, Period: time.Hour, Burst: 10}).Allowed {
					allowed.Add(1)
				}
			}()
		}
		wg.Wait()
		if allowed.Load() != 10 {
			t.Errorf("%s: %d of 200 concurrent events allowed, want exactly the burst of 10", name, allowed.Load())
		}
	}
}

func TestRedisDownFallsBackInProcess(t *testing.T) {
	t.Parallel()
	dead, err := redisx.Open("redis://127.0.0.1:1/0", "x:") // nothing listens on port 1
	if err != nil {
		t.Fatal(err)
	}
	l := New(dead)
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		if r := l.Allow(ctx, "k", perMinute5); !r.Allowed || !r.Fallback {
			t.Fatalf("event %d with Redis down: %+v, want allowed by the fallback", i+1, r)
		}
	}
	if r := l.Allow(ctx, "k", perMinute5); r.Allowed || !r.Fallback {
		t.Fatalf("the fallback did not limit: %+v", r)
	}
}

// TestRedisGoingAwayAndComingBack runs a redis-server of its own on a free
// port, stops it in the middle, and starts it again.
func TestRedisGoingAwayAndComingBack(t *testing.T) {
	t.Parallel()
	port := freePort(t)
	stop := startRedis(t, port)
	rdb, err := redisx.Open(fmt.Sprintf("redis://127.0.0.1:%d/0", port), "t:")
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	l := New(rdb)
	clock := time.Now()
	var mu sync.Mutex
	l.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	ctx := context.Background()
	limit := Limit{Rate: 1, Period: time.Hour, Burst: 3}

	if r := l.Allow(ctx, "k", limit); !r.Allowed || r.Fallback {
		t.Fatalf("with Redis up: %+v", r)
	}
	stop()
	for i := 0; i < 3; i++ {
		if r := l.Allow(ctx, "k", limit); !r.Allowed || !r.Fallback {
			t.Fatalf("event %d after Redis stopped: %+v, want allowed in-process", i+1, r)
		}
	}
	if r := l.Allow(ctx, "k", limit); r.Allowed || !r.Fallback {
		t.Fatalf("in-process limit not applied: %+v", r)
	}
	startRedis(t, port)
	if r := l.Allow(ctx, "fresh", limit); !r.Fallback {
		t.Fatalf("Redis was asked again before RedisRetryInterval: %+v", r)
	}
	mu.Lock()
	clock = clock.Add(RedisRetryInterval)
	mu.Unlock()
	if r := l.Allow(ctx, "fresh", limit); !r.Allowed || r.Fallback {
		t.Fatalf("Redis back and the retry interval passed, but still in-process: %+v", r)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startRedis starts redis-server on port and returns a function that stops
// it (also called when the test ends).
func startRedis(t *testing.T, port int) func() {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command("redis-server", "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir)
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cmd.Process.Kill()
			cmd.Wait()
		})
	}
	t.Cleanup(stop)
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			return stop
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("redis-server did not start on %d", port)
	return stop
}

func TestAddressKey(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"203.0.113.9":                "203.0.113.9",
		"::ffff:203.0.113.9":         "203.0.113.9",
		"2001:db8:1:2:3:4:5:6":       "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff:ffff:0:1": "2001:db8:1:2::/64",
		"not an address":             "not an address",
	}
	for in, want := range cases {
		if got := AddressKey(in); got != want {
			t.Errorf("AddressKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWait(t *testing.T) {
	t.Parallel()
	cases := map[time.Duration]string{
		300 * time.Millisecond: "1 second", 40 * time.Second: "40 seconds", 60 * time.Second: "60 seconds",
		61 * time.Second: "2 minutes", 15 * time.Minute: "15 minutes",
	}
	for d, want := range cases {
		if got := Wait(d); got != want {
			t.Errorf("Wait(%s) = %q, want %q", d, got, want)
		}
	}
	if h := TooMany(1200*time.Millisecond, "x").RetryAfterHeader(); h != "2" {
		t.Errorf("Retry-After for 1.2s = %s, want 2", h)
	}
}
