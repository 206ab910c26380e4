package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
)

// securityRoutes are the security area's routes: the audit trail for admins.
func (s *Server) securityRoutes(authed *gin.RouterGroup) {
	authed.GET("/admin/audit", allow(admin), answer(http.StatusOK, onInput(s.auditTrail)))
}

// auditQuery is what GET /admin/audit reads: its filters, limit (1 to 500,
// 100 by default) and before_id, the cursor in a page's next.
type auditQuery struct {
	paging
	audit.Filter
	raw string // the query as sent, for the record of the look
}

var auditQueryParams = map[string]bool{
	"person_id": true, "actor_user_id": true, "object_type": true, "object_id": true,
	"action": true, "before_id": true, "limit": true,
}

// readInput reads the query string strictly: an unknown or repeated
// parameter is refused, so a typo cannot silently widen the answer.
func (q *auditQuery) readInput(c *gin.Context) (err error) {
	for name, values := range c.Request.URL.Query() {
		if !auditQueryParams[name] {
			return errs.InvalidField(name, "is not a filter of the audit trail; use person_id, actor_user_id, object_type, object_id, action, before_id or limit")
		}
		if len(values) != 1 {
			return errs.InvalidField(name, "must be given once")
		}
	}
	if q.PersonID, err = queryID(c, "person_id"); err != nil {
		return err
	}
	if q.ActorUserID, err = queryID(c, "actor_user_id"); err != nil {
		return err
	}
	q.ObjectType, q.ObjectID, q.Action = c.Query("object_type"), c.Query("object_id"), c.Query("action")
	for field, v := range map[string]string{"object_type": q.ObjectType, "object_id": q.ObjectID, "action": q.Action} {
		if len(v) > 200 {
			return errs.InvalidField(field, "must be at most 200 characters")
		}
	}
	before, err := queryInt(c, "before_id", 0, 1, 0)
	if err != nil {
		return err
	}
	q.BeforeID, q.raw = int64(before), c.Request.URL.RawQuery
	err = q.readPaging(c, 100, 500)
	q.Filter.Limit = q.paging.Limit
	return err
}

// auditTrail answers who did what to (or looked at) which record, newest
// first, a page at a time: a full page's next is the older page. Querying
// the trail by person is itself a look at that person's record, so it is
// recorded too.
func (s *Server) auditTrail(ctx context.Context, a accounts.Actor, q auditQuery) (list, error) {
	events, err := audit.Query(ctx, s.DB, q.Filter)
	if err != nil {
		return list{}, err
	}
	if err := audit.Record(ctx, s.DB, audit.Entry{
		Actor: a, Action: "audit.query", ObjectType: "audit_trail", ObjectID: q.raw,
		PersonID: q.PersonID, Summary: map[string]any{"results": len(events)},
	}); err != nil {
		return list{}, err
	}
	last := ""
	if len(events) > 0 {
		last = strconv.FormatInt(events[len(events)-1].ID, 10)
	}
	return q.list(events, len(events), "before_id", last), nil
}
