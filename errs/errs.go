// Package errs holds the one error type of the service. Every package
// returns *Error for anything a caller (and finally a person) can act on;
// the api package alone decides which HTTP status each code becomes.
package errs

import (
	"errors"
	"fmt"
)

// Code says what kind of failure an Error is.
type Code string

// The codes. They are few on purpose: a caller decides what to do from
// the code, and a person reads the message.
const (
	Invalid      Code = "invalid"      // the input is wrong; Field names what
	NotFound     Code = "not_found"    // no such thing, or not yours to see
	Conflict     Code = "conflict"     // the thing is not in a state that allows this
	Forbidden    Code = "forbidden"    // you may see it but not do this
	Unauthorized Code = "unauthorized" // who you are is not established
	Unavailable  Code = "unavailable"  // a dependency is down; try again later
	TooMany      Code = "too_many"     // rate limited; try again later
	Mismatch     Code = "mismatch"     // e.g. an idempotency key reused with a different body
	Internal     Code = "internal"     // a bug or an unexpected failure
)

// Error is an error with a code, a message a person can act on and,
// for Invalid, the field that was wrong.
type Error struct {
	Code    Code
	Field   string
	Rule    string // for a refusal under a named rule (a legal restriction, say), its name
	Message string
	Err     error // the cause, if any; never shown to users
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// InvalidField reports bad input in the named field (a JSON path such as
// "needs[1].hours_per_week").
func InvalidField(field, format string, args ...any) *Error {
	return &Error{Code: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// RefusedField reports input in the named field that a named rule forbids,
// such as a direct payment for health care ("health_care"). It is Invalid.
func RefusedField(field, rule, format string, args ...any) *Error {
	return &Error{Code: Invalid, Field: field, Rule: rule, Message: fmt.Sprintf(format, args...)}
}

// NotFoundf reports a missing object (or one the actor may not see).
func NotFoundf(format string, args ...any) *Error {
	return &Error{Code: NotFound, Message: fmt.Sprintf(format, args...)}
}

// Conflictf reports an object in the wrong state for the operation.
func Conflictf(format string, args ...any) *Error {
	return &Error{Code: Conflict, Message: fmt.Sprintf(format, args...)}
}

// Forbiddenf reports an action the actor may not take.
func Forbiddenf(format string, args ...any) *Error {
	return &Error{Code: Forbidden, Message: fmt.Sprintf(format, args...)}
}

// Unauthorizedf reports a missing or bad credential.
func Unauthorizedf(format string, args ...any) *Error {
	return &Error{Code: Unauthorized, Message: fmt.Sprintf(format, args...)}
}

// Unavailablef reports a dependency that is down.
func Unavailablef(cause error, format string, args ...any) *Error {
	return &Error{Code: Unavailable, Message: fmt.Sprintf(format, args...), Err: cause}
}

// Internalf wraps an unexpected failure. Its message is logged, not shown.
func Internalf(cause error, format string, args ...any) *Error {
	return &Error{Code: Internal, Message: fmt.Sprintf(format, args...), Err: cause}
}

// CodeOf returns the code of err: the code of the first *Error in its chain,
// or Internal for any other non-nil error.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries the given code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }

// As returns the first *Error in err's chain, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}
