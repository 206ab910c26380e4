package brokerage

import (
	"context"
	"time"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/plans"
)

// DeadlineSoonWindow is how near a response deadline must be for the
// queue's "deadline soon" filter.
const DeadlineSoonWindow = 24 * time.Hour

// QueueFilter narrows the broker's work queue. Zero fields do not filter,
// except Status: empty means the requests still being worked (every status
// but agreed and cancelled); "all" means every request.
type QueueFilter struct {
	Status  string        // "", "all", or one of Statuses
	Urgency plans.Urgency // "" or one of the urgencies
	Team    string        // "" or one of accounts.Teams
	// DeadlineSoon keeps requests waiting for answers whose response
	// deadline is within DeadlineSoonWindow and has not passed.
	DeadlineSoon bool
	// Overdue keeps requests whose response deadline has passed while they
	// still wait for an answer or a choice (invited, offers received, no
	// offers).
	Overdue bool
	Limit   int // at most 500; 0 means 200
}

// QueueCounts are the figures at the top of the queue, over every request
// being worked, whatever the filters.
type QueueCounts struct {
	Active       int            `json:"active"` // every status but agreed and cancelled
	ByStatus     map[Status]int `json:"by_status"`
	Urgent       int            `json:"urgent"`        // active and urgent
	DeadlineSoon int            `json:"deadline_soon"` // as QueueFilter.DeadlineSoon
	Overdue      int            `json:"overdue"`       // as QueueFilter.Overdue
}

// Queue is the broker's work queue: the requests the filter keeps, the
// number it kept (Items may be fewer, up to the limit), and the counts.
type Queue struct {
	Items   []RequestView `json:"items"`
	Matched int           `json:"matched"`
	Counts  QueueCounts   `json:"counts"`
}

// waitingStatuses are the statuses in which a passed response deadline
// makes a request overdue.
var waitingStatuses = []Status{Invited, OffersReceived, NoOffers}

// Validate returns Invalid naming the filter field that is wrong.
func (f *QueueFilter) Validate() error {
	if f.Status != "" && f.Status != "all" && !Status(f.Status).Valid() {
		return errs.InvalidField("status", "%q is not a request status", f.Status)
	}
	if f.Urgency != "" && !f.Urgency.Valid() {
		return errs.InvalidField("urgency", "must be urgent, interim or standard")
	}
	if f.Team != "" && !accounts.ValidTeam(f.Team) {
		return errs.InvalidField("team", "is not a council team")
	}
	if f.Limit <= 0 {
		f.Limit = 200
	}
	f.Limit = min(f.Limit, 500)
	return nil
}

// Queue lists the requests a broker works, in the order to work them
// (nearest response deadline first, then the oldest), with the counts at
// the top. Deadlines that have passed are swept first, so the queue never
// shows a stale "invited". It returns Forbidden for anyone but a broker and
// Invalid naming the filter field that is wrong.
func (s *Service) Queue(ctx context.Context, a accounts.Actor, f QueueFilter) (Queue, error) {
	if err := a.Require(accounts.Broker); err != nil {
		return Queue{}, err
	}
	if err := f.Validate(); err != nil {
		return Queue{}, err
	}
	if _, err := s.SweepDeadlines(ctx); err != nil {
		return Queue{}, err
	}
	ctx = postgres.TolerateLag(ctx) // a list to work from: the read replica may serve it
	now := s.clock()
	rs, matched, err := s.store.queue(ctx, f, now)
	if err != nil {
		return Queue{}, err
	}
	counts, err := s.store.queueCounts(ctx, now)
	if err != nil {
		return Queue{}, err
	}
	items, err := s.views(ctx, rs)
	if err != nil {
		return Queue{}, err
	}
	return Queue{Items: items, Matched: matched, Counts: counts}, nil
}
