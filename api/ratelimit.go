package api

import (
	"time"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/internal/ratelimit"
)

// Limits are the request limits the API applies (OWASP API4). They are
// kept in Redis and fall back to in-process limits when Redis is down.
type Limits struct {
	Login ratelimit.LoginPolicy
	// PerUser limits the authenticated requests of one user, whatever the
	// token.
	PerUser ratelimit.Limit
	// TokenPerAddress limits refresh and sign-out requests from one client
	// address.
	TokenPerAddress ratelimit.Limit
}

// DefaultLimits are used when Deps.Limits is nil: sign-in as
// ratelimit.DefaultLoginPolicy; 600 requests at once per user then 10 a
// second; 60 token requests at once per address then one a second.
var DefaultLimits = Limits{
	Login:           ratelimit.DefaultLoginPolicy,
	PerUser:         ratelimit.Limit{Rate: 600, Period: time.Minute, Burst: 600},
	TokenPerAddress: ratelimit.Limit{Rate: 60, Period: time.Minute, Burst: 60},
}

// Unlimited lifts every limit in practice, for tests that make many
// requests as one user (the route-by-role table).
var Unlimited = Limits{
	Login: ratelimit.LoginPolicy{
		PerAddress:        ratelimit.Limit{Rate: 1 << 20, Period: time.Second, Burst: 1 << 20},
		PerAccountAddress: ratelimit.Limit{Rate: 1 << 20, Period: time.Second, Burst: 1 << 20},
		PerAccount:        ratelimit.Limit{Rate: 1 << 20, Period: time.Second, Burst: 1 << 20},
	},
	PerUser:         ratelimit.Limit{Rate: 1 << 20, Period: time.Second, Burst: 1 << 20},
	TokenPerAddress: ratelimit.Limit{Rate: 1 << 20, Period: time.Second, Burst: 1 << 20},
}

func (s *Server) limits() Limits {
	if s.Deps.Limits != nil {
		return *s.Deps.Limits
	}
	return DefaultLimits
}

// clientAddress is the caller's address: the connection's peer, unless it
// is one of Config.TrustedProxies, in which case gin reads X-Forwarded-For.
func clientAddress(c *gin.Context) string { return c.ClientIP() }

// limitPerUser refuses an authenticated user's requests over PerUser with
// 429 and Retry-After. It runs after authenticate.
func (s *Server) limitPerUser(c *gin.Context) {
	r := s.limiter.Allow(c.Request.Context(), "api:user:"+actor(c).UserID.String(), s.limits().PerUser)
	if !r.Allowed {
		fail(c, ratelimit.TooMany(r.RetryAfter, "You have sent too many requests. Try again in %s.", ratelimit.Wait(r.RetryAfter)))
		return
	}
	c.Next()
}

// limitTokenRequests refuses refresh and sign-out requests from one address
// over TokenPerAddress.
func (s *Server) limitTokenRequests(c *gin.Context) {
	r := s.limiter.Allow(c.Request.Context(), "api:token:"+ratelimit.AddressKey(clientAddress(c)), s.limits().TokenPerAddress)
	if !r.Allowed {
		fail(c, ratelimit.TooMany(r.RetryAfter, "Too many requests from your network. Try again in %s.", ratelimit.Wait(r.RetryAfter)))
		return
	}
	c.Next()
}

// LoginGuard returns the sign-in guard, so the web pages' sign-in form is
// limited and locked out with the same budgets as the API's (they share
// the keys in Redis).
func (s *Server) LoginGuard() *ratelimit.LoginGuard { return s.loginGuard }

// Limiter returns the rate limiter, for the pages' per-user limit.
func (s *Server) Limiter() *ratelimit.Limiter { return s.limiter }

// PerUserLimit returns the limit on one user's authenticated requests.
func (s *Server) PerUserLimit() ratelimit.Limit { return s.limits().PerUser }
