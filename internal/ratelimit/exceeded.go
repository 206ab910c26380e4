package ratelimit

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/carebroker/carebroker/errs"
)

// Exceeded is a refusal because a limit was reached. Its cause is an
// *errs.Error with code TooMany, so the API maps it to 429; RetryAfter
// becomes the Retry-After header.
type Exceeded struct {
	RetryAfter time.Duration
	Err        *errs.Error
}

// TooMany returns an Exceeded with the given wait and message.
func TooMany(retryAfter time.Duration, format string, args ...any) *Exceeded {
	return &Exceeded{RetryAfter: retryAfter, Err: &errs.Error{Code: errs.TooMany, Message: fmt.Sprintf(format, args...)}}
}

func (e *Exceeded) Error() string { return e.Err.Error() }

func (e *Exceeded) Unwrap() error { return e.Err }

// RetryAfterHeader is the Retry-After value: whole seconds, rounded up, at
// least 1.
func (e *Exceeded) RetryAfterHeader() string {
	return strconv.Itoa(max(1, int(math.Ceil(e.RetryAfter.Seconds()))))
}

// Wait says how long to wait in words a person reads: "40 seconds",
// "1 minute", "15 minutes" (rounded up).
func Wait(d time.Duration) string {
	if d <= 60*time.Second {
		s := max(1, int(math.Ceil(d.Seconds())))
		if s == 1 {
			return "1 second"
		}
		return strconv.Itoa(s) + " seconds"
	}
	m := int(math.Ceil(d.Minutes()))
	if m == 1 {
		return "1 minute"
	}
	return strconv.Itoa(m) + " minutes"
}
