package brokerage

import (
	"context"
	"time"
)

// dashboard reads the dashboard's figures, each query grouped by team and
// in all (GROUPING SETS: the team is NULL on the row for all teams), and
// hands each row to the figures of its team.
func (s *Store) dashboard(ctx context.Context, now time.Time, figures func(team *string) *TeamFigures) error {
	db := s.db.Gorm(ctx)
	var statuses []struct {
		Team   *string
		Status Status
		N      int
	}
	if err := db.Raw(`SELECT team, status, count(*) AS n FROM requests
		GROUP BY GROUPING SETS ((team, status), (status))`).Scan(&statuses).Error; err != nil {
		return dbErr(err)
	}
	for _, r := range statuses {
		f := figures(r.Team)
		f.ByStatus[r.Status] += r.N
		f.Requests += r.N
	}
	var agreed []struct {
		Team   *string
		N      int
		Median *float64
	}
	if err := db.Raw(`SELECT r.team, count(*) AS n,
			percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.at - p.signed_off_at) / 86400.0) AS median
		FROM requests r
		JOIN plans p ON p.id = r.plan_id
		JOIN LATERAL (SELECT at FROM request_transitions WHERE request_id = r.id AND to_status = 'agreed' ORDER BY id DESC LIMIT 1) t ON true
		WHERE r.status = 'agreed' AND p.signed_off_at IS NOT NULL
		GROUP BY GROUPING SETS ((r.team), ())`).Scan(&agreed).Error; err != nil {
		return dbErr(err)
	}
	for _, r := range agreed {
		f := figures(r.Team)
		f.Agreed, f.MedianDaysToAgreement = r.N, r.Median
	}
	var overdue []struct {
		Team *string
		N    int
	}
	if err := db.Raw(`SELECT r.team, count(*) AS n FROM invitations i JOIN requests r ON r.id = i.request_id
		WHERE i.status = 'sent' AND i.deadline < ? AND r.status IN ?
		GROUP BY GROUPING SETS ((r.team), ())`, now, waitingStatuses).Scan(&overdue).Error; err != nil {
		return dbErr(err)
	}
	for _, r := range overdue {
		figures(r.Team).OverdueResponses = r.N
	}
	var offers []struct {
		Team *string
		N    int
		Over int
	}
	if err := db.Raw(`SELECT r.team, count(*) AS n, count(*) FILTER (WHERE o.over_budget) AS over
		FROM offers o JOIN requests r ON r.id = o.request_id
		GROUP BY GROUPING SETS ((r.team), ())`).Scan(&offers).Error; err != nil {
		return dbErr(err)
	}
	for _, r := range offers {
		f := figures(r.Team)
		f.Offers, f.OffersOverBudget = r.N, r.Over
	}
	return nil
}
