package frontend

import (
	"fmt"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/brokerage"
)

// dashboardPages is the managers' dashboard, for brokers and admins.
func dashboardPages(f *Frontend, r *Router) {
	r.Nav("Dashboard", "/dashboard", accounts.Broker, accounts.Admin)
	r.Get("/dashboard", f.dashboard, accounts.Broker, accounts.Admin)
}

type dashboardData struct {
	Headline []headlineFigure
	Empty    bool
	Status   BarChart
	Median   BarChart
	Overdue  BarChart
	Over     BarChart
	ByStatus Table
	ByTeam   Table
}

type headlineFigure struct {
	Value string
	Text  string
}

// Long says the figure is words ("less than a day"), drawn smaller.
func (h headlineFigure) Long() bool { return len(h.Value) > 8 }

// dashboardStatuses are the statuses the dashboard shows, in workflow order.
var dashboardStatuses = brokerage.Statuses

// dashboard shows how brokerage is going: requests by status, the median
// days from sign-off to agreement, overdue responses and the share of
// offers over budget, in all and by team. Each chart has the same figures
// in a table.
func (f *Frontend) dashboard(c *gin.Context) error {
	d, err := load(f, c, f.brokerage, (*brokerage.Service).Dashboard)
	if err != nil {
		return err
	}
	all := d.All
	data := dashboardData{Empty: all.Requests == 0}
	data.Headline = []headlineFigure{
		{fmt.Sprint(all.Requests - all.ByStatus[brokerage.Agreed] - all.ByStatus[brokerage.Cancelled]), "requests being worked"},
		{fmt.Sprint(all.Agreed), "agreed"},
		{medianText(all.MedianDaysToAgreement), "median from sign-off to agreement"},
		{fmt.Sprint(all.OverdueResponses), "responses overdue"},
		{percent(all.OverBudgetShare(), all.Offers), "of offers over budget"},
	}
	data.Status = BarChart{ID: "chart-status", Title: "Requests by status, all teams"}
	data.ByStatus = Table{Caption: "Requests by status and team", Small: true, FirstCellIsHeader: true, Head: []Cell{{Text: "Team"}}}
	for _, st := range dashboardStatuses {
		data.Status.Bars = append(data.Status.Bars, Bar{Label: st.Label(), Value: float64(all.ByStatus[st]), Text: fmt.Sprint(all.ByStatus[st])})
		data.ByStatus.Head = append(data.ByStatus.Head, Cell{Text: st.Label(), Numeric: true})
	}
	data.ByStatus.Head = append(data.ByStatus.Head, Cell{Text: "Total", Numeric: true})
	data.Median = BarChart{ID: "chart-median", Title: "Median days from sign-off to agreement, by team"}
	data.Overdue = BarChart{ID: "chart-overdue", Title: "Responses overdue, by team"}
	data.Over = BarChart{ID: "chart-over", Title: "Share of offers over budget, by team"}
	data.ByTeam = Table{Caption: "Figures by team", Small: true, FirstCellIsHeader: true, Head: []Cell{{Text: "Team"},
		{Text: "Requests", Numeric: true}, {Text: "Agreed", Numeric: true}, {Text: "Median days from sign-off to agreement", Numeric: true},
		{Text: "Responses overdue", Numeric: true}, {Text: "Offers", Numeric: true}, {Text: "Offers over budget", Numeric: true}}}
	for _, t := range append(d.Teams, all) {
		name := TeamName(t.Team)
		if t.Team == "" {
			name = "All teams"
		}
		row := []Cell{{Text: name}}
		for _, st := range dashboardStatuses {
			row = append(row, Cell{Text: fmt.Sprint(t.ByStatus[st]), Numeric: true})
		}
		data.ByStatus.Rows = append(data.ByStatus.Rows, append(row, Cell{Text: fmt.Sprint(t.Requests), Numeric: true}))
		data.ByTeam.Rows = append(data.ByTeam.Rows, []Cell{{Text: name}, {Text: fmt.Sprint(t.Requests), Numeric: true},
			{Text: fmt.Sprint(t.Agreed), Numeric: true}, {Text: medianText(t.MedianDaysToAgreement), Numeric: true},
			{Text: fmt.Sprint(t.OverdueResponses), Numeric: true}, {Text: fmt.Sprint(t.Offers), Numeric: true},
			{Text: fmt.Sprintf("%d (%s)", t.OffersOverBudget, percent(t.OverBudgetShare(), t.Offers)), Numeric: true}})
		if t.Team == "" {
			continue
		}
		median := 0.0
		if t.MedianDaysToAgreement != nil {
			median = *t.MedianDaysToAgreement
		}
		data.Median.Bars = append(data.Median.Bars, Bar{Label: name, Value: median, Text: medianText(t.MedianDaysToAgreement)})
		overdue := Bar{Label: name, Value: float64(t.OverdueResponses), Text: fmt.Sprint(t.OverdueResponses)}
		if t.OverdueResponses > 0 {
			overdue.Class = "app-chart__bar--alert"
		}
		data.Overdue.Bars = append(data.Overdue.Bars, overdue)
		data.Over.Bars = append(data.Over.Bars, Bar{Label: name, Value: t.OverBudgetShare(), Text: percent(t.OverBudgetShare(), t.Offers)})
	}
	return f.ok(c, "dashboard", View{Title: "Dashboard", Data: data})
}

func medianText(days *float64) string {
	switch {
	case days == nil:
		return "none agreed"
	case *days < 1:
		return "less than a day"
	case *days < 1.05:
		return "1 day"
	}
	return fmt.Sprintf("%.1f days", *days)
}

func percent(share float64, of int) string {
	if of == 0 {
		return "no offers"
	}
	return fmt.Sprintf("%.0f%%", share*100)
}
