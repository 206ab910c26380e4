package ratelimit

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/carebroker/carebroker/internal/redisx"
	"github.com/carebroker/carebroker/internal/redisx/redistest"
)

// BenchmarkAllow measures one limit decision in Redis and in-process, and
// with Redis down (the fallback, after the first failure).
func BenchmarkAllow(b *testing.B) {
	limit := Limit{Rate: 1 << 20, Period: time.Second, Burst: 1 << 20}
	dead, _ := redisx.Open("redis://127.0.0.1:1/0", "x:")
	for name, l := range map[string]*Limiter{"redis": New(redistest.New(b)), "in-process": New(nil), "redis-down": New(dead)} {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			for i := 0; i < b.N; i++ {
				l.Allow(ctx, "bench:"+strconv.Itoa(i%1000), limit)
			}
		})
	}
}

// BenchmarkLoginGuard measures the three limits a sign-in attempt pays.
func BenchmarkLoginGuard(b *testing.B) {
	g := NewLoginGuard(New(redistest.New(b)), LoginPolicy{
		PerAddress:        Limit{Rate: 1 << 20, Period: time.Second, Burst: 1 << 20},
		PerAccountAddress: Limit{Rate: 1 << 20, Period: time.Second, Burst: 1 << 20},
		PerAccount:        Limit{Rate: 1 << 20, Period: time.Second, Burst: 1 << 20},
	})
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		g.Begin(ctx, "user"+strconv.Itoa(i%100)+"@example.org", "203.0.113.9")
	}
}
