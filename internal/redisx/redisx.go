// Package redisx wraps the Redis client with a key prefix, so several
// instances (and every test) can share one server without touching each
// other's keys. Redis holds only what may be lost without harm: rate-limit
// counters, live-update fan-out and caches.
package redisx

import (
	"context"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Client is a Redis client whose keys and channels all start with Prefix.
type Client struct {
	*redis.Client
	Prefix string
}

// Open parses url and returns a client. It does not fail when Redis is
// down: the service keeps working without it.
func Open(url, prefix string) (*Client, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, err
	}
	opt.DialTimeout = 500 * time.Millisecond
	opt.ReadTimeout = 500 * time.Millisecond
	opt.WriteTimeout = 500 * time.Millisecond
	opt.MaxRetries = 1
	return &Client{Client: redis.NewClient(opt), Prefix: prefix}, nil
}

// Key joins parts under the client's prefix: Key("rl", "login", email).
func (c *Client) Key(parts ...string) string {
	return c.Prefix + strings.Join(parts, ":")
}

// Up reports whether Redis answers a PING within a short time.
func (c *Client) Up(ctx context.Context) bool {
	if c == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	return c.Ping(ctx).Err() == nil
}
