package frontend

import (
	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/internal/ratelimit"
)

// pageLimitKey is the limiter key of a user's requests: the same key the
// API's per-user limit spends, so a user's pages and API calls share one
// budget and neither door is a way around the other.
func pageLimitKey(userID string) string { return "api:user:" + userID }

// limitPerUser refuses a signed-in user's page requests over Deps.PerUser
// with the "too many requests" page (429 and Retry-After). It runs after
// requireSignIn; without a limiter (a frontend built without app) it lets
// everything through.
func (f *Frontend) limitPerUser(c *gin.Context) {
	s := sessionOf(c)
	if f.deps.Limiter == nil || s == nil {
		c.Next()
		return
	}
	r := f.deps.Limiter.Allow(f.ctx(c), pageLimitKey(s.Actor.UserID.String()), f.deps.PerUser)
	if !r.Allowed {
		f.fail(c, ratelimit.TooMany(r.RetryAfter, "You have opened too many pages in a short time. Try again in %s.", ratelimit.Wait(r.RetryAfter)))
		return
	}
	c.Next()
}
