package frontend

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/accounts/useradmin"
	"github.com/carebroker/carebroker/errs"
)

func adminUserPages(f *Frontend, r *Router) {
	r.Nav("Users", "/admin/users", accounts.Admin)
	r.Get("/admin/users", f.adminUsers, accounts.Admin)
	r.Get("/admin/users/new", formPage(f.drawNewUser, newUserForm), accounts.Admin)
	r.Post("/admin/users", f.adminCreateUser, accounts.Admin)
	r.Get("/admin/users/:id/disable", formPage(f.drawDisable, disableForm), accounts.Admin)
	r.Post("/admin/users/:id/disable", f.adminDisableUser, accounts.Admin)
}

type usersData struct {
	Role   Options
	Search Field
	Table  Table
	Count  int
}

func roleOptions(first string) []Option {
	items := []Option{{Value: "", Text: first}}
	for _, r := range accounts.Roles {
		items = append(items, Option{Value: string(r), Text: RoleName(r)})
	}
	return items
}

// adminUsers lists the accounts, by role and by a part of the name or
// email address.
func (f *Frontend) adminUsers(c *gin.Context) error {
	ctx, a := f.ctx(c), ActorOf(c)
	form := NewForm(Field{Name: "role"}, Field{Name: "q", Label: "Name or email address contains"})
	form.Set("role", c.Query("role"))
	form.Set("q", strings.TrimSpace(c.Query("q")))
	status := http.StatusOK
	users, err := f.deps.UserAdmin.Users(ctx, a, useradmin.Filter{Role: accounts.Role(form.Value("role")), Search: form.Value("q")})
	if form.AddError(err) {
		status = http.StatusBadRequest
		users, err = f.deps.UserAdmin.Users(ctx, a, useradmin.Filter{})
	}
	if err != nil {
		return err
	}
	names, err := f.organisationNames(c, users)
	if err != nil {
		return err
	}
	t := Table{Caption: "User accounts", Small: true, Head: []Cell{{Text: "Name"}, {Text: "Email address"}, {Text: "Role"},
		{Text: "Works for"}, {Text: "Status"}, {Text: "Action"}}}
	for _, u := range users {
		status := Tag{Text: "Active", Class: "govuk-tag--green"}
		action := Cell{Text: "Disable " + u.DisplayName + "'s account", Href: "/admin/users/" + u.ID.String() + "/disable"}
		if u.DisabledAt != nil {
			status = Tag{Text: "Disabled", Class: "govuk-tag--grey"}
			action = Cell{Text: "Disabled on " + UKDate(*u.DisabledAt)}
		}
		if u.ID == a.UserID {
			action = Cell{Text: "Your account"}
		}
		t.Rows = append(t.Rows, []Cell{{Text: u.DisplayName}, {Text: u.Email}, {Text: RoleName(u.Role)}, {Text: worksFor(u, names)}, {Tag: &status}, action})
	}
	d := usersData{Role: form.Options(Options{Name: "role", Legend: "Role", Items: roleOptions("Every role")}), Search: form.Field("q"), Table: t, Count: len(users)}
	return f.render(c, status, "admin_users", View{Title: "User accounts", Form: form, Data: d})
}

// organisationNames names the provider organisations of the provider users.
func (f *Frontend) organisationNames(c *gin.Context, users []accounts.User) (map[uuid.UUID]string, error) {
	names := map[uuid.UUID]string{}
	dir, err := f.providers()
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if u.ProviderOrgID == nil || names[*u.ProviderOrgID] != "" {
			continue
		}
		org, err := dir.Organisation(f.ctx(c), *u.ProviderOrgID)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return nil, err
		}
		names[*u.ProviderOrgID] = org.Name
	}
	return names, nil
}

func worksFor(u accounts.User, orgs map[uuid.UUID]string) string {
	switch {
	case u.Team != nil:
		return TeamName(*u.Team)
	case u.ProviderOrgID != nil:
		return orgs[*u.ProviderOrgID]
	case u.PersonID != nil:
		return "Their own care (or as a representative)"
	}
	return "The council"
}

type newUserData struct {
	Name, Email, Organisation, Person, Password Field
	Role, Team                                  Options
}

func newUserForm() *Form {
	return NewForm(
		Field{Name: "display_name", Label: "Full name", Autocomplete: "off", NoSpellcheck: true},
		Field{Name: "email", Label: "Email address", Type: "email", Autocomplete: "off", NoSpellcheck: true},
		Field{Name: "role", Label: "Role"},
		Field{Name: "team", Label: "Team", Hint: "Practitioners only: the council team whose people they work with."},
		Field{Name: "organisation", Label: "Provider organisation", Hint: "Care providers only: the organisation's name exactly as in the provider directory."},
		Field{Name: "person", Label: "Person", Hint: "People and their representatives only: the full name of the person whose care this account sees."},
		Field{Name: "password", Label: "Temporary password", Type: "password", Autocomplete: "new-password",
			Hint: "At least 12 characters. Give it to them in person or by phone, never by email."},
	)
}

func (f *Frontend) drawNewUser(c *gin.Context, status int, form *Form) error {
	teams := []Option{{Value: "", Text: "Not a practitioner"}}
	for _, t := range accounts.Teams {
		teams = append(teams, Option{Value: t, Text: TeamName(t)})
	}
	roles := roleOptions("")[1:]
	d := newUserData{Name: form.Field("display_name"), Email: form.Field("email"), Organisation: form.Field("organisation"),
		Person: form.Field("person"), Password: form.Field("password"),
		Role: form.Options(Options{Name: "role", Legend: "Role", Items: roles}),
		Team: form.Options(Options{Name: "team", Legend: "Team", Hint: form.Field("team").Hint, Items: teams})}
	return f.render(c, status, "admin_user_new", View{Title: "Create a user account", Form: form, Data: d})
}

// adminCreateUser creates an account. A provider user is bound to the
// organisation named exactly, a person's account to the person named
// exactly (an administrator finds them by name, not by record id).
func (f *Frontend) adminCreateUser(c *gin.Context) error {
	ctx, a := f.ctx(c), ActorOf(c)
	form := newUserForm().Bind(c)
	role := accounts.Role(form.Value("role"))
	n := accounts.NewUser{Email: form.Value("email"), DisplayName: form.Value("display_name"), Password: form.Value("password"), Role: role}
	switch role {
	case "":
		form.Add("role", "Choose the role of the account")
	case accounts.Practitioner:
		if n.Team = form.Value("team"); n.Team == "" {
			form.Add("team", "Choose the practitioner's team")
		}
	case accounts.ProviderUser:
		if id, ok := f.organisationNamed(c, form); ok {
			n.ProviderOrgID = &id
		}
	case accounts.Client:
		if id, ok := f.personNamed(c, form); ok {
			n.PersonID = &id
		}
	}
	if form.HasErrors() {
		return f.drawNewUser(c, http.StatusBadRequest, form)
	}
	return f.once(c, "/admin/users", func() error {
		u, err := f.deps.UserAdmin.Create(ctx, a, n)
		if addFormError(form, err, map[string]string{"provider_org_id": "organisation", "person_id": "person"}) ||
			conflictOnField(form, err, "email", "An account with this email address already exists") {
			return f.drawNewUser(c, http.StatusBadRequest, form)
		} else if err != nil {
			return err
		}
		return f.flashTo(c, fmt.Sprintf("%s's account is ready: %s can now sign in as a %s", u.DisplayName, u.Email, strings.ToLower(RoleName(u.Role))), "/admin/users")
	})
}

// conflictOnField shows a Conflict about a field (an email address taken)
// as that field's error.
func conflictOnField(form *Form, err error, field, message string) bool {
	if e := errs.As(err); e != nil && e.Code == errs.Conflict && e.Field == field {
		form.Add(field, message)
		return true
	}
	return false
}

// organisationNamed finds the one organisation with the name given, or
// says on the form why not.
func (f *Frontend) organisationNamed(c *gin.Context, form *Form) (uuid.UUID, bool) {
	name := form.Value("organisation")
	if name == "" {
		form.Add("organisation", "Enter the name of the provider organisation")
		return uuid.Nil, false
	}
	dir, err := f.providers()
	if err != nil {
		form.Add("organisation", "The provider directory is not available; try again later")
		return uuid.Nil, false
	}
	orgs, err := dir.Organisations(f.ctx(c), ActorOf(c), name, 20, 0)
	if err != nil {
		form.Add("organisation", "The provider directory could not be searched; try again later")
		return uuid.Nil, false
	}
	var exact []uuid.UUID
	var near []string
	for _, o := range orgs {
		if strings.EqualFold(o.Name, name) {
			exact = append(exact, o.ID)
		}
		near = append(near, o.Name)
	}
	switch {
	case len(exact) == 1:
		return exact[0], true
	case len(exact) > 1:
		form.Add("organisation", fmt.Sprintf("%d organisations are called %s: ask the brokerage team which one", len(exact), name))
	case len(near) > 0 && len(near) <= 5:
		form.Add("organisation", fmt.Sprintf("No provider is called exactly %s. Did you mean %s?", name, strings.Join(near, ", or ")))
	default:
		form.Add("organisation", "No provider in the directory is called "+name)
	}
	return uuid.Nil, false
}

// personNamed finds the one person with the name given, or says on the
// form why not.
func (f *Frontend) personNamed(c *gin.Context, form *Form) (uuid.UUID, bool) {
	name := form.Value("person")
	svc, err := f.brokerage()
	if name == "" || err != nil {
		form.Add("person", "Enter the full name of the person whose care this account sees")
		return uuid.Nil, false
	}
	found, err := svc.Plans().FindPersons(f.ctx(c), ActorOf(c), name)
	if err != nil {
		form.Add("person", "Enter the person's full name")
		return uuid.Nil, false
	}
	var exact []uuid.UUID
	for _, p := range found {
		if strings.EqualFold(p.Name, name) {
			exact = append(exact, p.ID)
		}
	}
	switch len(exact) {
	case 1:
		return exact[0], true
	case 0:
		form.Add("person", "No person is recorded as "+name+": check the name with their practitioner")
	default:
		form.Add("person", fmt.Sprintf("%d people are called %s: ask their practitioner which record is theirs", len(exact), name))
	}
	return uuid.Nil, false
}

type disableData struct {
	User    accounts.User
	Summary SummaryList
	Reason  Field
}

func disableForm() *Form {
	return NewForm(Field{Name: "reason", Label: "Why are you disabling this account?", Hint: "For example, they have left the council. The audit trail keeps this."})
}

func (f *Frontend) drawDisable(c *gin.Context, status int, form *Form) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u, err := f.deps.UserAdmin.User(f.ctx(c), ActorOf(c), id)
	if err != nil {
		return err
	}
	names, err := f.organisationNames(c, []accounts.User{u})
	if err != nil {
		return err
	}
	d := disableData{User: u, Reason: form.Field("reason"), Summary: SummaryList{Rows: []SummaryRow{
		{Key: "Name", Value: u.DisplayName}, {Key: "Email address", Value: u.Email}, {Key: "Role", Value: RoleName(u.Role)},
		{Key: "Works for", Value: worksFor(u, names)}}}}
	return f.render(c, status, "admin_user_disable", View{Title: "Disable " + u.DisplayName + "'s account", Form: form, Data: d})
}

// adminDisableUser disables an account: its sessions end at once.
func (f *Frontend) adminDisableUser(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	form := disableForm().Bind(c)
	if form.Value("reason") == "" {
		form.Add("reason", "Enter why you are disabling the account")
		return f.drawDisable(c, http.StatusBadRequest, form)
	}
	return f.once(c, "/admin/users", func() error {
		u, err := f.deps.UserAdmin.Disable(f.ctx(c), ActorOf(c), id, form.Value("reason"))
		if form.AddError(err) {
			return f.drawDisable(c, http.StatusBadRequest, form)
		} else if err != nil {
			return err
		}
		return f.flashTo(c, u.DisplayName+"'s account is disabled and signed out everywhere", "/admin/users")
	})
}
