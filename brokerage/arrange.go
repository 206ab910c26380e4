package brokerage

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/packages"
	"github.com/carebroker/carebroker/plans"
)

// DirectPaymentTeam is the council team that sets up direct payments for
// every team's people: practitioners of this team work the whole queue.
const DirectPaymentTeam = "direct_payments"

// arrange makes, in tx, what meets each need of a plan being signed off: a
// brokerage request for each arranged need (for the person cared for, on a
// carer's plan), the direct payment team's queue entry, the alternative
// service to confirm, own resources recorded as met. A need whose id is in
// unchanged continues the earlier need it follows on from, whose
// arrangement goes on meeting it: nothing new is made. A need that replaces
// one a review changed stops the earlier arrangement now if it is not in
// place; one in place goes on until the new one is (replacementInPlace).
// Interim support goes on, in place or still being found, until the
// long-term arrangement replacing it is in place.
func (s *Service) arrange(ctx context.Context, tx *Store, a accounts.Actor, p *plans.Plan, now time.Time, unchanged map[uuid.UUID]bool) ([]Request, error) {
	var made []Request
	for i := range p.Needs {
		n := &p.Needs[i]
		if n.PreviousNeedID != nil && unchanged[n.ID] {
			if err := tx.plans().InsertSuccession(ctx, plans.NeedSuccession{PreviousNeedID: *n.PreviousNeedID, NeedID: n.ID, Kind: plans.Continues, CreatedAt: now}); err != nil {
				return nil, err
			}
			continue
		}
		rt := routeOf(n.HowMet)
		if !rt.Arranged() {
			if err := s.refer(ctx, tx, a, *p, *n, now); err != nil {
				return nil, err
			}
		}
		r, err := rt.start(ctx, s, tx, a, *p, n, now)
		if err != nil {
			return nil, err
		}
		if r != nil {
			made = append(made, *r)
		}
		if n.PreviousNeedID == nil {
			continue
		}
		if err := tx.plans().InsertSuccession(ctx, plans.NeedSuccession{PreviousNeedID: *n.PreviousNeedID, NeedID: n.ID, Kind: plans.Replaces, CreatedAt: now}); err != nil {
			return nil, err
		}
		if p.SupersedesPlanID == nil {
			continue // an interim need: it ends when its replacement is in place
		}
		prev, err := tx.plans().Need(ctx, *n.PreviousNeedID)
		if err != nil {
			return nil, err
		}
		x, err := s.arrangementOf(ctx, tx, prev, true)
		if err != nil {
			return nil, err
		}
		if !x.inPlace() {
			if err := s.endArrangement(ctx, tx, a, x, ukDay(now), "replaced by a need of the plan signed off on "+ukDay(now).UK(), nil); err != nil {
				return nil, err
			}
		}
	}
	return made, nil
}

// endArrangement stops what meets a need, in tx: a request not yet agreed is
// cancelled (its providers told); an active agreement ends on endsOn (as
// varied when replacedBy names its successor), finance is told, and the
// provider's capacity after that day is released; a direct payment ends
// (finance told to stop paying, its reviews cancelled), as does an
// alternative service or own resources. Anything already over is left.
func (s *Service) endArrangement(ctx context.Context, tx *Store, a accounts.Actor, x arrangement, endsOn day.Date, reason string, replacedBy *uuid.UUID) error {
	now := s.clock()
	switch {
	case x.Referral != nil:
		if x.Referral.Status == RouteEnded {
			return nil
		}
		r := *x.Referral
		if err := r.end(now, reason); err != nil {
			return err
		}
		if err := tx.saveReferral(ctx, &r); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx.Conn(), audit.Entry{Actor: a, Action: "need.route_end", ObjectType: "plan_need", ObjectID: r.NeedID.String(),
			PersonID: r.PersonID, Summary: map[string]any{"route": r.Route, "before": map[string]any{"status": x.Referral.Status},
				"after": map[string]any{"status": r.Status}, "reason": reason}}); err != nil {
			return err
		}
		return routeOf(r.Route).ended(ctx, s, tx, a, r.NeedID, reason)
	case x.Agreement != nil:
		ended, err := s.agreements.End(ctx, tx.Tx(), a, x.Agreement.ID, agreements.Ending{EndsOn: endsOn, Reason: reason, ReplacedBy: replacedBy})
		if err != nil {
			return err
		}
		if err := packages.Close(ctx, tx.Tx(), a, ended); err != nil {
			return err
		}
		return s.releaseAfter(ctx, tx, ended)
	case x.Request != nil && !x.Request.Status.Final():
		r := *x.Request
		t, err := r.Cancel(now, reason)
		if err != nil {
			return err
		}
		if err := s.record(ctx, tx, a, "", &r, t, "request.cancel", nil); err != nil {
			return err
		}
		return s.closeOffers(ctx, tx, a, r, "offer.closed", "the request was cancelled: "+reason, "")
	}
	return nil
}

// releaseAfter gives back the provider capacity an ended agreement had
// reserved, from the day after its last day (or its start, if it never ran).
func (s *Service) releaseAfter(ctx context.Context, tx *Store, ag agreements.Agreement) error {
	if s.dir == nil {
		return errs.Internalf(nil, "brokerage has no provider directory configured")
	}
	from := ag.EndsOn.AddDays(1)
	if from.Before(ag.StartDate) {
		from = ag.StartDate
	}
	return s.dir.ReleaseCapacity(ctx, tx.Tx(), ag.ServiceID, from, ag.HoursPerWeek+ag.Places)
}

// replacementInPlace is called, in tx, when need n's own arrangement comes
// into place (its agreement made, its direct payment set up, its
// alternative confirmed): if n replaced an earlier need, what is left of
// that need's arrangement stops: an agreement in place ends the day before
// startsOn (as varied, when madeAgreement names its successor), a request
// still being brokered (interim support not yet found) is cancelled.
func (s *Service) replacementInPlace(ctx context.Context, tx *Store, a accounts.Actor, n plans.Need, startsOn day.Date, madeAgreement *uuid.UUID, what string) error {
	succ, err := tx.plans().SuccessionTo(ctx, n.ID)
	if err != nil || succ == nil || succ.Kind != plans.Replaces {
		return err
	}
	prev, err := tx.plans().Need(ctx, succ.PreviousNeedID)
	if err != nil {
		return err
	}
	x, err := s.arrangementOf(ctx, tx, prev, true)
	if err != nil {
		return err
	}
	var replacedBy *uuid.UUID
	if x.Agreement != nil {
		replacedBy = madeAgreement
	}
	return s.endArrangement(ctx, tx, a, x, startsOn.AddDays(-1), "replaced by "+what+" from "+startsOn.UK(), replacedBy)
}

// agreementMade is called, in tx, when a request's agreement has just been
// made: if the request's need replaced an earlier need (an interim plan's,
// or one a review changed) whose arrangement is still in place, that ends
// the day before the new agreement starts.
func (s *Service) agreementMade(ctx context.Context, tx *Store, a accounts.Actor, r Request, made agreements.Agreement) error {
	n, err := tx.plans().Need(ctx, r.NeedID)
	if err != nil {
		return err
	}
	id := made.ID
	return s.replacementInPlace(ctx, tx, a, n, made.StartDate, &id, "service agreement "+made.Reference)
}
