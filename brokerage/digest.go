package brokerage

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/providers"
)

// DigestWindow is when the morning digest may be written: from its hour
// (London time) until noon, so a worker that was down at seven still sends
// the day's digest when it comes back, but not in the afternoon.
type DigestWindow struct {
	Hour int // 0-11; 7 means 07:00 London time
}

// Due reports whether now (any zone) is in the window, London time.
func (w DigestWindow) Due(now time.Time) bool {
	h := now.In(london).Hour()
	return h >= w.Hour && h < 12
}

// overdueResponse is an invitation the provider has not answered by its
// deadline, on a request still waiting for answers.
type overdueResponse struct {
	Reference    string
	ServiceType  providers.ServiceType
	ProviderName string
	Deadline     time.Time
}

// maxDigestLines keeps the digest readable; the queue has the rest.
const maxDigestLines = 30

// OverdueDigest writes the brokers' morning digest of what is overdue (the
// invitations whose providers have not answered by the deadline), once a
// London day: a second call the same day writes nothing. It writes nothing
// outside window or when nothing is overdue, and reports whether it wrote
// the digest. The digest goes out through the notifications outbox, so
// each broker gets it in the inbox and by email exactly once.
func (s *Service) OverdueDigest(ctx context.Context, window DigestWindow) (bool, error) {
	now := s.clock()
	if !window.Due(now) {
		return false, nil
	}
	today := day.Today(s.now)
	late, err := s.store.overdueResponses(ctx, now)
	if err != nil || len(late) == 0 {
		return false, err
	}
	lines := make([]string, 0, maxDigestLines+2)
	lines = append(lines, fmt.Sprintf("%d invitation(s) are past their response deadline with no answer from the provider:", len(late)))
	for i, o := range late {
		if i == maxDigestLines {
			lines = append(lines, fmt.Sprintf("And %d more: see the queue.", len(late)-maxDigestLines))
			break
		}
		lines = append(lines, fmt.Sprintf("%s (%s): %s has not answered; the deadline was %s.",
			o.Reference, o.ServiceType.Label(), o.ProviderName, ukTime(o.Deadline)))
	}
	lines = append(lines, "Chase the providers, extend the deadline or invite others from the request's page.")
	wrote := false
	err = s.store.inTx(ctx, func(tx *Store) error {
		wrote = true
		return s.tell(ctx, tx, agreements.Notification{
			Kind: agreements.DigestKind, Audience: agreements.ToRole(accounts.Broker),
			IdempotencyKey: "digest.overdue:" + today.String(), ObjectType: "digest", ObjectID: today.String(),
			Link:    "/api/v1/requests",
			Subject: fmt.Sprintf("Overdue this morning, %s: %d invitation(s) without an answer", today.UK(), len(late)),
			Body:    strings.Join(lines, "\n"),
		})
	})
	return wrote && err == nil, err
}

// RunDigest writes the morning digest when it is due, checking every tick
// by the service's clock, until ctx is done. Any number of processes may
// run it: the digest's key lets only one be written a day.
func (s *Service) RunDigest(ctx context.Context, window DigestWindow, tick time.Duration) {
	for {
		if _, err := s.OverdueDigest(ctx, window); err != nil && ctx.Err() == nil {
			slog.Warn("the morning digest was not written; will try again", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(tick):
		}
	}
}
