package brokerage

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

// InterimLink is interim support raised while an alternative service is
// late, and where its request is.
type InterimLink struct {
	PlanID           uuid.UUID `json:"plan_id"`
	RequestID        uuid.UUID `json:"request_id"`
	RequestReference string    `json:"request_reference"`
	RequestStatus    Status    `json:"request_status"`
}

// AlternativeView is an alternative service as the practitioner's list
// shows it: who arranges it, by when, whether it is overdue, and the
// interim support raised for it.
type AlternativeView struct {
	AlternativeArrangement
	Status      RouteStatus `json:"status"`
	PersonName  string      `json:"person_name"`
	Outcome     string      `json:"outcome"`
	Overdue     bool        `json:"overdue"`
	DaysOverdue int         `json:"days_overdue,omitempty"`
	// InterimSupportPossible: not yet in place, so interim support can be
	// arranged through brokerage (suggested once it is overdue).
	InterimSupportPossible bool          `json:"interim_support_possible"`
	InterimSupport         []InterimLink `json:"interim_support"`
	MetAt                  *time.Time    `json:"confirmed_at,omitempty"`
	EndedAt                *time.Time    `json:"ended_at,omitempty"`
	EndReason              string        `json:"end_reason,omitempty"`
}

// Alternatives lists the alternative services of the practitioner's team,
// soonest due first: those awaiting confirmation by default, only the
// overdue ones with f.Overdue. It returns Forbidden for other roles and
// Invalid "status" for an unknown status.
func (s *Service) Alternatives(ctx context.Context, a accounts.Actor, f AlternativeFilter) ([]AlternativeView, error) {
	if err := a.Require(accounts.Practitioner); err != nil {
		return nil, err
	}
	if err := routeStatusFilter(&f.Status); err != nil {
		return nil, err
	}
	f.Team = a.Team
	ctx = postgres.TolerateLag(ctx) // a list: the read replica may serve it
	xs, refs, err := s.store.alternatives(ctx, f, s.today())
	if err != nil {
		return nil, err
	}
	return s.alternativeViews(ctx, s.store, xs, refs)
}

// Alternative returns one alternative service of the practitioner's team
// (NotFound otherwise).
func (s *Service) Alternative(ctx context.Context, a accounts.Actor, id uuid.UUID) (AlternativeView, error) {
	x, r, err := s.store.alternative(ctx, id, false)
	if err != nil || !canWorkTeam(a, x.Team) {
		return AlternativeView{}, errNoAlternative
	}
	vs, err := s.alternativeViews(ctx, s.store, []AlternativeArrangement{x}, map[uuid.UUID]referral{x.ID: r})
	if err != nil {
		return AlternativeView{}, err
	}
	return vs[0], nil
}

func (s *Service) alternativeViews(ctx context.Context, st *Store, xs []AlternativeArrangement, refs map[uuid.UUID]referral) ([]AlternativeView, error) {
	ids, people := make([]uuid.UUID, len(xs)), make([]uuid.UUID, len(xs))
	for i, x := range xs {
		ids[i], people[i] = x.ID, x.PersonID
	}
	needs, names, err := st.needsAndNames(ctx, ids, people)
	if err != nil {
		return nil, err
	}
	today := s.today()
	out := make([]AlternativeView, len(xs))
	for i, x := range xs {
		r := refs[x.ID]
		v := AlternativeView{AlternativeArrangement: x, Status: r.Status, PersonName: names[x.PersonID], Outcome: needs[x.ID].Outcome,
			InterimSupportPossible: r.Status == RouteAwaiting, InterimSupport: []InterimLink{}, MetAt: r.MetAt, EndedAt: r.EndedAt, EndReason: r.EndReason}
		if r.Status == RouteAwaiting && x.DueBy.Before(today) {
			v.Overdue, v.DaysOverdue = true, x.DueBy.DaysUntil(today)
		}
		if v.InterimSupport, err = st.interimLinks(ctx, x.ID); err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// interimLinks lists the interim support raised for a need.
func (s *Store) interimLinks(ctx context.Context, needID uuid.UUID) ([]InterimLink, error) {
	covering, err := s.plans().InterimPlansCovering(ctx, needID)
	if err != nil {
		return nil, err
	}
	links := []InterimLink{}
	for _, p := range covering {
		rs, err := s.requests(ctx, RequestFilter{PlanID: p.ID})
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			links = append(links, InterimLink{PlanID: p.ID, RequestID: r.ID, RequestReference: r.Reference, RequestStatus: r.Status})
		}
	}
	return links, nil
}

// ConfirmAlternative records an alternative service as in place, so the
// council's duty for that need is discharged, with a note of how it was
// confirmed. In the same transaction any interim support raised for it ends
// (an agreement in place ends today, finance told; a request still being
// brokered is cancelled), as does an arrangement the need replaced, and
// the audit events are written. It returns Forbidden for other roles,
// NotFound for one of another team, Invalid "note", and Conflict unless it
// is awaiting confirmation.
func (s *Service) ConfirmAlternative(ctx context.Context, a accounts.Actor, id uuid.UUID, note string) (AlternativeView, error) {
	if err := a.Require(accounts.Practitioner); err != nil {
		return AlternativeView{}, err
	}
	note = strings.TrimSpace(note)
	if note == "" || len(note) > 2000 {
		return AlternativeView{}, errs.InvalidField("note", "must say how you know the service is in place, in at most 2000 characters")
	}
	var view AlternativeView
	err := s.store.inTx(ctx, func(tx *Store) error {
		x, r, err := tx.alternative(ctx, id, true)
		if err != nil || !canWorkTeam(a, x.Team) {
			return errNoAlternative
		}
		before := r.Status
		now := s.clock()
		if err := r.meet(userRef(a), now); err != nil {
			return err
		}
		x.ConfirmedNote = note
		if err := tx.saveReferral(ctx, &r); err != nil {
			return err
		}
		if err := tx.saveAlternativeNote(ctx, &x); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx.Conn(), audit.Entry{Actor: a, Action: "alternative.confirm", ObjectType: "plan_need",
			ObjectID: x.ID.String(), PersonID: x.PersonID, Summary: map[string]any{"service": x.Service,
				"before": map[string]any{"status": before}, "after": map[string]any{"status": r.Status}}}); err != nil {
			return err
		}
		n, err := tx.plans().Need(ctx, x.ID)
		if err != nil {
			return err
		}
		what := "the " + strings.ReplaceAll(x.Service, "_", " ") + " service, confirmed in place"
		if err := s.replacementInPlace(ctx, tx, a, n, s.today(), nil, what); err != nil {
			return err
		}
		if err := s.endInterimCovering(ctx, tx, a, x.ID, "no longer needed: "+what); err != nil {
			return err
		}
		vs, err := s.alternativeViews(ctx, tx, []AlternativeArrangement{x}, map[uuid.UUID]referral{x.ID: r})
		if err == nil {
			view = vs[0]
		}
		return err
	})
	return view, err
}

// endInterimCovering ends the interim support raised for a need: each
// interim plan's arrangement stops today.
func (s *Service) endInterimCovering(ctx context.Context, tx *Store, a accounts.Actor, needID uuid.UUID, reason string) error {
	plans, err := tx.plans().InterimPlansCovering(ctx, needID)
	if err != nil {
		return err
	}
	for _, p := range plans {
		full, err := tx.plans().Plan(ctx, p.ID, false)
		if err != nil {
			return err
		}
		for _, n := range full.Needs {
			x, err := s.arrangementOf(ctx, tx, n, true)
			if err != nil {
				return err
			}
			if err := s.endArrangement(ctx, tx, a, x, s.today(), reason, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// ArrangeInterimForAlternative raises interim support through brokerage for
// a person whose alternative service is not yet in place (the practitioner's
// list suggests it once the service is overdue): an interim plan covering the
// need, and its request, linked so that confirming the alternative ends the
// interim support. It returns Forbidden for other roles, NotFound for one
// of another team, Invalid naming the field, and Conflict once the service
// is in place or ended.
func (s *Service) ArrangeInterimForAlternative(ctx context.Context, a accounts.Actor, id uuid.UUID, in NewInterimSupport) (InterimSupport, error) {
	if err := a.Require(accounts.Practitioner); err != nil {
		return InterimSupport{}, err
	}
	var out InterimSupport
	err := s.store.inTx(ctx, func(tx *Store) error {
		x, r, err := tx.alternative(ctx, id, true)
		if err != nil || !canWorkTeam(a, x.Team) {
			return errNoAlternative
		}
		if r.Status != RouteAwaiting {
			return errs.Conflictf("this alternative service is %s: interim support is for one not yet in place", r.Status)
		}
		person, err := tx.plans().Person(ctx, x.PersonID)
		if err != nil {
			return err
		}
		covers := x.ID
		out, err = s.raiseInterim(ctx, tx, a, person, in, &covers)
		return err
	})
	return out, err
}
