package frontend

import (
	"context"
	"strings"
	"time"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/internal/redisx"
)

// DefaultLiveStreamMax is how long one /live stream lasts when
// NotificationsLive is given no limit. The browser reconnects by itself
// (after the stream's retry time), and the reconnection passes the session
// checks again, so a stream never outlives a session by more than this.
const DefaultLiveStreamMax = 10 * time.Minute

// NotificationsLive is the LiveSource of the running service: the live
// events of the notifications hub (agreements.Subscribe, Redis pub/sub),
// which carry every notification as the worker delivers it to its
// audience's inbox. A page hears of exactly what its user's inbox hears of
// (the user, their role, and their team, organisation or person), so a
// provider's offer reaches every broker's open request page, and nobody
// else's.
type NotificationsLive struct {
	Redis *redisx.Client
	// MaxStream ends each stream after this long (DefaultLiveStreamMax
	// when zero).
	MaxStream time.Duration
}

var _ LiveSource = NotificationsLive{}

// Subscribe subscribes to the actor's audiences. Each event becomes a
// change whose topic is the first word of the notification's kind
// ("offer" for offer.received, "invitation" for invitation.sent) and
// whose id is the object the notification is about (the request, for an
// offer received). When Redis is down the subscription waits for it to
// come back (agreements.Subscribe); it never fails.
func (l NotificationsLive) Subscribe(ctx context.Context, a accounts.Actor) (<-chan LiveChange, error) {
	limit := l.MaxStream
	if limit <= 0 {
		limit = DefaultLiveStreamMax
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	sub := agreements.Subscribe(ctx, l.Redis, a)
	out := make(chan LiveChange)
	go func() {
		defer close(out)
		defer cancel()
		defer sub.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case e, ok := <-sub.Events():
				if !ok {
					return
				}
				select {
				case out <- changeOf(e):
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}

// changeOf is the change a notification event tells pages of.
func changeOf(e agreements.Event) LiveChange {
	topic, _, _ := strings.Cut(e.Kind, ".")
	if topic == "" {
		topic = e.ObjectType
	}
	return LiveChange{Topic: topic, ID: e.ObjectID}
}
