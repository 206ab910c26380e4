package brokerage

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/plans"
)

func references(q Queue) map[string]bool {
	out := map[string]bool{}
	for _, r := range q.Items {
		out[r.Reference] = true
	}
	return out
}

func (f *fixture) queue(a accounts.Actor, filter QueueFilter) Queue {
	f.t.Helper()
	q, err := f.svc.Queue(ctx, a, filter)
	if err != nil {
		f.t.Fatal(err)
	}
	return q
}

func TestTheQueueFiltersAndCountsWhatBrokersWork(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	home := f.provider("homecare", providerOpts{})
	// Person 1: homecare (standard) invited, day service (interim) open.
	broker, _, invited, _ := f.invited("Queue One", home)
	// Person 2 in another team: both requests open; the day service is cancelled.
	mh := f.practitioner("mental_health")
	_, _, other := f.signedOff(mh, "Queue Two")
	if _, err := f.svc.CancelRequest(ctx, broker, other[1].ID, "met by family"); err != nil {
		t.Fatal(err)
	}
	var dayOne Request
	for _, r := range f.queue(broker, QueueFilter{Urgency: plans.Interim}).Items {
		dayOne = r.Request
	}

	all := f.queue(broker, QueueFilter{})
	if all.Matched != 3 || len(all.Items) != 3 || references(all)[other[1].Reference] {
		t.Fatalf("active queue: %d matched, %v; the cancelled request must not be in it", all.Matched, references(all))
	}
	// Nearest deadline first: the invited request leads.
	if all.Items[0].ID != invited.ID || all.Items[0].PersonName != "Queue One" {
		t.Fatalf("first in the queue: %s (%s)", all.Items[0].Reference, all.Items[0].PersonName)
	}
	c := all.Counts
	if c.Active != 3 || c.ByStatus[Invited] != 1 || c.ByStatus[Open] != 2 || c.ByStatus[Cancelled] != 0 || c.Urgent != 0 || c.DeadlineSoon != 0 || c.Overdue != 0 {
		t.Fatalf("counts %+v", c)
	}
	for _, tc := range []struct {
		name   string
		filter QueueFilter
		want   []string
	}{
		{"cancelled", QueueFilter{Status: "cancelled"}, []string{other[1].Reference}},
		{"all", QueueFilter{Status: "all"}, []string{invited.Reference, dayOne.Reference, other[0].Reference, other[1].Reference}},
		{"interim", QueueFilter{Urgency: plans.Interim}, []string{dayOne.Reference}},
		{"team", QueueFilter{Team: "mental_health"}, []string{other[0].Reference}},
		{"invited standard", QueueFilter{Status: "invited", Urgency: plans.Standard}, []string{invited.Reference}},
		{"deadline soon", QueueFilter{DeadlineSoon: true}, nil},
		{"limit", QueueFilter{Status: "all", Limit: 1}, []string{invited.Reference}},
	} {
		q := f.queue(broker, tc.filter)
		got := references(q)
		if len(got) != len(tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
		for _, ref := range tc.want {
			if !got[ref] {
				t.Errorf("%s: %s missing from %v", tc.name, ref, got)
			}
		}
	}
	if q := f.queue(broker, QueueFilter{Status: "all", Limit: 1}); q.Matched != 4 {
		t.Errorf("a limited page says %d matched, want 4", q.Matched)
	}

	// A standard request invited on Tuesday 1 December at 10:00 must be
	// answered by 10:00 on Tuesday 8 December: within a day of it, the
	// deadline is soon.
	f.advance(6*24*time.Hour + 11*time.Hour) // Monday 7 December, 21:00
	soon := f.queue(broker, QueueFilter{DeadlineSoon: true})
	if len(soon.Items) != 1 || soon.Items[0].ID != invited.ID || soon.Counts.DeadlineSoon != 1 || soon.Counts.Overdue != 0 {
		t.Fatalf("deadline soon: %v, counts %+v", references(soon), soon.Counts)
	}
	// Past it, with no offer, the sweep moves the request to no offers,
	// and it is overdue.
	f.advance(14 * time.Hour)
	late := f.queue(broker, QueueFilter{Overdue: true})
	if len(late.Items) != 1 || late.Items[0].ID != invited.ID || late.Items[0].Status != NoOffers {
		t.Fatalf("overdue: %+v", late.Items)
	}
	if late.Counts.Overdue != 1 || late.Counts.DeadlineSoon != 0 || late.Counts.ByStatus[NoOffers] != 1 {
		t.Fatalf("counts after the deadline %+v", late.Counts)
	}
}

func TestOnlyBrokersHaveAQueueAndBadFiltersAreNamed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	broker := f.actor(accounts.Broker, "", nil, nil)
	for _, role := range []accounts.Role{accounts.Practitioner, accounts.BudgetApprover, accounts.Admin, accounts.Client, accounts.ProviderUser} {
		a := accounts.Actor{UserID: uuid.New(), Role: role, Team: "mental_health"}
		if _, err := f.svc.Queue(ctx, a, QueueFilter{}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("%s: %v, want Forbidden", role, err)
		}
	}
	for field, filter := range map[string]QueueFilter{
		"status":  {Status: "lost"},
		"urgency": {Urgency: "whenever"},
		"team":    {Team: "the_a_team"},
	} {
		_, err := f.svc.Queue(ctx, broker, filter)
		if e := errs.As(err); e == nil || e.Code != errs.Invalid || e.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
}
