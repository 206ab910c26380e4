package brokerage

import (
	"context"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/plans"
)

// NeedState is whether a need is met. A council's duty to meet an eligible
// need is discharged only once something meets it.
type NeedState string

// The need states.
const (
	Met       NeedState = "met"
	NotYetMet NeedState = "not_yet_met"
)

// NeedView is a need as the plan view shows it: its route, whether it is
// met and why (or why not), and what meets it. For a need that continues an
// earlier one unchanged, what meets it is the earlier need's arrangement.
type NeedView struct {
	plans.Need
	Route      plans.HowMet     `json:"route"`
	RouteLabel string           `json:"route_label"`
	State      NeedState        `json:"state"`
	Why        string           `json:"why"`
	Succession plans.Succession `json:"succession,omitempty"` // how it follows on from previous_need_id

	RequestReference   string     `json:"request_reference,omitempty"`
	RequestStatus      Status     `json:"request_status,omitempty"`
	AgreementID        *uuid.UUID `json:"agreement_id,omitempty"`
	AgreementReference string     `json:"agreement_reference,omitempty"`
	DirectPaymentID    *uuid.UUID `json:"direct_payment_id,omitempty"`
	AlternativeID      *uuid.UUID `json:"alternative_id,omitempty"`
}

// needView works out what meets need n of plan p and says so.
func (s *Service) needView(ctx context.Context, st *Store, p plans.Plan, n plans.Need) (NeedView, error) {
	v := NeedView{Need: n, Route: n.HowMet, RouteLabel: n.HowMet.Label(), State: NotYetMet}
	switch p.Status {
	case plans.PlanDraft:
		v.Why = "the plan is a draft: nothing is arranged until it is signed off"
		return v, nil
	case plans.PlanAwaitingSecondSignOff:
		v.Why = "the plan awaits its second sign-off: nothing is arranged until another practitioner signs it off"
		return v, nil
	}
	succ, err := st.plans().SuccessionTo(ctx, n.ID)
	if err != nil {
		return v, err
	}
	if succ != nil {
		v.Succession = succ.Kind
	}
	x, err := s.arrangementOf(ctx, st, n, false)
	if err != nil {
		return v, err
	}
	if err := routeOf(x.Need.HowMet).describe(ctx, s, &v, x); err != nil {
		return v, err
	}
	if succ != nil && succ.Kind == plans.Continues {
		v.Why += " (continued unchanged from the earlier plan)"
	}
	if v.State == NotYetMet && succ != nil && succ.Kind == plans.Replaces {
		prev, err := st.plans().Need(ctx, succ.PreviousNeedID)
		if err != nil {
			return v, err
		}
		px, err := s.arrangementOf(ctx, st, prev, false)
		if err != nil {
			return v, err
		}
		if px.inPlace() {
			var pv NeedView
			if err := routeOf(px.Need.HowMet).describe(ctx, s, &pv, px); err != nil {
				return v, err
			}
			v.Why += "; until then the earlier arrangement goes on: " + pv.Why
		}
	}
	return v, nil
}

// referralState is the state of a need met by a route with a referral:
// met once the route is in place.
func referralState(r *referral) NeedState {
	if r.Status == RouteMet {
		return Met
	}
	return NotYetMet
}
