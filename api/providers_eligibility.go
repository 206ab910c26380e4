package api

import (
	"context"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/day"
)

// eligibilityQuery is what GET /provider-services/:id/eligibility reads:
// the day to judge (?on=; zero when absent, for today).
type eligibilityQuery struct{ On day.Date }

func (q *eligibilityQuery) readInput(c *gin.Context) (err error) {
	q.On, err = queryDay(c, "on")
	return err
}

// eligibility says whether the service is compliant on a day (today by
// default), and why not: the matcher's rules, asked through brokerage, so
// the answer is the one a match on that day would give.
func (s *Server) eligibility(ctx context.Context, a accounts.Actor, id uuid.UUID, q eligibilityQuery) (brokerage.Eligibility, error) {
	if q.On.IsZero() {
		q.On = s.today()
	}
	if _, err := s.Providers.ServiceFor(ctx, a, id); err != nil {
		return brokerage.Eligibility{}, err
	}
	got, err := s.Brokerage.Eligibility(ctx, q.On, []uuid.UUID{id})
	return got[id], err
}
