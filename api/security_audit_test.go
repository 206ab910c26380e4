package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
)

// TestWhoLookedAtThisPersonsPlan is issue 6's done-when for the audit
// trail: reads of a person's plan recorded by the areas are answered by
// person, newest first, and the admin's query is itself recorded.
func TestWhoLookedAtThisPersonsPlan(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	adminUser, admin := h.user(accounts.NewUser{Email: "admin@council.example", Role: accounts.Admin})
	practitioner, _ := h.user(accounts.NewUser{Email: "pat@council.example", Role: accounts.Practitioner})
	broker, _ := h.user(accounts.NewUser{Email: "bo@council.example", Role: accounts.Broker})
	person, someoneElse := uuid.New(), uuid.New()
	ctx := context.Background()
	for _, e := range []audit.Entry{
		{Actor: practitioner.Actor(), Action: "plan.sign_off", ObjectType: "plan", ObjectID: "plan-1", PersonID: person},
		{Actor: broker.Actor(), Action: "plan.view", ObjectType: "plan", ObjectID: "plan-1", PersonID: person},
		{Actor: broker.Actor(), Action: "plan.view", ObjectType: "plan", ObjectID: "plan-2", PersonID: someoneElse},
		{Actor: practitioner.Actor(), Action: "plan.view", ObjectType: "plan", ObjectID: "plan-1", PersonID: person},
	} {
		if err := audit.Record(ctx, h.srv.DB, e); err != nil {
			t.Fatal(err)
		}
	}
	r := h.do("GET", "/api/v1/admin/audit?person_id="+person.String()+"&action=plan.view", admin, nil)
	wantStatus(t, r, http.StatusOK)
	var page auditPage
	if err := json.Unmarshal(r.Body, &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Events) != 2 || *page.Events[0].ActorUserID != practitioner.ID || *page.Events[1].ActorUserID != broker.ID {
		t.Fatalf("who looked at the plan: %s, want the practitioner then the broker", r.Body)
	}
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Fatal("the audit trail may be cached")
	}
	// The query is on the trail too, under the person.
	events, err := audit.Query(ctx, h.srv.DB, audit.Filter{PersonID: person, Action: "audit.query"})
	if err != nil || len(events) != 1 || *events[0].ActorUserID != adminUser.ID {
		t.Fatalf("the admin's look at the person's trail was not recorded: %+v %v", events, err)
	}
	// By actor and by object.
	r = h.do("GET", "/api/v1/admin/audit?actor_user_id="+broker.ID.String(), admin, nil)
	json.Unmarshal(r.Body, &page)
	if len(page.Events) != 2 {
		t.Fatalf("by actor: %s", r.Body)
	}
	r = h.do("GET", "/api/v1/admin/audit?object_type=plan&object_id=plan-2", admin, nil)
	json.Unmarshal(r.Body, &page)
	if len(page.Events) != 1 || page.Events[0].ObjectID != "plan-2" {
		t.Fatalf("by object: %s", r.Body)
	}
}

func TestAuditTrailPages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	_, admin := h.user(accounts.NewUser{Email: "admin@council.example", Role: accounts.Admin})
	person := uuid.New()
	for i := 0; i < 5; i++ {
		audit.Record(context.Background(), h.srv.DB, audit.Entry{Actor: accounts.SystemActor, Action: "plan.view", ObjectType: "plan", ObjectID: "p", PersonID: person})
	}
	var seen []int64
	next := "/api/v1/admin/audit?action=plan.view&limit=2&person_id=" + person.String()
	for page := 0; page < 4; page++ {
		r := h.do("GET", next, admin, nil)
		wantStatus(t, r, 200)
		var p auditPage
		json.Unmarshal(r.Body, &p)
		for _, e := range p.Events {
			seen = append(seen, e.ID)
		}
		if p.Next == "" {
			break
		}
		if !strings.Contains(p.Next, "action=plan.view") || !strings.Contains(p.Next, "limit=2") {
			t.Fatalf("the next page %q drops the filters", p.Next)
		}
		next = p.Next
	}
	if len(seen) != 5 {
		t.Fatalf("paging saw %d events, want 5: %v", len(seen), seen)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] >= seen[i-1] {
			t.Fatalf("not newest first without repeats: %v", seen)
		}
	}
}

func jsonNumber(n int64) string { b, _ := json.Marshal(n); return string(b) }

// auditPage is a page of the audit trail in the API's one list shape.
type auditPage struct {
	Events []audit.Event `json:"items"`
	Next   string        `json:"next"`
}

func TestAuditTrailRefusesBadFilters(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	_, admin := h.user(accounts.NewUser{Email: "admin@council.example", Role: accounts.Admin})
	_, broker := h.user(accounts.NewUser{Email: "broker@council.example", Role: accounts.Broker})
	for query, field := range map[string]string{
		"person_id=42":                         "person_id",
		"actor_user_id=not-a-uuid":             "actor_user_id",
		"person=" + uuid.NewString():           "person",
		"limit=0":                              "limit",
		"limit=501":                            "limit",
		"before_id=-3":                         "before_id",
		"action=a&action=b":                    "action",
		"person_id={" + uuid.NewString() + "}": "person_id",
	} {
		wantProblem(t, h.do("GET", "/api/v1/admin/audit?"+query, admin, nil), 400, field)
	}
	wantProblem(t, h.do("GET", "/api/v1/admin/audit", broker, nil), 403, "")
	wantProblem(t, h.do("GET", "/api/v1/admin/audit", "", nil), 401, "")
}
