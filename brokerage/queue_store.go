package brokerage

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// finalStatuses are left out of the queue unless asked for.
var finalStatuses = []Status{Agreed, Cancelled}

// queueWhere applies the filter's conditions to q.
func queueWhere(q *gorm.DB, f QueueFilter, now time.Time) *gorm.DB {
	switch f.Status {
	case "":
		q = q.Where("status NOT IN ?", finalStatuses)
	case "all":
	default:
		q = q.Where("status = ?", f.Status)
	}
	if f.Urgency != "" {
		q = q.Where("urgency = ?", f.Urgency)
	}
	if f.Team != "" {
		q = q.Where("team = ?", f.Team)
	}
	if f.DeadlineSoon {
		q = q.Where("status IN ? AND response_deadline >= ? AND response_deadline < ?",
			[]Status{Invited, OffersReceived}, now, now.Add(DeadlineSoonWindow))
	}
	if f.Overdue {
		q = q.Where("status IN ? AND response_deadline < ?", waitingStatuses, now)
	}
	return q
}

// queue returns the requests the filter keeps, up to its limit, nearest
// deadline first, and how many it keeps in all.
func (s *Store) queue(ctx context.Context, f QueueFilter, now time.Time) ([]Request, int, error) {
	var matched int64
	if err := queueWhere(s.db.Gorm(ctx).Model(&requestRow{}), f, now).Count(&matched).Error; err != nil {
		return nil, 0, dbErr(err)
	}
	var rows []requestRow
	err := queueWhere(s.db.Gorm(ctx), f, now).
		Order("response_deadline ASC NULLS LAST, created_at, id").Limit(f.Limit).Find(&rows).Error
	if err != nil {
		return nil, 0, dbErr(err)
	}
	return requestsOf(rows), int(matched), nil
}

// queueCounts counts the requests being worked, in one pass.
func (s *Store) queueCounts(ctx context.Context, now time.Time) (QueueCounts, error) {
	var rows []struct {
		Status       Status
		Total        int
		Urgent       int
		DeadlineSoon int
		Overdue      int
	}
	err := s.db.Gorm(ctx).Raw(`
		SELECT status,
		       count(*) AS total,
		       count(*) FILTER (WHERE urgency = 'urgent') AS urgent,
		       count(*) FILTER (WHERE status IN ('invited','offers_received') AND response_deadline >= ? AND response_deadline < ?) AS deadline_soon,
		       count(*) FILTER (WHERE status IN ? AND response_deadline < ?) AS overdue
		FROM requests
		WHERE status NOT IN ?
		GROUP BY status`, now, now.Add(DeadlineSoonWindow), waitingStatuses, now, finalStatuses).Scan(&rows).Error
	if err != nil {
		return QueueCounts{}, dbErr(err)
	}
	c := QueueCounts{ByStatus: map[Status]int{}}
	for _, r := range rows {
		c.ByStatus[r.Status] = r.Total
		c.Active += r.Total
		c.Urgent += r.Urgent
		c.DeadlineSoon += r.DeadlineSoon
		c.Overdue += r.Overdue
	}
	return c, nil
}
