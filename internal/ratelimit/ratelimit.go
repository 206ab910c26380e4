// Package ratelimit limits how often something may happen, per key, with the
// GCRA algorithm (a leaky bucket that stores one timestamp per key). The
// shared state lives in Redis, so every instance of the service sees the same
// counts; when Redis does not answer, each instance falls back to an
// in-process limiter with the same arithmetic, so limits still hold (per
// instance) and nothing that needs a limit stops working.
package ratelimit

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"

	"github.com/carebroker/carebroker/internal/redisx"
)

// Limit says how many events a key may have: Burst at once, then Rate per
// Period.
type Limit struct {
	Rate   int
	Period time.Duration
	Burst  int
}

// Valid reports whether the limit can be enforced (every number positive).
func (l Limit) Valid() bool { return l.Rate > 0 && l.Period > 0 && l.Burst > 0 }

// Result says whether an event was allowed and, if not, when to try again.
type Result struct {
	Allowed    bool
	Remaining  int           // events still allowed at once after this one
	RetryAfter time.Duration // when Allowed is false: wait at least this long
	Fallback   bool          // decided in-process because Redis did not answer
}

// RedisRetryInterval is how long the limiter keeps using its in-process
// fallback after Redis failed, before it asks Redis again. Without it every
// request would first wait for a Redis timeout while Redis is down.
const RedisRetryInterval = 5 * time.Second

// Limiter decides whether events may happen. It is safe for concurrent use.
type Limiter struct {
	redis *redis_rate.Limiter
	local *local

	mu        sync.Mutex
	downUntil time.Time // while now is before it, Redis is not asked
	now       func() time.Time
}

// New returns a Limiter that keeps its state in rdb under rdb's prefix (a
// key k is REDIS_PREFIX + "rl:" + k), or only in-process when rdb is nil.
func New(rdb *redisx.Client) *Limiter {
	l := &Limiter{local: newLocal(maxLocalKeys), now: time.Now}
	if rdb != nil {
		l.redis = redis_rate.NewLimiter(underPrefix{rdb})
	}
	return l
}

// Allow records one event for key under limit and says whether it was
// allowed. It never fails: when Redis does not answer, the in-process
// fallback decides.
func (l *Limiter) Allow(ctx context.Context, key string, limit Limit) Result {
	if l.useRedis() {
		res, err := l.redis.Allow(ctx, key, redis_rate.Limit{Rate: limit.Rate, Burst: limit.Burst, Period: limit.Period})
		if err == nil {
			out := Result{Allowed: res.Allowed > 0, Remaining: res.Remaining}
			if !out.Allowed {
				out.RetryAfter = res.RetryAfter
			}
			return out
		}
		l.redisFailed(ctx, err)
	}
	out := l.local.allow(key, limit, l.now())
	out.Fallback = true
	return out
}

// Reset forgets key's events, in Redis and in-process (after a successful
// sign-in, say).
func (l *Limiter) Reset(ctx context.Context, key string) {
	l.local.reset(key)
	if l.useRedis() {
		if err := l.redis.Reset(ctx, key); err != nil {
			l.redisFailed(ctx, err)
		}
	}
}

func (l *Limiter) useRedis() bool {
	if l.redis == nil {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return !l.now().Before(l.downUntil)
}

func (l *Limiter) redisFailed(ctx context.Context, err error) {
	if ctx.Err() != nil {
		return // the caller gave up; Redis may be fine
	}
	l.mu.Lock()
	wasUp := !l.now().Before(l.downUntil)
	l.downUntil = l.now().Add(RedisRetryInterval)
	l.mu.Unlock()
	if wasUp {
		slog.Warn("rate limits: redis is not answering; limiting in-process until it does", "error", err.Error())
	}
}
