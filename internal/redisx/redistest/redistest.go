// Package redistest gives each test a Redis client of its own. It imports
// testing, so only tests import it: the production binary must not link
// the testing package (TestTheBinaryDoesNotLinkTesting in cmd/carebroker).
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/carebroker/carebroker/internal/redisx"
)

// New returns a client on the test Redis (TEST_REDIS_URL, else
// REDIS_URL, else redis://127.0.0.1:6379/0) with a prefix of its own; the
// test's keys are deleted when it ends.
func New(t testing.TB) *redisx.Client {
	t.Helper()
	url := os.Getenv("TEST_REDIS_URL")
	if url == "" {
		url = os.Getenv("REDIS_URL")
	}
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	b := make([]byte, 6)
	rand.Read(b)
	c, err := redisx.Open(url, "test:"+hex.EncodeToString(b)+":")
	if err != nil {
		t.Fatal(err)
	}
	if !c.Up(context.Background()) {
		t.Fatalf("redistest: Redis at %s does not answer; the test scripts start one", url)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		iter := c.Scan(ctx, 0, c.Prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			c.Del(ctx, iter.Val())
		}
		c.Close()
	})
	return c
}
