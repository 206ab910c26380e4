package frontend

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
)

func adminAuditPages(f *Frontend, r *Router) {
	r.Nav("Audit trail", "/admin/audit", accounts.Admin)
	r.Get("/admin/audit", f.adminAudit, accounts.Admin)
}

// auditPageSize is how many events one page of the trail shows.
const auditPageSize = 50

type auditData struct {
	Person, Actor, ObjectID, Action Field
	ObjectType                      Options
	Table                           Table
	Searched                        bool
	Older                           string
	Count                           int
}

var auditObjectTypes = []Option{
	{Value: "", Text: "Any"}, {Value: "person", Text: "Person"}, {Value: "plan", Text: "Plan"}, {Value: "request", Text: "Request"},
	{Value: "invitation", Text: "Invitation"}, {Value: "offer", Text: "Offer"}, {Value: "agreement", Text: "Agreement"},
	{Value: "review_task", Text: "Review task"}, {Value: "notification", Text: "Notification"}, {Value: "user", Text: "User account"},
	{Value: "provider_organisation", Text: "Provider organisation"}, {Value: "framework", Text: "Framework"},
	{Value: "audit_trail", Text: "The audit trail itself"},
}

func auditForm() *Form {
	return NewForm(
		Field{Name: "person", Label: "Person", Hint: "Their full name, or their record id. Finds everything done to, or looked at in, their records."},
		Field{Name: "actor", Label: "Done by", Hint: "The email address of the account, or its id.", NoSpellcheck: true},
		Field{Name: "object_type", Label: "Kind of record"},
		Field{Name: "object_id", Label: "Record id", NoSpellcheck: true},
		Field{Name: "action", Label: "Action", Hint: "For example, plan.view, request.choose or user.disable.", NoSpellcheck: true},
	)
}

// adminAudit searches the audit trail, newest first, a page at a time.
// Searching by person is itself a look at their records, so every search
// is recorded in the trail, as the API's is.
func (f *Frontend) adminAudit(c *gin.Context) error {
	ctx, a := f.ctx(c), ActorOf(c)
	form := auditForm()
	q := c.Request.URL.Query()
	for _, name := range []string{"person", "actor", "object_type", "object_id", "action"} {
		form.Set(name, strings.TrimSpace(q.Get(name)))
	}
	filter := audit.Filter{ObjectType: form.Value("object_type"), ObjectID: form.Value("object_id"), Action: form.Value("action"), Limit: auditPageSize}
	if before, err := strconv.ParseInt(q.Get("before_id"), 10, 64); err == nil && before > 0 {
		filter.BeforeID = before
	}
	if p := form.Value("person"); p != "" {
		if id, ok := f.auditPerson(c, form, p); ok {
			filter.PersonID = id
		}
	}
	if who := form.Value("actor"); who != "" {
		if id, err := uuid.Parse(who); err == nil {
			filter.ActorUserID = id
		} else if u, err := f.deps.Accounts.UserByEmail(ctx, who); err == nil {
			filter.ActorUserID = u.ID
		} else if errs.Is(err, errs.NotFound) {
			form.Add("actor", "No account has the email address "+who)
		} else {
			return err
		}
	}
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusBadRequest
		filter = audit.Filter{Limit: auditPageSize}
	}
	events, err := audit.Query(ctx, f.deps.DB, filter)
	if err != nil {
		return err
	}
	if err := audit.Record(ctx, f.deps.DB, audit.Entry{Actor: a, Action: "audit.query", ObjectType: "audit_trail",
		ObjectID: c.Request.URL.RawQuery, PersonID: filter.PersonID, Summary: map[string]any{"results": len(events), "from": "web page"}}); err != nil {
		return err
	}
	d := auditData{Person: form.Field("person"), Actor: form.Field("actor"), ObjectID: form.Field("object_id"), Action: form.Field("action"),
		ObjectType: form.Options(Options{Name: "object_type", Legend: "Kind of record", Items: append([]Option(nil), auditObjectTypes...)}),
		Searched:   len(q) > 0, Count: len(events)}
	d.Table, err = f.auditTable(c, events)
	if err != nil {
		return err
	}
	if len(events) == auditPageSize {
		older := url.Values{}
		for k, v := range q {
			older[k] = v
		}
		older.Set("before_id", strconv.FormatInt(events[len(events)-1].ID, 10))
		d.Older = "/admin/audit?" + older.Encode()
	}
	return f.render(c, status, "admin_audit", View{Title: "Audit trail", Form: form, Data: d})
}

// auditPerson reads the person field: a record id, or a name that is one
// person's exactly.
func (f *Frontend) auditPerson(c *gin.Context, form *Form, p string) (uuid.UUID, bool) {
	if id, err := uuid.Parse(p); err == nil {
		return id, true
	}
	form.Set("person", p)
	return f.personNamed(c, form)
}

// auditTable writes the events with their actors' names.
func (f *Frontend) auditTable(c *gin.Context, events []audit.Event) (Table, error) {
	t := Table{Caption: "Events, newest first", Small: true, Head: []Cell{{Text: "When"}, {Text: "Who"}, {Text: "Action"},
		{Text: "Record"}, {Text: "Person"}, {Text: "Details"}}}
	names := map[uuid.UUID]string{}
	for _, e := range events {
		who := "The service itself"
		if e.ActorUserID != nil {
			name, ok := names[*e.ActorUserID]
			if !ok {
				u, err := f.deps.Accounts.User(f.ctx(c), *e.ActorUserID)
				switch {
				case err == nil:
					name = u.DisplayName
				case errs.Is(err, errs.NotFound):
					name = e.ActorUserID.String()
				default:
					return Table{}, err
				}
				names[*e.ActorUserID] = name
			}
			who = name + ", " + strings.ToLower(RoleName(accounts.Role(e.ActorRole)))
		}
		if e.OnBehalfOf != nil {
			who += ", on behalf of the " + *e.OnBehalfOf
		}
		record := strings.ReplaceAll(e.ObjectType, "_", " ")
		if e.ObjectID != "" {
			record += " " + shortID(e.ObjectID)
		}
		person := ""
		if e.PersonID != nil {
			person = shortID(e.PersonID.String())
		}
		t.Rows = append(t.Rows, []Cell{{Text: UKDateTime(e.At)}, {Text: who}, {Text: e.Action}, {Text: record}, {Text: person},
			{Text: summaryText(e.Summary)}})
	}
	return t, nil
}

// shortID writes a record id by its first 8 characters, as people quote
// them; search by the whole id to be exact.
func shortID(id string) string {
	if _, err := uuid.Parse(id); err == nil {
		return id[:8]
	}
	return id
}

// summaryText shortens an event's summary for the table.
func summaryText(raw []byte) string {
	s := string(raw)
	if s == "{}" || s == "null" {
		return ""
	}
	if len(s) > 200 {
		s = s[:197] + "..."
	}
	return fmt.Sprint(s)
}
