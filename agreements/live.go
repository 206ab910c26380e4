package agreements

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/redisx"
)

// Event is what a connected browser receives over server-sent events when a
// notification reaches its inbox. It carries no body: the inbox has it.
type Event struct {
	ID         uuid.UUID `json:"id"`
	Kind       string    `json:"kind"`
	Subject    string    `json:"subject"`
	ObjectType string    `json:"object_type,omitempty"`
	ObjectID   string    `json:"object_id,omitempty"`
	Link       string    `json:"link,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

func eventOf(r notificationRow) Event {
	return Event{ID: r.ID, Kind: r.Kind, Subject: r.Subject, ObjectType: r.ObjectType,
		ObjectID: r.ObjectID, Link: r.Link, CreatedAt: r.CreatedAt.UTC()}
}

// channel is the Redis pub/sub channel of an audience.
func channel(rdb *redisx.Client, a Audience) string {
	if a.ID == "" {
		return rdb.Key("events", string(a.Kind))
	}
	return rdb.Key("events", string(a.Kind), a.ID)
}

func publish(ctx context.Context, rdb *redisx.Client, a Audience, e Event) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return rdb.Publish(ctx, channel(rdb, a), b).Err()
}

// Subscription receives the live events of one actor's audiences. When
// Redis goes away it reconnects and resubscribes by itself; events
// published meanwhile are not replayed (the inbox has them).
type Subscription struct {
	ps     *redis.PubSub
	events chan Event
	done   chan struct{}
	// Live reports whether Redis confirmed the subscription when it was made.
	Live bool
}

// Subscribe subscribes to the live events of every audience the actor
// belongs to. It does not fail when Redis is down: the subscription starts
// paused (Live is false) and resumes when Redis answers again. Close it
// when done.
func Subscribe(ctx context.Context, rdb *redisx.Client, actor accounts.Actor) *Subscription {
	var channels []string
	for _, a := range AudiencesOf(actor) {
		channels = append(channels, channel(rdb, a))
	}
	ps := rdb.Subscribe(ctx, channels...)
	s := &Subscription{ps: ps, events: make(chan Event, 16), done: make(chan struct{}), Live: len(channels) > 0}
	// Read the confirmations, so that an event published after Subscribe
	// returns is certainly delivered.
	confirmCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	for range channels {
		if _, err := ps.ReceiveTimeout(confirmCtx, time.Second); err != nil {
			s.Live = false
			break
		}
	}
	go s.pump()
	return s
}

func (s *Subscription) pump() {
	defer close(s.events)
	for msg := range s.ps.Channel() {
		var e Event
		if json.Unmarshal([]byte(msg.Payload), &e) != nil {
			continue
		}
		select {
		case s.events <- e:
		case <-s.done:
			return
		}
	}
}

// Events delivers the events; it is closed after Close.
func (s *Subscription) Events() <-chan Event { return s.events }

// Close ends the subscription.
func (s *Subscription) Close() error {
	close(s.done)
	return s.ps.Close()
}
