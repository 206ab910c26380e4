package brokerage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/plans"
)

// arrangedRoute is a need brokerage arranges: sign-off opens a request,
// worked through matching, offers and choice to a service agreement, which
// meets the need while it is active. Council-arranged and individual
// service fund needs are two of them, told apart by who holds the money.
type arrangedRoute struct {
	how     plans.HowMet
	label   string
	funding Funding // how the request is funded, unless the plan is self-funded
	inPack  string  // how the provider's information pack says it is arranged; "" for the default
}

func (r arrangedRoute) HowMet() plans.HowMet { return r.how }
func (r arrangedRoute) Label() string        { return r.label }
func (r arrangedRoute) Arranged() bool       { return true }

// Validate refuses an individual service fund to a self-funder: it holds a
// council personal budget. The request's own fields are checked for every
// arranged need by plans.
func (r arrangedRoute) Validate(p *plans.PlanContent, n *plans.NewNeed, at string, today day.Date) error {
	if r.funding == IndividualServiceFund && p.SelfFunded {
		return errs.InvalidField(at+"how_met", "an individual service fund holds a council personal budget; a self-funder's need is council_arranged (the person pays)")
	}
	return nil
}

// start opens the need's request, for the person the plan's services are
// for (the person cared for, on a carer's plan).
func (r arrangedRoute) start(ctx context.Context, s *Service, tx *Store, a accounts.Actor, p plans.Plan, n *plans.Need, now time.Time) (*Request, error) {
	recipient, err := tx.plans().Person(ctx, p.RecipientID())
	if err != nil {
		return nil, err
	}
	req := newRequest(p, *n, recipient, r.funding, now)
	if err := s.openRequest(ctx, tx, a, &req); err != nil {
		return nil, err
	}
	id := req.ID
	n.RequestID = &id
	return &req, nil
}

// describe: met while the request's agreement is active.
func (arrangedRoute) describe(ctx context.Context, s *Service, v *NeedView, x arrangement) error {
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
		v.Why = fmt.Sprintf("service agreement %s with %s, %s from %s", ag.Reference, ag.ProviderName, Amount(ag.HoursPerWeek, ag.Places), ag.StartDate.UK())
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

// ended: an arranged need has no referral; its request and agreement end
// through the workflow.
func (arrangedRoute) ended(context.Context, *Service, *Store, accounts.Actor, uuid.UUID, string) error {
	return nil
}
