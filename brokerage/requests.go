package brokerage

import (
	"context"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

// RequestView is a request as staff and the person read it: with the
// person's name and the status in words.
type RequestView struct {
	Request
	PersonName  string `json:"person_name"`
	StatusLabel string `json:"status_label"`
	Amount      string `json:"amount"`
}

// Requests lists the requests the actor may see, nearest deadline first:
// brokers and budget approvers any (the broker's queue), practitioners
// their team's, a client their own person's. Deadlines that have passed are
// swept first, so the list never shows a stale "invited". Other roles are
// Forbidden.
func (s *Service) Requests(ctx context.Context, a accounts.Actor, f RequestFilter) ([]RequestView, error) {
	switch a.Role {
	case accounts.Broker, accounts.BudgetApprover:
	case accounts.Practitioner:
		f.Team = a.Team
	case accounts.Client:
		f.PersonID = a.PersonID
	default:
		return nil, errs.Forbiddenf("a %s cannot list requests", a.Role)
	}
	for _, st := range f.Statuses {
		if !st.Valid() {
			return nil, errs.InvalidField("status", "%q is not a request status", st)
		}
	}
	if _, err := s.SweepDeadlines(ctx); err != nil {
		return nil, err
	}
	ctx = postgres.TolerateLag(ctx) // a list: the read replica may serve it
	rs, err := s.store.requests(ctx, f)
	if err != nil {
		return nil, err
	}
	return s.views(ctx, rs)
}

// Request returns one request the actor may see (NotFound otherwise),
// after sweeping its deadline.
func (s *Service) Request(ctx context.Context, a accounts.Actor, id uuid.UUID) (RequestView, error) {
	if _, err := s.sweepOne(ctx, id, s.clock()); err != nil {
		return RequestView{}, err
	}
	r, err := s.visibleRequest(ctx, s.store, a, id, false)
	return s.viewAfter(ctx, r, err)
}

// Transitions lists the state changes of a request the actor may see,
// oldest first (NotFound otherwise).
func (s *Service) Transitions(ctx context.Context, a accounts.Actor, id uuid.UUID) ([]Transition, error) {
	if _, err := s.visibleRequest(ctx, s.store, a, id, false); err != nil {
		return nil, err
	}
	return s.store.transitions(ctx, id)
}

// HoldRequest pauses a request, ResumeRequest returns it to where it was,
// CancelRequest ends it. Brokers and the team's practitioners may; others
// who can see the request get Forbidden, the rest NotFound. Hold and cancel
// need a reason (Invalid "reason"); a status that does not allow the change
// is Conflict.
func (s *Service) HoldRequest(ctx context.Context, a accounts.Actor, id uuid.UUID, reason string) (RequestView, error) {
	return s.change(ctx, a, id, "request.hold", func(r *Request) (*Transition, error) { return r.Hold(s.clock(), reason) })
}

// ResumeRequest: see HoldRequest.
func (s *Service) ResumeRequest(ctx context.Context, a accounts.Actor, id uuid.UUID, reason string) (RequestView, error) {
	return s.change(ctx, a, id, "request.resume", func(r *Request) (*Transition, error) { return r.Resume(s.clock(), reason) })
}

// CancelRequest: see HoldRequest. Providers with open invitations or offers
// are told the request is closed.
func (s *Service) CancelRequest(ctx context.Context, a accounts.Actor, id uuid.UUID, reason string) (RequestView, error) {
	return s.change(ctx, a, id, "request.cancel", func(r *Request) (*Transition, error) { return r.Cancel(s.clock(), reason) })
}

func (s *Service) change(ctx context.Context, a accounts.Actor, id uuid.UUID, action string, do func(*Request) (*Transition, error)) (RequestView, error) {
	var r Request
	err := s.store.inTx(ctx, func(tx *Store) error {
		var err error
		if r, err = s.visibleRequest(ctx, tx, a, id, true); err != nil {
			return err
		}
		if !canWorkRequest(a, r) {
			return errs.Forbiddenf("a %s cannot change a request's status", a.Role)
		}
		t, err := do(&r)
		if err != nil {
			return err
		}
		if err := s.record(ctx, tx, a, "", &r, t, action, nil); err != nil {
			return err
		}
		if r.Status == Cancelled {
			return s.closeOffers(ctx, tx, a, r, "offer.closed", "the request was cancelled: "+t.Reason, "")
		}
		return nil
	})
	return s.viewAfter(ctx, r, err)
}

// visibleRequest loads a request (locked if lock) the actor may see.
func (s *Service) visibleRequest(ctx context.Context, st *Store, a accounts.Actor, id uuid.UUID, lock bool) (Request, error) {
	r, err := st.request(ctx, id, lock)
	if err != nil {
		return Request{}, err
	}
	if !canSeeRequest(a, r) {
		return Request{}, errNoRequest
	}
	return r, nil
}

func (s *Service) views(ctx context.Context, rs []Request) ([]RequestView, error) {
	names, err := s.store.plans().PersonNames(ctx, personIDs(rs))
	if err != nil {
		return nil, err
	}
	out := make([]RequestView, len(rs))
	for i, r := range rs {
		out[i] = RequestView{Request: r, PersonName: names[r.PersonID], StatusLabel: r.Status.Label(), Amount: r.Amount()}
	}
	return out, nil
}

// viewAfter is the view of request r as a use case that ended with err left
// it: err itself when it failed.
func (s *Service) viewAfter(ctx context.Context, r Request, err error) (RequestView, error) {
	if err != nil {
		return RequestView{}, err
	}
	vs, err := s.views(ctx, []Request{r})
	if err != nil {
		return RequestView{}, err
	}
	return vs[0], nil
}
