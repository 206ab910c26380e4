package frontend

import (
	"fmt"
	"strings"

	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/money"
)

// The shortlist shows at most this many services to invite (the most one
// invitation may send to), and the reasons at most this many exclusions.
const (
	shortlistMax = 20
	excludedMax  = 50
)

// matchSection is the latest match run as the request page shows it: the
// ranked services as a shortlist to invite (checkboxes whose hints give the
// distance, the weekly cost and the matcher's reasons in plain English),
// or as a table when inviting is not possible now, and why the others were
// left out.
type matchSection struct {
	View          brokerage.MatchView
	RunAt         string
	CanInvite     bool
	Done          bool // the choice is made (or the request cancelled): the match folds away
	Shortlist     Options
	MoreRanked    int
	Ranked        Table
	Excluded      Table
	ExcludedShown int
}

func (m *matchSection) build(r brokerage.RequestView, invs []brokerage.InvitationView, form *Form) {
	m.RunAt = UKDateTime(m.View.RunAt)
	invited := map[string]bool{}
	for _, inv := range invs {
		invited[inv.ServiceID.String()] = true
	}
	switch r.Status {
	case brokerage.Matching, brokerage.Invited, brokerage.OffersReceived, brokerage.NoOffers:
		m.CanInvite = true
	case brokerage.Chosen, brokerage.Agreed, brokerage.Cancelled:
		m.Done = true
	}
	chosen := map[string]bool{}
	for _, v := range strings.Split(form.Value("service_ids"), ",") {
		chosen[v] = true
	}
	m.Shortlist = form.Options(Options{Name: "service_ids", Legend: "Choose the providers to invite", LegendSize: "m",
		Hint: fmt.Sprintf("Ranked best first. Invite up to %d at a time; each has until the response deadline to offer or decline.", shortlistMax)})
	m.Ranked = Table{Caption: "Services that can take the request", CaptionClass: "govuk-table__caption--m", Small: true,
		Head: []Cell{{Text: "Rank", Numeric: true}, {Text: "Provider"}, {Text: "Weekly cost", Numeric: true}, {Text: "Distance"}, {Text: "Why"}, {Text: "Score"}}}
	for _, s := range m.View.Ranked {
		name := providerService(s.ProviderName, s.ServiceName)
		if invited[s.ServiceID] {
			name += " (invited)"
		}
		if len(m.Ranked.Rows) < shortlistMax {
			m.Ranked.Rows = append(m.Ranked.Rows, []Cell{{Text: fmt.Sprint(s.Rank), Numeric: true}, {Text: name},
				{Text: s.WeeklyCost, Numeric: true}, {Text: km(s.DistanceKm)}, {Text: rankedWhy(s, r)}, {Text: scoreText(s)}})
		}
		if invited[s.ServiceID] {
			continue
		}
		if len(m.Shortlist.Items) == shortlistMax {
			m.MoreRanked++
			continue
		}
		m.Shortlist.Items = append(m.Shortlist.Items, Option{Value: s.ServiceID, Checked: chosen[s.ServiceID],
			Text: fmt.Sprintf("%d. %s", s.Rank, providerService(s.ProviderName, s.ServiceName)), Hint: rankedWhy(s, r) + " " + scoreText(s)})
	}
	m.Excluded = Table{Caption: "Services left out, and why", CaptionClass: "govuk-table__caption--s", Small: true,
		Head: []Cell{{Text: "Provider"}, {Text: "Distance"}, {Text: "Why it was left out"}}}
	for _, e := range m.View.Excluded {
		if len(m.Excluded.Rows) == excludedMax {
			break
		}
		m.Excluded.Rows = append(m.Excluded.Rows, []Cell{{Text: providerService(e.ProviderName, e.ServiceName)}, {Text: km(e.DistanceKm)}, {Text: reasonsText(e.Reasons)}})
	}
	m.ExcludedShown = len(m.Excluded.Rows)
}

// rankedWhy says, in plain English, what a broker weighs about a ranked
// service: how far, how much against the budget, and the matcher's notes.
func rankedWhy(s brokerage.RankedService, r brokerage.RequestView) string {
	parts := []string{km(s.DistanceKm), s.WeeklyCost + " a week"}
	if s.OverBudget {
		parts[1] += fmt.Sprintf(", %s over the %s budget: needs a budget approver", money.Format(s.WeeklyCostPence-r.BudgetWeeklyPence), money.Format(r.BudgetWeeklyPence))
	} else {
		parts[1] += fmt.Sprintf(", within the %s budget", money.Format(r.BudgetWeeklyPence))
	}
	for _, n := range s.Notes {
		if n.Code == "over_budget" {
			continue // said above
		}
		parts = append(parts, n.Text)
	}
	return sentence(strings.Join(parts, "; "))
}

// scoreText gives the score and what each part contributed, so a broker
// can tell a family why one home ranks above another: "Score 72.5 of 100:
// distance 23.8 of 25, quality rating 20.0 of 25, ...".
func scoreText(s brokerage.RankedService) string {
	var total int64
	parts := make([]string, len(s.ScoreParts))
	for i, p := range s.ScoreParts {
		total += p.Weight
		parts[i] = fmt.Sprintf("%s %.1f of %d", strings.ToLower(p.Label), p.Points, p.Weight)
	}
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf("Score %.1f of %d: %s.", s.Score, total, strings.Join(parts, ", "))
}

func reasonsText(rs []brokerage.Explained) string {
	texts := make([]string, len(rs))
	for i, r := range rs {
		texts[i] = r.Text
	}
	return sentence(strings.Join(texts, "; "))
}
