package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
)

// notificationRoutes are every user's inbox and live events, and the
// admins' dead letters.
func (s *Server) notificationRoutes(authed *gin.RouterGroup) {
	authed.GET("/notifications", answer(http.StatusOK, onInput(s.inbox)))
	authed.POST("/notifications/:id/read", answer(http.StatusNoContent, onID(s.markRead)))
	authed.GET("/events", handle(s.events))
	authed.GET("/admin/notifications/dead-letters", allow(admin), answer(http.StatusOK, onInput(s.deadLetters)))
	authed.POST("/admin/notifications/:id/retry", allow(admin), answer(http.StatusOK, onID(s.Agreements.RetryDeadLetter)))
}

// inboxQuery is what GET /notifications reads: unread (true: only those
// not yet read) and limit (1 to 200).
type inboxQuery struct{ agreements.InboxFilter }

func (q *inboxQuery) readInput(c *gin.Context) (err error) {
	if q.Limit, err = queryInt(c, "limit", 0, 1, 200); err != nil {
		return err
	}
	q.UnreadOnly, err = queryBool(c, "unread")
	return err
}

// inbox lists the caller's notifications, newest first.
func (s *Server) inbox(ctx context.Context, a accounts.Actor, q inboxQuery) ([]agreements.Notification, error) {
	return s.Agreements.Inbox(ctx, a, q.InboxFilter)
}

// markRead marks one of the caller's notifications read; it answers with
// no content.
func (s *Server) markRead(ctx context.Context, a accounts.Actor, id uuid.UUID) (any, error) {
	return nil, s.Agreements.MarkRead(ctx, a, id)
}

// deadLetters lists the notifications that could not be delivered.
func (s *Server) deadLetters(ctx context.Context, a accounts.Actor, q listQuery) ([]agreements.Notification, error) {
	return s.Agreements.DeadLetters(ctx, a, q.Limit)
}
