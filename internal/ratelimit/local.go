package ratelimit

import (
	"sync"
	"time"
)

// maxLocalKeys bounds the in-process fallback's memory. Keys whose bucket
// has drained are dropped first; past the bound, arbitrary keys are
// forgotten (which only ever makes the fallback more lenient).
const maxLocalKeys = 100_000

// local is the in-process GCRA: the same arithmetic as redis_rate's script,
// one "theoretical arrival time" per key.
type local struct {
	mu  sync.Mutex
	tat map[string]time.Time
	max int
}

func newLocal(max int) *local { return &local{tat: map[string]time.Time{}, max: max} }

// NewInProcess returns a Limiter that keeps its state only in this process
// and reads the time from now. Tests use it with a clock of their own, so
// their counts do not depend on how fast the machine runs them: Redis's
// GCRA refills by Redis's own clock, which a test cannot hold still.
func NewInProcess(now func() time.Time) *Limiter {
	return &Limiter{local: newLocal(maxLocalKeys), now: now}
}

func (s *local) allow(key string, limit Limit, now time.Time) Result {
	if !limit.Valid() {
		return Result{Allowed: true}
	}
	interval := limit.Period / time.Duration(limit.Rate)
	burstOffset := interval * time.Duration(limit.Burst)

	s.mu.Lock()
	defer s.mu.Unlock()
	tat, ok := s.tat[key]
	if !ok || tat.Before(now) {
		tat = now
	}
	newTAT := tat.Add(interval)
	allowAt := newTAT.Add(-burstOffset)
	if diff := now.Sub(allowAt); diff < 0 {
		return Result{Allowed: false, RetryAfter: -diff}
	}
	if len(s.tat) >= s.max {
		s.prune(now)
	}
	s.tat[key] = newTAT
	return Result{Allowed: true, Remaining: int(now.Sub(allowAt) / interval)}
}

func (s *local) reset(key string) {
	s.mu.Lock()
	delete(s.tat, key)
	s.mu.Unlock()
}

// prune drops drained buckets, then arbitrary ones if still over the bound.
func (s *local) prune(now time.Time) {
	for k, t := range s.tat {
		if !t.After(now) {
			delete(s.tat, k)
		}
	}
	for k := range s.tat {
		if len(s.tat) < s.max {
			break
		}
		delete(s.tat, k)
	}
}
