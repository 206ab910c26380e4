package app

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/internal/redisx/redistest"
)

// commandLog records every command a Redis client sends.
type commandLog struct {
	mu   sync.Mutex
	args [][]any
}

func (l *commandLog) add(cmds ...redis.Cmder) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range cmds {
		l.args = append(l.args, c.Args())
	}
}

func (l *commandLog) DialHook(next redis.DialHook) redis.DialHook { return next }

func (l *commandLog) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { l.add(cmd); return next(ctx, cmd) }
}

func (l *commandLog) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { l.add(cmds...); return next(ctx, cmds) }
}

// TestEveryRedisKeyIsUnderThePrefix runs every path of the service that
// uses Redis (sign-in through the API and the form, with a wrong password
// first: the login guard's counters and their reset; refresh and sign-out:
// the per-address limit; API calls and pages: the per-user limit; the live
// event stream: a subscription; the notification worker: a publication),
// then asks Redis. Every key that holds the run's prefix token starts with
// the prefix (redis_rate alone would have written "rate:<prefix>rl:…"),
// and every key and channel that any command of the service named does too.
func TestEveryRedisKeyIsUnderThePrefix(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rdb := redistest.New(t)
	log := &commandLog{}
	rdb.AddHook(log)
	// An unrecorded connection of the test's own, to ask Redis.
	ask := redis.NewClient(rdb.Options())
	defer ask.Close()
	token := strings.TrimSuffix(strings.TrimPrefix(rdb.Prefix, "test:"), ":")

	s := newSite(t, rdb, nil)
	u, password := s.user(accounts.Finance, "finance.officer@council.example")
	v := s.visitor()

	// The API: a wrong password, sign-in, a call, refresh, sign-out.
	if r := v.api("POST", "/api/v1/auth/login", "", map[string]string{"email": u.Email, "password": "not-the-password"}); r.Status < 400 {
		t.Fatalf("a wrong password: %d", r.Status)
	}
	access, refresh := v.tokens(u.Email, password)
	if r := v.api("GET", "/api/v1/me", access, nil); r.Status != http.StatusOK {
		t.Fatalf("me: %d", r.Status)
	}
	if r := v.api("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": refresh}); r.Status != http.StatusOK {
		t.Fatalf("refresh: %d %s", r.Status, r.Body)
	}
	if r := v.api("POST", "/api/v1/auth/logout", access, map[string]string{"refresh_token": refresh}); r.Status >= 300 {
		t.Fatalf("logout: %d %s", r.Status, r.Body)
	}
	// The pages: a wrong password, sign-in, a page.
	if r := v.signIn(u.Email, "not-the-password"); r.Status != http.StatusBadRequest {
		t.Fatalf("a wrong password through the form: %d", r.Status)
	}
	if r := v.signIn(u.Email, password); r.Status != http.StatusSeeOther {
		t.Fatalf("sign-in through the form: %d", r.Status)
	}
	if r := v.get("/sign-out"); r.Status != http.StatusOK {
		t.Fatalf("a page: %d", r.Status)
	}

	// Live events: a stream subscribes, the worker publishes to it.
	access, _ = v.tokens(u.Email, password)
	streamCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(streamCtx, "GET", s.url+"/api/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+access)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("events: %v %v", resp, err)
	}
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)
	waitFor := func(prefix string) {
		t.Helper()
		for lines.Scan() {
			if strings.HasPrefix(lines.Text(), prefix) {
				return
			}
		}
		t.Fatalf("the stream ended before %q: %v", prefix, lines.Err())
	}
	waitFor(": live")
	channels, err := ask.PubSubChannels(ctx, "*"+token+"*").Result()
	if err != nil || len(channels) == 0 {
		t.Fatalf("no channel of the run is subscribed: %v %v", channels, err)
	}
	for _, ch := range channels {
		if !strings.HasPrefix(ch, rdb.Prefix) {
			t.Errorf("subscribed channel %q is not under the prefix %q", ch, rdb.Prefix)
		}
	}
	err = s.db.Transaction(context.Background(), func(tx *postgres.Tx) error {
		return agreements.Notify(ctx, tx, agreements.Notification{Audience: agreements.ToUser(u.ID), Kind: "test.keys",
			Subject: "Keys under the prefix", IdempotencyKey: "keys-" + token})
	})
	if err != nil {
		t.Fatal(err)
	}
	w, err := agreements.NewWorker(s.db, rdb, agreements.WorkerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := w.DeliverDue(ctx); err != nil || rep.Delivered != 1 {
		t.Fatalf("delivery: %+v %v", rep, err)
	}
	waitFor("event: notification")

	// What Redis holds: every key of this run is under the prefix.
	var keys []string
	iter := ask.Scan(ctx, 0, "*"+token+"*", 1000).Iterator()
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	families := map[string]bool{}
	for _, k := range keys {
		if !strings.HasPrefix(k, rdb.Prefix) {
			t.Errorf("key %q is not under the prefix %q", k, rdb.Prefix)
			continue
		}
		for _, f := range []string{"rl:login:addr:", "rl:api:user:", "rl:api:token:"} {
			if strings.HasPrefix(k, rdb.Prefix+f) {
				families[f] = true
			}
		}
	}
	if len(families) != 3 {
		t.Errorf("the run left keys %q: want the login, per-user and per-address limits' among them", keys)
	}

	// And every key or channel any command named, whether it is still
	// there or not (the login failures were reset by the sign-ins).
	log.mu.Lock()
	sent := append([][]any(nil), log.args...)
	log.mu.Unlock()
	named := 0
	for _, args := range sent {
		name := strings.ToLower(args[0].(string))
		var ks []string
		switch name {
		case "publish", "spublish":
			ks = []string{args[1].(string)}
		default:
			got, err := ask.Do(ctx, append([]any{"command", "getkeys"}, args...)...).StringSlice()
			if err != nil {
				continue // a command without keys (PING, SCRIPT LOAD ...)
			}
			ks = got
		}
		for _, k := range ks {
			named++
			if !strings.HasPrefix(k, rdb.Prefix) {
				t.Errorf("%s named %q, not under the prefix %q", name, k, rdb.Prefix)
			}
		}
	}
	if named < 10 {
		t.Errorf("only %d keys named in %d commands: the run did not reach Redis", named, len(sent))
	}
	t.Logf("%d commands named %d keys and channels; %d keys left: %q", len(sent), named, len(keys), keys)
}
