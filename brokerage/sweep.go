package brokerage

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/metrics"
)

// SweepDeadlines moves every request whose response deadline has passed
// with no acceptable offer to no_offers, as the system actor, and returns
// how many it moved. It runs from the worker loop (RunSweeper) and before
// the request queue is read, so a stale "invited" is never shown. Each
// request is decided under its row lock, so concurrent sweeps move it once.
func (s *Service) SweepDeadlines(ctx context.Context) (int, error) {
	now := s.clock()
	moved := 0
	for {
		ids, err := s.store.overdue(ctx, now, 100)
		if err != nil {
			return moved, err
		}
		progressed := false
		for _, id := range ids {
			ok, err := s.sweepOne(ctx, id, now)
			if err != nil {
				return moved, err
			}
			if ok {
				moved++
				progressed = true
			}
		}
		// Overdue requests with acceptable offers stay where they are; stop
		// when a batch moved nothing, so they are not read again forever.
		if len(ids) < 100 || !progressed {
			return moved, nil
		}
	}
}

// sweepOne moves one request to no_offers if its deadline has passed with
// nothing acceptable, and reports whether it did.
func (s *Service) sweepOne(ctx context.Context, id uuid.UUID, now time.Time) (bool, error) {
	moved := false
	err := s.store.inTx(ctx, func(tx *Store) error {
		r, err := tx.request(ctx, id, true)
		if err != nil || !r.DeadlinePassed(now) {
			return err
		}
		n, err := tx.acceptableOffers(ctx, id, ukDay(now))
		if err != nil || n > 0 {
			return err
		}
		t, err := r.GiveUpWaiting(now, n)
		if err != nil {
			return err
		}
		moved = true
		return s.record(ctx, tx, accounts.SystemActor, "", &r, t, "request.no_offers", map[string]any{
			"deadline": r.ResponseDeadline,
		})
	})
	return moved, err
}

// RunSweeper sweeps deadlines every interval until ctx ends, logging
// failures (the next tick tries again).
func (s *Service) RunSweeper(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		n, err := s.SweepDeadlines(ctx)
		metrics.SweepRan(s.clock(), err)
		if err != nil && ctx.Err() == nil {
			slog.Warn("deadline sweep failed", "error", err.Error())
		} else if n > 0 {
			slog.Info("requests past their response deadline with no acceptable offer", "moved_to_no_offers", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
