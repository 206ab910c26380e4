// Package idempotency carries a caller's Idempotency-Key from the API into
// the transaction of the use case it calls, so the answer to the request is
// kept in the same transaction as its effect. A crash after the effect
// commits then cannot lose the answer: a retry with the same key gets it.
//
// The API puts a Keeper in the request's context when it has claimed a key;
// a use case calls Keep with its result as the last step of its
// transaction. Without a Keeper (no key, or a caller other than the API)
// Keep does nothing.
package idempotency

import (
	"context"

	"github.com/carebroker/carebroker/internal/postgres"
)

// Keeper stores, inside tx, the answer the request will be given for
// result. It is the API's: it knows the key, the status and the shape.
type Keeper func(ctx context.Context, tx *postgres.Tx, result any) error

type keeperKey struct{}

// WithKeeper returns ctx carrying k.
func WithKeeper(ctx context.Context, k Keeper) context.Context {
	return context.WithValue(ctx, keeperKey{}, k)
}

// Keep hands result, the value the use case returns, to the Keeper in ctx,
// inside tx, the use case's own transaction. Call it last in the
// transaction, once nothing can fail but the commit. It returns the
// Keeper's error (which rolls the effect back with it), or nil when ctx has
// no Keeper.
func Keep(ctx context.Context, tx *postgres.Tx, result any) error {
	k, _ := ctx.Value(keeperKey{}).(Keeper)
	if k == nil {
		return nil
	}
	return k(ctx, tx, result)
}
