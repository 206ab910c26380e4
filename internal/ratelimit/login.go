package ratelimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/netip"
	"strings"
	"time"
)

// LoginPolicy is how sign-in attempts are limited. Every attempt costs one
// event of each limit before the password is checked, so parallel attempts
// cannot slip past a limit; a successful sign-in gives the account's events
// back.
type LoginPolicy struct {
	// PerAddress limits every attempt from one client address (an IPv6
	// address counts by its /64), whatever the email: it throttles a storm
	// and credential stuffing across many accounts.
	PerAddress Limit
	// PerAccountAddress locks one email out from one address after Burst
	// failures, for Period/Rate. Someone guessing from one place locks only
	// themselves out: the real user elsewhere can still sign in.
	PerAccountAddress Limit
	// PerAccount locks one email out from everywhere after Burst failures,
	// against guessing spread over many addresses. An attacker with that many
	// addresses can keep a user out for a while; that is the price of
	// stopping distributed guessing.
	PerAccount Limit
}

// DefaultLoginPolicy: 30 attempts at once from an address then 3 a minute;
// 5 failures lock an email at that address for 15 minutes; 20 failures from
// anywhere lock the email for 15 minutes.
var DefaultLoginPolicy = LoginPolicy{
	PerAddress:        Limit{Rate: 30, Period: 10 * time.Minute, Burst: 30},
	PerAccountAddress: Limit{Rate: 1, Period: 15 * time.Minute, Burst: 5},
	PerAccount:        Limit{Rate: 1, Period: 15 * time.Minute, Burst: 20},
}

// LoginGuard applies a LoginPolicy. Its keys do not depend on whether an
// account exists, so its answers are the same for unknown emails and cannot
// be used to find accounts.
type LoginGuard struct {
	limiter *Limiter
	policy  LoginPolicy
}

// NewLoginGuard returns a guard applying p with l.
func NewLoginGuard(l *Limiter, p LoginPolicy) *LoginGuard {
	return &LoginGuard{limiter: l, policy: p}
}

// Attempt is a sign-in attempt that passed the guard.
type Attempt struct {
	guard             *LoginGuard
	pairKey, emailKey string
}

// Begin spends one attempt for email from address. It returns *Exceeded
// (whose cause is errs.TooMany) when the address or the email is locked out.
func (g *LoginGuard) Begin(ctx context.Context, email, address string) (*Attempt, error) {
	addr := AddressKey(address)
	account := accountKey(email)
	if r := g.limiter.Allow(ctx, "login:addr:"+addr, g.policy.PerAddress); !r.Allowed {
		slog.WarnContext(ctx, "sign-in throttled", "limit", "address", "address", addr)
		return nil, TooMany(r.RetryAfter, "Too many sign-in attempts from your network. Try again in %s.", Wait(r.RetryAfter))
	}
	a := &Attempt{guard: g, pairKey: "login:fail:" + account + ":" + addr, emailKey: "login:fail:" + account}
	if r := g.limiter.Allow(ctx, a.pairKey, g.policy.PerAccountAddress); !r.Allowed {
		slog.WarnContext(ctx, "sign-in locked out", "limit", "account_address", "account", account, "address", addr)
		return nil, lockedOut(r.RetryAfter)
	}
	if r := g.limiter.Allow(ctx, a.emailKey, g.policy.PerAccount); !r.Allowed {
		slog.WarnContext(ctx, "sign-in locked out", "limit", "account", "account", account)
		return nil, lockedOut(r.RetryAfter)
	}
	return a, nil
}

func lockedOut(retry time.Duration) *Exceeded {
	return TooMany(retry, "Too many failed sign-in attempts for this email address. Try again in %s.", Wait(retry))
}

// Succeeded gives the email's failure budget back after a correct password.
// A failed attempt needs no call: its cost was spent in Begin.
func (a *Attempt) Succeeded(ctx context.Context) {
	a.guard.limiter.Reset(ctx, a.pairKey)
	a.guard.limiter.Reset(ctx, a.emailKey)
}

// accountKey names an email in limiter keys without storing the address
// itself in Redis.
func accountKey(email string) string {
	h := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return hex.EncodeToString(h[:12])
}

// AddressKey is the limiter key of a client address: IPv4 as it is, IPv6 by
// its /64 (one customer usually holds a whole /64), and anything that does
// not parse as itself.
func AddressKey(address string) string {
	ip, err := netip.ParseAddr(address)
	if err != nil {
		return address
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}
