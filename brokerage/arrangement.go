package brokerage

import (
	"context"

	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/plans"
)

// arrangement is what meets a need: its own request and agreement, or its
// own route row; for a need that continues an earlier one unchanged, the
// earlier need's.
type arrangement struct {
	Need      plans.Need // the need whose arrangement it is
	Request   *Request
	Agreement *agreements.Agreement // the request's active agreement, if any
	Referral  *referral
}

// inPlace reports whether the arrangement meets the need now: an active
// agreement, or a route that is met.
func (x arrangement) inPlace() bool {
	if x.Referral != nil {
		return x.Referral.Status == RouteMet
	}
	return x.Agreement != nil
}

// over reports whether the arrangement has stopped for good: a cancelled
// request, an agreement that ended, a route that ended.
func (x arrangement) over() bool {
	switch {
	case x.Referral != nil:
		return x.Referral.Status == RouteEnded
	case x.Request == nil:
		return true
	}
	return x.Request.Status == Cancelled || (x.Request.Status == Agreed && x.Agreement == nil)
}

// arrangementOf finds what meets need n, following unchanged continuations
// back to the need that was arranged, reading (and locking, if lock) with tx.
func (s *Service) arrangementOf(ctx context.Context, tx *Store, n plans.Need, lock bool) (arrangement, error) {
	for range 1000 { // a chain of reviews; bounded so a bad row cannot loop
		succ, err := tx.plans().SuccessionTo(ctx, n.ID)
		if err != nil {
			return arrangement{}, err
		}
		if succ == nil || succ.Kind != plans.Continues {
			break
		}
		if n, err = tx.plans().Need(ctx, succ.PreviousNeedID); err != nil {
			return arrangement{}, err
		}
	}
	x := arrangement{Need: n}
	if !n.HowMet.Arranged() {
		r, err := tx.referral(ctx, n.ID, lock)
		if err != nil {
			return x, err
		}
		x.Referral = &r
		return x, nil
	}
	r, err := tx.requestForNeed(ctx, n.ID, lock)
	if err != nil || r == nil {
		return x, err
	}
	x.Request = r
	if r.Status == Agreed && s.agreements != nil {
		x.Agreement, err = s.agreements.ActiveForRequest(ctx, tx.Conn(), r.ID)
	}
	return x, err
}
