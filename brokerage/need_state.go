package brokerage

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/internal/money"
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
	v := NeedView{Need: n, Route: n.HowMet, RouteLabel: routeLabel(n.HowMet), State: NotYetMet}
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
	if err := s.describe(ctx, &v, p, x); err != nil {
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
			if err := s.describe(ctx, &pv, p, px); err != nil {
				return v, err
			}
			v.Why += "; until then the earlier arrangement goes on: " + pv.Why
		}
	}
	return v, nil
}

// describe fills in what meets the need, its state and why, from x.
func (s *Service) describe(ctx context.Context, v *NeedView, p plans.Plan, x arrangement) error {
	if x.Referral != nil {
		return s.describeRoute(ctx, v, x)
	}
	r := x.Request
	if r == nil {
		v.Why = "no brokerage request was made for it"
		return nil
	}
	v.RequestID, v.RequestReference, v.RequestStatus = &r.ID, r.Reference, r.Status
	switch {
	case x.Agreement != nil:
		ag := x.Agreement
		v.State, v.AgreementID, v.AgreementReference = Met, &ag.ID, ag.Reference
		v.Why = fmt.Sprintf("service agreement %s with %s, %s from %s", ag.Reference, ag.ProviderName, unitsText(ag.HoursPerWeek, ag.Places), ag.StartDate.UK())
		if ag.ProviderManagesFund {
			v.Why += ", the provider managing the individual service fund"
		}
		if ag.Payer == "person" {
			v.Why += ", paid for by the person (self-funded)"
		}
		if ag.OutOfArea {
			v.Why += ", out of area in " + ag.HostArea
		}
	case r.Status == Agreed:
		ag, err := s.agreements.AgreementForRequest(ctx, r.ID)
		if err != nil {
			return err
		}
		v.AgreementID, v.AgreementReference = &ag.ID, ag.Reference
		v.Why = fmt.Sprintf("service agreement %s %s on %s: %s", ag.Reference, ag.Status, ag.EndsOn.UK(), ag.EndReason)
	default:
		v.Why = fmt.Sprintf("brokerage request %s: %s", r.Reference, strings.ToLower(r.Status.Label()))
	}
	return nil
}

func (s *Service) describeRoute(ctx context.Context, v *NeedView, x arrangement) error {
	ref, id := x.Referral, x.Need.ID
	if ref.Status == RouteMet {
		v.State = Met
	}
	switch x.Need.HowMet {
	case plans.DirectPayment:
		v.DirectPaymentID = &id
		d, _, err := s.store.directPayment(ctx, id, false)
		if err != nil {
			v.Why = "a direct payment: its terms were not recorded"
			return nil
		}
		pay := fmt.Sprintf("a direct payment of %s %s", money.Format(d.AmountPence), d.Frequency.Label())
		switch ref.Status {
		case RouteAwaiting:
			v.Why = pay + ", waiting for the direct payment team to set it up"
		case RouteMet:
			v.Why = pay + ", set up: first payment on " + d.FirstPaymentOn.UK()
		default:
			v.Why = pay + ", ended: " + ref.EndReason
		}
	case plans.AlternativeService:
		v.AlternativeID = &id
		what := strings.ReplaceAll(x.Need.AlternativeService, "_", " ")
		switch ref.Status {
		case RouteAwaiting:
			v.Why = fmt.Sprintf("%s, to be arranged by %s by %s, not yet confirmed in place", what, x.Need.AlternativeArrangedBy, x.Need.AlternativeDueBy.UK())
			if x.Need.AlternativeDueBy.Before(s.today()) {
				v.Why += fmt.Sprintf("; overdue since %s: interim support can be arranged through brokerage", x.Need.AlternativeDueBy.AddDays(1).UK())
			}
			links, err := s.store.interimLinks(ctx, id)
			if err != nil {
				return err
			}
			for _, l := range links {
				v.Why += fmt.Sprintf("; interim support: brokerage request %s, %s", l.RequestReference, strings.ToLower(l.RequestStatus.Label()))
			}
		case RouteMet:
			v.Why = fmt.Sprintf("%s, confirmed in place on %s", what, ukDay(*ref.MetAt).UK())
		default:
			v.Why = what + ", ended: " + ref.EndReason
		}
	case plans.OwnResources:
		v.Why = "the person's own resources, as the plan records"
		if ref.Status == RouteEnded {
			v.Why = "own resources, ended: " + ref.EndReason
		}
	}
	return nil
}

func unitsText(hours, places int) string { return amount(hours, places) }
