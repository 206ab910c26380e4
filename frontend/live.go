package frontend

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
)

// LiveChange says that something a page may show has changed: a request,
// an invitation, an offer, a notification. Pages refresh the regions that
// show that topic (assets/live.mjs).
type LiveChange struct {
	Topic string `json:"topic"`        // "request", "invitation", "offer", "agreement", "notification" ...
	ID    string `json:"id,omitempty"` // the object that changed, if one did
}

// LiveSource is where live changes come from: the notifications hub
// (Redis pub/sub, in agreements) in the next phase. Subscribe returns the
// changes the actor may see, until ctx ends; the channel is closed then.
type LiveSource interface {
	Subscribe(ctx context.Context, a accounts.Actor) (<-chan LiveChange, error)
}

// The stream's timings: a comment every heartbeat keeps proxies from
// closing an idle stream; browsers reconnect after retryAfter if it drops.
var (
	heartbeat  = 25 * time.Second
	retryAfter = 10 * time.Second
)

// live streams the signed-in actor's changes as server-sent events (event
// "change", data {"topic":...,"id":...}). With no source wired it answers
// 204, which tells the browser's EventSource to stop trying: the pages work
// as before, refreshed by people.
func (f *Frontend) live(c *gin.Context) error {
	if f.deps.Live == nil {
		c.Status(http.StatusNoContent)
		return nil
	}
	ctx := f.ctx(c)
	changes, err := f.deps.Live.Subscribe(ctx, ActorOf(c))
	if err != nil {
		return err
	}
	h := c.Writer.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no") // nginx: do not hold events back
	c.Status(http.StatusOK)
	rc := http.NewResponseController(c.Writer)
	send := func(s string) bool {
		// The server's WriteTimeout would cut a long stream: push the
		// deadline on before every write. Recorders in tests cannot, which is fine.
		_ = rc.SetWriteDeadline(time.Now().Add(heartbeat + 30*time.Second))
		if _, err := c.Writer.WriteString(s); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send(fmt.Sprintf("retry: %d\n\n", retryAfter.Milliseconds())) {
		return nil
	}
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			if !send(": still here\n\n") {
				return nil
			}
		case ch, ok := <-changes:
			if !ok {
				return nil
			}
			data, _ := json.Marshal(ch)
			if !send("event: change\ndata: " + string(data) + "\n\n") {
				return nil
			}
		}
	}
}
