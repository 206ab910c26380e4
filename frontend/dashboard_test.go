package frontend

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/plans"
)

func TestTheDashboardDrawsChartsWithTheirFiguresInTables(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	w.agreedRequest("community_led_support", "Dina Dash")
	w.overBudgetOffer("Ezra Over")
	w.homecareRequest("mental_health", "Fay Open", plans.Standard)
	b, _ := w.signedIn(accounts.Broker, "")

	r := b.get("/dashboard")
	wantStatus(t, r, http.StatusOK)
	body := r.Body.String()
	wantBody(t, r, `<span class="app-counts__number">2</span> <span class="app-counts__label">requests being worked</span>`,
		`<span class="app-counts__number">1</span> <span class="app-counts__label">agreed</span>`,
		`<span class="app-counts__number">50%</span> <span class="app-counts__label">of offers over budget</span>`,
		"Requests by status and team", "Figures by team", "Community Led Support", "Mental Health", "All teams", "1 (50%)")
	// Four charts, drawn without style attributes (the harness checks) and
	// hidden from screen readers, which read the tables.
	if n := strings.Count(body, `<svg class="app-chart__svg"`); n != 4 {
		t.Fatalf("%d charts", n)
	}
	if n := strings.Count(body, `aria-hidden="true" focusable="false"`); n != 4 {
		t.Fatalf("%d charts hidden from screen readers", n)
	}
	// The longest bar fills the space; Mental Health has no offers, so no bar.
	widths := regexp.MustCompile(`<rect class="app-chart__bar" x="230" y="\d+" width="(\d+)"`).FindAllStringSubmatch(body, -1)
	if len(widths) == 0 || widths[0][1] == "" {
		t.Fatal("no bars")
	}
	if !strings.Contains(body, `width="380"`) {
		t.Fatal("no bar fills the chart")
	}

	admin, _ := w.signedIn(accounts.Admin, "")
	wantStatus(t, admin.get("/dashboard"), http.StatusOK)
	for _, role := range []accounts.Role{accounts.Practitioner, accounts.BudgetApprover, accounts.Finance} {
		other, _ := w.signedIn(role, "community_led_support")
		wantStatus(t, other.get("/dashboard"), http.StatusForbidden)
	}
}

func TestAnEmptyDashboardSaysSo(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	b, _ := w.signedIn(accounts.Admin, "")
	r := b.get("/dashboard")
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "There are no requests yet", "none agreed", "no offers")
	if strings.Contains(r.Body.String(), "<svg") {
		t.Fatal("an empty dashboard draws charts")
	}
}

func TestBarsAreInProportionAndSmallValuesShow(t *testing.T) {
	t.Parallel()
	rows := BarChart{Bars: []Bar{{Value: 10}, {Value: 5}, {Value: 0.01}, {Value: 0}}}.Rows()
	if rows[0].Width != chartBarSpace || rows[1].Width != chartBarSpace/2 || rows[2].Width != 2 || rows[3].Width != 0 {
		t.Fatalf("widths %d %d %d %d", rows[0].Width, rows[1].Width, rows[2].Width, rows[3].Width)
	}
	if rows[1].Y <= rows[0].Y || rows[0].ValueX != chartLabelWidth+chartBarSpace+8 {
		t.Fatalf("layout %+v", rows[:2])
	}
	if empty := (BarChart{Bars: []Bar{{Value: 0}}}).Rows(); empty[0].Width != 0 {
		t.Fatal("a chart of zeros draws a bar")
	}
}
