package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
)

// securityRoutes are the security area's routes: the audit trail for admins.
func (s *Server) securityRoutes(authed *gin.RouterGroup) {
	authed.GET("/admin/audit", allow(accounts.Admin), s.auditTrail)
}

// auditPage is the answer of GET /admin/audit.
type auditPage struct {
	Events []audit.Event `json:"events"`
	// NextBeforeID is the before_id that fetches the next (older) page, if
	// this page was full.
	NextBeforeID int64 `json:"next_before_id,omitempty"`
}

var auditQueryParams = map[string]bool{
	"person_id": true, "actor_user_id": true, "object_type": true, "object_id": true,
	"action": true, "before_id": true, "limit": true,
}

// auditTrail answers who did what to (or looked at) which record. Querying
// the trail by person is itself a look at that person's record, so it is
// recorded too.
func (s *Server) auditTrail(c *gin.Context) {
	f, err := auditFilter(c)
	if err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	events, err := audit.Query(ctx, s.DB, f)
	if err != nil {
		fail(c, err)
		return
	}
	if err := audit.Record(ctx, s.DB, audit.Entry{
		Actor: actor(c), Action: "audit.query", ObjectType: "audit_trail", ObjectID: c.Request.URL.RawQuery,
		PersonID: f.PersonID, Summary: map[string]any{"results": len(events)},
	}); err != nil {
		fail(c, err)
		return
	}
	page := auditPage{Events: events}
	if page.Events == nil {
		page.Events = []audit.Event{}
	}
	if len(events) == f.Limit {
		page.NextBeforeID = events[len(events)-1].ID
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, page)
}

// auditFilter reads the query string strictly: an unknown or repeated
// parameter is refused, so a typo cannot silently widen the answer.
func auditFilter(c *gin.Context) (audit.Filter, error) {
	f := audit.Filter{Limit: 100}
	for name, values := range c.Request.URL.Query() {
		if !auditQueryParams[name] {
			return f, errs.InvalidField(name, "is not a filter of the audit trail; use person_id, actor_user_id, object_type, object_id, action, before_id or limit")
		}
		if len(values) != 1 {
			return f, errs.InvalidField(name, "must be given once")
		}
	}
	q := c.Request.URL.Query()
	var err error
	if f.PersonID, err = optionalUUID(q.Get("person_id"), "person_id"); err != nil {
		return f, err
	}
	if f.ActorUserID, err = optionalUUID(q.Get("actor_user_id"), "actor_user_id"); err != nil {
		return f, err
	}
	f.ObjectType, f.ObjectID, f.Action = q.Get("object_type"), q.Get("object_id"), q.Get("action")
	for field, v := range map[string]string{"object_type": f.ObjectType, "object_id": f.ObjectID, "action": f.Action} {
		if len(v) > 200 {
			return f, errs.InvalidField(field, "must be at most 200 characters")
		}
	}
	if v := q.Get("before_id"); v != "" {
		if f.BeforeID, err = strconv.ParseInt(v, 10, 64); err != nil || f.BeforeID < 1 {
			return f, errs.InvalidField("before_id", "must be a positive whole number from next_before_id")
		}
	}
	if v := q.Get("limit"); v != "" {
		if f.Limit, err = strconv.Atoi(v); err != nil || f.Limit < 1 || f.Limit > 500 {
			return f, errs.InvalidField("limit", "must be a whole number from 1 to 500")
		}
	}
	return f, nil
}

func optionalUUID(v, field string) (uuid.UUID, error) {
	if v == "" {
		return uuid.Nil, nil
	}
	id, err := uuid.Parse(v)
	if err != nil || len(v) != 36 {
		return uuid.Nil, errs.InvalidField(field, "must be a UUID like 3f2b8c1e-5d4a-4e2b-9c7d-1a2b3c4d5e6f")
	}
	return id, nil
}
