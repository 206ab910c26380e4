package frontend

import (
	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
)

// home is where a role lands after sign-in, and the first item of its
// service navigation. The work pages of each role replace the home
// handler with the real page (the request queue, the invitations ...)
// when they land; until then the page shows who is signed in and what the
// page is for, and no made-up data.
type home struct {
	Path    string
	Title   string // the page's h1, and its navigation text
	About   string // what people with this role do in the service
	Pending string // what this page will list
}

var homes = map[accounts.Role]home{
	accounts.Broker: {Path: "/broker/queue", Title: "Request queue",
		About:   "Brokers work the queue of brokerage requests: match each request against the provider directory, invite the best-placed providers, chase their responses, and record a person's choice when asked to.",
		Pending: "Brokerage requests waiting for you will be listed here."},
	accounts.BudgetApprover: {Path: "/approvals", Title: "Offers waiting for approval",
		About:   "Budget approvers decide whether an offer that costs more than the person's personal budget can go ahead.",
		Pending: "Offers over budget that need your decision will be listed here."},
	accounts.ProviderUser: {Path: "/provider/invitations", Title: "Invitations",
		About:   "Care providers answer the council's invitations with an offer or a decline, and keep their capacity and rates current.",
		Pending: "Invitations sent to your organisation, with their response deadlines, will be listed here."},
	accounts.Client: {Path: "/your-care", Title: "Your care and support",
		About:   "Here you can see the care and support the council is arranging for you, compare the offers from care providers, and choose the one you want.",
		Pending: "Your requests and the offers for them will be shown here."},
	accounts.Finance: {Path: "/finance/inbox", Title: "Finance notifications",
		About:   "The financial assessment team is told about every new service agreement, once, and acknowledges each one.",
		Pending: "New service agreements to acknowledge will be listed here."},
	accounts.Admin: {Path: "/admin", Title: "Administration",
		About:   "Administrators look after user accounts, provider frameworks and suspensions, and can search the audit trail.",
		Pending: "Links to users, frameworks, suspensions and the audit trail will be here."},
	accounts.Practitioner: {Path: "/practitioner/requests", Title: "Your team's requests",
		About:   "Practitioners sign off care and support plans, follow the requests for the people they work with, and complete review tasks.",
		Pending: "Requests and review tasks for your team will be listed here."},
}

// HomePath is the page a role lands on after sign-in.
func HomePath(r accounts.Role) string {
	if h, ok := homes[r]; ok {
		return h.Path
	}
	return "/sign-in"
}

var roleNames = map[accounts.Role]string{
	accounts.Practitioner:   "Practitioner",
	accounts.Broker:         "Broker",
	accounts.BudgetApprover: "Budget approver",
	accounts.ProviderUser:   "Care provider",
	accounts.Client:         "Person receiving care, or their representative",
	accounts.Finance:        "Financial assessment team",
	accounts.Admin:          "Administrator",
}

// RoleName is a role in words.
func RoleName(r accounts.Role) string {
	if n, ok := roleNames[r]; ok {
		return n
	}
	return humanise(string(r))
}

var teamNames = map[string]string{
	"initial_contact":        "Initial Contact",
	"community_led_support":  "Community Led Support",
	"learning_disability":    "Learning Disability",
	"mental_health":          "Mental Health",
	"community_response_hub": "Community Response Hub",
	"reablement":             "Reablement",
	"life_planning":          "Life Planning",
}

// TeamName is a council team in words.
func TeamName(team string) string {
	if n, ok := teamNames[team]; ok {
		return n
	}
	return humanise(team)
}

// homeNav puts each role's home page first in its service navigation.
func homeNav(r *Router) {
	for _, role := range accounts.Roles {
		if h, ok := homes[role]; ok {
			r.Nav(h.Title, h.Path, role)
		}
	}
}

// homePlaceholders registers, for each role whose home page no area has
// registered yet, a page that says who is signed in and what the page is
// for. An area that registers the real page at the home's path replaces
// it without touching this file.
func homePlaceholders(f *Frontend, r *Router) {
	for _, role := range accounts.Roles {
		if h, ok := homes[role]; ok && !r.registered("GET", h.Path) {
			r.Get(h.Path, f.homePage(h), role)
		}
	}
}

type homeData struct {
	Home    home
	Account SummaryList
}

func (f *Frontend) homePage(h home) Handler {
	return func(c *gin.Context) error {
		a := ActorOf(c)
		rows := []SummaryRow{{Key: "Name", Value: a.Name}, {Key: "Role", Value: RoleName(a.Role)}}
		if a.Team != "" {
			rows = append(rows, SummaryRow{Key: "Team", Value: TeamName(a.Team)})
		}
		if s := sessionOf(c); s != nil {
			rows = append(rows, SummaryRow{Key: "Email address", Value: s.User.Email})
		}
		return f.ok(c, "home", View{Title: h.Title, Data: homeData{Home: h, Account: SummaryList{Rows: rows}}})
	}
}
