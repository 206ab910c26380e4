package api

import (
	"context"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/brokerage"
)

// requestsQuery is what GET /requests reads: status (repeated or
// comma-separated), person_id and plan_id.
type requestsQuery struct{ brokerage.RequestFilter }

func (q *requestsQuery) readInput(c *gin.Context) (err error) {
	for _, v := range c.QueryArray("status") {
		for _, st := range strings.Split(v, ",") {
			if st = strings.TrimSpace(st); st != "" {
				q.Statuses = append(q.Statuses, brokerage.Status(st))
			}
		}
	}
	if q.PersonID, err = queryID(c, "person_id"); err != nil {
		return err
	}
	q.PlanID, err = queryID(c, "plan_id")
	return err
}

// requests is the request queue, as the caller may see it.
func (s *Server) requests(ctx context.Context, a accounts.Actor, q requestsQuery) ([]brokerage.RequestView, error) {
	return s.Brokerage.Requests(ctx, a, q.RequestFilter)
}
