package api

import (
	"context"
	"log/slog"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
)

// handlerFunc is an API handler, as pkgsite's are: it reads what the route
// takes, makes one call and renders the answer, and returns any error it
// meets for handle to write.
type handlerFunc func(c *gin.Context) error

// handle makes h a gin handler. It is the one adapter between a handler
// and fail, the one mapping from errors to statuses; every route's handler
// is wrapped by it once. An error after h began its answer (a stream cut
// short) can no longer be sent, so it is logged.
func handle(h handlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		err := h(c)
		if err == nil {
			return
		}
		if c.Writer.Written() {
			slog.ErrorContext(c.Request.Context(), "request failed after its answer began", "request_id", requestID(c), "error", err.Error())
			return
		}
		fail(c, err)
	}
}

// useCase is the shape most routes' use cases are brought to: the
// signed-in actor, the path's id (uuid.Nil on a route without :id) and
// the route's input B: its strict JSON body, or, for an inputReader, what
// it reads itself (a list's filter from the query string); noBody for none.
type useCase[B, T any] = func(ctx context.Context, a accounts.Actor, id uuid.UUID, in B) (T, error)

// noBody is the input of a route that reads none.
type noBody struct{}

// inputReader is an input that reads itself from the request: a list's
// filter from the query string, or a file from the body.
type inputReader interface {
	readInput(c *gin.Context) error
}

// answer makes the handler of a route that makes one call: it reads the
// path's :id when the route has one and the input B, calls uc as the
// signed-in actor and renders what it returns with status.
func answer[B, T any](status int, uc useCase[B, T]) gin.HandlerFunc {
	return answerIn(requestContext, status, uc)
}

// answerKept is answer for a use case that keeps its answer with its
// effect, in its own transaction (keepInTx): a retry after a crash between
// the two still gets the first answer.
func answerKept[B, T any](status int, uc useCase[B, T]) gin.HandlerFunc {
	return answerIn(keepInTx, status, uc)
}

func requestContext(c *gin.Context, _ int) context.Context { return c.Request.Context() }

func answerIn[B, T any](contextOf func(*gin.Context, int) context.Context, status int, uc useCase[B, T]) gin.HandlerFunc {
	return handle(func(c *gin.Context) error {
		id, in, err := idAndInput[B](c)
		if err != nil {
			return err
		}
		v, err := uc(contextOf(c, status), actor(c), id, in)
		if err != nil {
			return err
		}
		return render(c, status, v)
	})
}

// idAndInput reads a route's inputs: the path's :id when the route has one
// (a malformed one is not found), then the input B: nothing for noBody,
// what an inputReader reads, otherwise the strict JSON body.
func idAndInput[B any](c *gin.Context) (id uuid.UUID, in B, err error) {
	if _, ok := c.Params.Get("id"); ok {
		if id, err = pathID(c); err != nil {
			return id, in, err
		}
	}
	switch input := any(&in).(type) {
	case *noBody:
	case inputReader:
		err = input.readInput(c)
	default:
		err = bindJSON(c, &in)
	}
	return id, in, err
}

// onID brings a use case on the path's id alone to answer's shape.
func onID[T any](uc func(context.Context, accounts.Actor, uuid.UUID) (T, error)) useCase[noBody, T] {
	return func(ctx context.Context, a accounts.Actor, id uuid.UUID, _ noBody) (T, error) { return uc(ctx, a, id) }
}

// onInput brings a use case on the input alone (a route without :id) to
// answer's shape.
func onInput[B, T any](uc func(context.Context, accounts.Actor, B) (T, error)) useCase[B, T] {
	return func(ctx context.Context, a accounts.Actor, _ uuid.UUID, in B) (T, error) { return uc(ctx, a, in) }
}

// forActor brings a use case on the signed-in actor alone to answer's
// shape.
func forActor[T any](uc func(context.Context, accounts.Actor) (T, error)) useCase[noBody, T] {
	return func(ctx context.Context, a accounts.Actor, _ uuid.UUID, _ noBody) (T, error) { return uc(ctx, a) }
}

// reasonBody is the body of a change that says why: {"reason": "..."}.
type reasonBody struct {
	Reason string `json:"reason"`
}

// noteBody is the body of a decision with a note: {"note": "..."}.
type noteBody struct {
	Note string `json:"note"`
}

// textUseCase is a use case that takes one piece of text from the body:
// the reason for a change, or a note on a decision.
type textUseCase[T any] = func(context.Context, accounts.Actor, uuid.UUID, string) (T, error)

// withReason brings a use case that takes the reason for a change to
// answer's shape, reading it from a reasonBody.
func withReason[T any](uc textUseCase[T]) useCase[reasonBody, T] { return withText[reasonBody](uc) }

// withNote brings a use case that takes a note to answer's shape, reading
// it from a noteBody.
func withNote[T any](uc textUseCase[T]) useCase[noteBody, T] { return withText[noteBody](uc) }

// withText brings a use case that takes one piece of text to answer's
// shape, reading it from the body B.
func withText[B interface{ text() string }, T any](uc textUseCase[T]) useCase[B, T] {
	return func(ctx context.Context, a accounts.Actor, id uuid.UUID, body B) (T, error) {
		return uc(ctx, a, id, body.text())
	}
}

func (b reasonBody) text() string { return b.Reason }
func (b noteBody) text() string   { return b.Note }
