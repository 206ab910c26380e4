package frontend

import (
	"fmt"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/accounts/useradmin"
)

// adminPages are the administrators' pages: their home, user accounts,
// frameworks, suspensions and the audit trail.
func adminPages(f *Frontend, r *Router) {
	r.Get("/admin", f.adminHome, accounts.Admin)
	adminUserPages(f, r)
	adminFrameworkPages(f, r)
	adminSuspensionPages(f, r)
	adminAuditPages(f, r)
}

type adminSection struct {
	Title string
	Href  string
	Count string
	About string
}

// adminHome lists what administrators look after, with how much of each.
func (f *Frontend) adminHome(c *gin.Context) error {
	ctx, a := f.ctx(c), ActorOf(c)
	active := false
	users, err := f.deps.UserAdmin.Users(ctx, a, useradmin.Filter{Disabled: &active})
	if err != nil {
		return err
	}
	dir, err := f.providers()
	if err != nil {
		return err
	}
	frameworks, err := dir.Frameworks(ctx)
	if err != nil {
		return err
	}
	suspensions, err := dir.CurrentSuspensions(ctx, a, f.today())
	if err != nil {
		return err
	}
	sections := []adminSection{
		{"User accounts", "/admin/users", fmt.Sprintf("%d active", len(users)), "Create accounts for staff, providers and people, with their role, team, organisation or person; disable accounts that should no longer sign in."},
		{"Frameworks", "/admin/frameworks", fmt.Sprint(len(frameworks)), "The frameworks, dynamic purchasing systems and contracts the council buys care under, and their lots."},
		{"Suspensions and embargoes", "/admin/suspensions", fmt.Sprintf("%d in force or to come", len(suspensions)), "Providers the council will not place with for now, and why. End one when it is lifted."},
		{"Audit trail", "/admin/audit", "", "Who did what, and who looked at whose records: search by person, user, record or action."},
		{"Dashboard", "/dashboard", "", "How brokerage is going, by team."},
	}
	return f.ok(c, "admin_home", View{Title: "Administration", Data: sections})
}
