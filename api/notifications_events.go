package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/golang-jwt/jwt/v5"

	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/errs"
)

// eventsHeartbeat keeps idle streams (and the proxies between) open.
const eventsHeartbeat = 15 * time.Second

// events streams the actor's notifications as server-sent events while the
// connection lasts, and never beyond the expiry of the access token that
// opened it (nor LiveStreamMax, if set): a signed-out user's stream ends
// with their token. Each is "event: notification" with the notification's
// id and a JSON summary. When Redis is down the stream stays open and says live
// updates are paused; they resume by themselves when Redis returns, and the
// inbox has everything meanwhile.
func (s *Server) events(c *gin.Context) error {
	if s.Redis == nil {
		return errs.Unavailablef(nil, "live updates are not available; read the inbox instead")
	}
	sub := agreements.Subscribe(c.Request.Context(), s.Redis, actor(c))
	defer sub.Close()
	s.stream(c, sub)
	return nil
}

// stream sends sub's events until the caller goes away or the stream's
// time is up.
func (s *Server) stream(c *gin.Context, sub *agreements.Subscription) {
	ctx := c.Request.Context()
	// A stream outlives the server's write timeout; lift it for this response.
	_ = http.NewResponseController(c.Writer).SetWriteDeadline(time.Time{})
	h := c.Writer.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no")
	c.Status(http.StatusOK)
	status := ": live\n\n"
	if !sub.Live {
		status = ": live updates paused; they resume when the service reconnects\n\n"
	}
	if !sseWrite(c, "retry: 5000\n"+status) {
		return
	}
	beat := time.NewTicker(eventsHeartbeat)
	defer beat.Stop()
	end := time.NewTimer(s.streamLimit(c))
	defer end.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-end.C:
			return // the browser reconnects, with a token that is still good
		case e, ok := <-sub.Events():
			if !ok {
				return
			}
			data, _ := json.Marshal(e)
			if !sseWrite(c, fmt.Sprintf("id: %s\nevent: notification\ndata: %s\n\n", e.ID, data)) {
				return
			}
		case <-beat.C:
			if !sseWrite(c, ": keep-alive\n\n") {
				return
			}
		}
	}
}

// streamLimit is how long an events stream may last: until the access
// token expires (authenticate has verified it; only its expiry is read
// here), and at most LiveStreamMax when that is set.
func (s *Server) streamLimit(c *gin.Context) time.Duration {
	limit := s.Config.AccessTTL
	if raw, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer "); ok {
		var claims jwt.RegisteredClaims
		if _, _, err := jwt.NewParser().ParseUnverified(strings.TrimSpace(raw), &claims); err == nil && claims.ExpiresAt != nil {
			limit = max(time.Until(claims.ExpiresAt.Time), time.Second)
		}
	}
	if s.LiveStreamMax > 0 && s.LiveStreamMax < limit {
		limit = s.LiveStreamMax
	}
	return limit
}

func sseWrite(c *gin.Context, s string) bool {
	if _, err := c.Writer.WriteString(s); err != nil {
		return false
	}
	c.Writer.Flush()
	return true
}
