package ratelimit

import (
	"context"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/carebroker/carebroker/internal/redisx"
)

// libraryPrefix is what redis_rate puts in front of every key it is given.
const libraryPrefix = "rate:"

// underPrefix is the Redis client redis_rate talks to. The library writes
// "rate:" + key, which would put the limiter's keys outside REDIS_PREFIX
// (where a shared Redis's other tenants, and an operator's
// `SCAN MATCH carebroker:*`, expect every key of the service). underPrefix
// swaps that "rate:" for the client's prefix and "rl:", so a key k is
// stored as REDIS_PREFIX + "rl:" + k. Should the library change its prefix,
// the key still lands under REDIS_PREFIX, only with the new prefix inside it.
type underPrefix struct{ c *redisx.Client }

func (u underPrefix) keys(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = u.c.Key("rl", strings.TrimPrefix(k, libraryPrefix))
	}
	return out
}

func (u underPrefix) Eval(ctx context.Context, script string, keys []string, args ...any) *redis.Cmd {
	return u.c.Eval(ctx, script, u.keys(keys), args...)
}

func (u underPrefix) EvalSha(ctx context.Context, sha1 string, keys []string, args ...any) *redis.Cmd {
	return u.c.EvalSha(ctx, sha1, u.keys(keys), args...)
}

func (u underPrefix) EvalRO(ctx context.Context, script string, keys []string, args ...any) *redis.Cmd {
	return u.c.EvalRO(ctx, script, u.keys(keys), args...)
}

func (u underPrefix) EvalShaRO(ctx context.Context, sha1 string, keys []string, args ...any) *redis.Cmd {
	return u.c.EvalShaRO(ctx, sha1, u.keys(keys), args...)
}

func (u underPrefix) ScriptExists(ctx context.Context, hashes ...string) *redis.BoolSliceCmd {
	return u.c.ScriptExists(ctx, hashes...)
}

func (u underPrefix) ScriptLoad(ctx context.Context, script string) *redis.StringCmd {
	return u.c.ScriptLoad(ctx, script)
}

func (u underPrefix) Del(ctx context.Context, keys ...string) *redis.IntCmd {
	return u.c.Del(ctx, u.keys(keys)...)
}
