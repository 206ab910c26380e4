package brokerage

import (
	"context"
	"sort"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/postgres"
)

// TeamFigures are the dashboard's figures for one council team, or for
// every team together.
type TeamFigures struct {
	Team     string         `json:"team"` // "" for every team together
	Requests int            `json:"requests"`
	ByStatus map[Status]int `json:"by_status"`
	// Agreed counts the requests agreed; MedianDaysToAgreement is the median
	// of the days from their plan's sign-off to their agreement (nil when
	// none is agreed yet).
	Agreed                int      `json:"agreed"`
	MedianDaysToAgreement *float64 `json:"median_days_to_agreement,omitempty"`
	// OverdueResponses counts invitations still waiting for the provider's
	// answer after their deadline, on requests still waiting for answers.
	OverdueResponses int `json:"overdue_responses"`
	// Offers and OffersOverBudget count the offers made and those above the
	// request's weekly budget.
	Offers           int `json:"offers"`
	OffersOverBudget int `json:"offers_over_budget"`
}

// OverBudgetShare is the share of offers over budget, from 0 to 1 (0 with
// no offers).
func (t TeamFigures) OverBudgetShare() float64 {
	if t.Offers == 0 {
		return 0
	}
	return float64(t.OffersOverBudget) / float64(t.Offers)
}

// Dashboard is the managers' view of brokerage: the figures of every team
// with requests, by team name's code, and of all teams together.
type Dashboard struct {
	Teams []TeamFigures `json:"teams"`
	All   TeamFigures   `json:"all"`
}

// Dashboard returns the figures managers watch: requests by status, the
// median days from sign-off to agreement, overdue responses and the share
// of offers over budget, by team and in all. Deadlines that have passed are
// swept first. It returns Forbidden for anyone but a broker or an admin.
func (s *Service) Dashboard(ctx context.Context, a accounts.Actor) (Dashboard, error) {
	if err := a.Require(accounts.Broker, accounts.Admin); err != nil {
		return Dashboard{}, err
	}
	if _, err := s.SweepDeadlines(ctx); err != nil {
		return Dashboard{}, err
	}
	ctx = postgres.TolerateLag(ctx) // figures to watch: the read replica may serve them
	byTeam := map[string]*TeamFigures{}
	figures := func(team *string) *TeamFigures {
		key := "\x00all"
		if team != nil {
			key = *team
		}
		f, ok := byTeam[key]
		if !ok {
			f = &TeamFigures{ByStatus: map[Status]int{}}
			if team != nil {
				f.Team = *team
			}
			byTeam[key] = f
		}
		return f
	}
	if err := s.store.dashboard(ctx, s.clock(), figures); err != nil {
		return Dashboard{}, err
	}
	d := Dashboard{All: *figures(nil)}
	for key, f := range byTeam {
		if key != "\x00all" {
			d.Teams = append(d.Teams, *f)
		}
	}
	sort.Slice(d.Teams, func(i, j int) bool { return d.Teams[i].Team < d.Teams[j].Team })
	return d, nil
}
