package brokerage

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/money"
	"github.com/carebroker/carebroker/plans"
)

// directPaymentRoute is a need met by a direct payment: sign-off puts it in
// the direct payment team's queue (direct_payments.go), and it is met once
// the team records it set up.
type directPaymentRoute struct{}

func (directPaymentRoute) HowMet() plans.HowMet { return plans.DirectPayment }
func (directPaymentRoute) Label() string        { return "direct payment" }
func (directPaymentRoute) Arranged() bool       { return false }

// Validate requires the payment's terms and the budget they come from, and
// checks the terms against the legal restrictions; a self-funder has no
// council budget to pay from.
func (directPaymentRoute) Validate(p *plans.PlanContent, n *plans.NewNeed, at string, today day.Date) error {
	switch {
	case p.SelfFunded:
		return errs.InvalidField(at+"how_met", "a self-funder pays for their own care; a direct payment is paid from a council personal budget")
	case n.DirectPayment == nil:
		return errs.InvalidField(at+"direct_payment", "is required for a direct payment: amount_pence, frequency and purchase, so the legal restrictions can be checked")
	case n.WeeklyBudgetPence <= 0:
		return errs.InvalidField(at+"weekly_budget_pence", "is required for a direct payment: the part of the personal budget, in pence a week, it comes from")
	}
	return n.DirectPayment.Validate(at+"direct_payment.", n.WeeklyBudgetPence, n.ServiceType)
}

// start writes the direct payment team's queue entry and tells the team.
func (directPaymentRoute) start(ctx context.Context, s *Service, tx *Store, a accounts.Actor, p plans.Plan, n *plans.Need, now time.Time) (*Request, error) {
	if n.DirectPayment == nil {
		return nil, nil // signed off before direct payment terms were recorded
	}
	d := DirectPaymentArrangement{ID: n.ID, PlanID: p.ID, PersonID: p.PersonID, Team: p.Team, ForCarer: p.Kind == plans.CarersSupport,
		AmountPence: n.DirectPayment.AmountPence, Frequency: n.DirectPayment.Frequency, WeeklyEquivalentPence: n.DirectPayment.WeeklyEquivalentPence,
		Purchase: n.DirectPayment.Purchase, CreatedAt: now}
	if err := tx.insertDirectPayment(ctx, &d); err != nil {
		return nil, err
	}
	who := "a person"
	if d.ForCarer {
		who = "a carer"
	}
	return nil, s.tell(ctx, tx, agreements.Notification{
		Audience: agreements.ToTeam(DirectPaymentTeam), Kind: "direct_payment.to_set_up", IdempotencyKey: "direct_payment.to_set_up:" + n.ID.String(),
		Subject:    fmt.Sprintf("A direct payment to set up: %s %s", money.Format(d.AmountPence), d.Frequency.Label()),
		Body:       fmt.Sprintf("A %s team plan signed off on %s gives %s a direct payment of %s %s for %s.", p.Team, ukDay(now).UK(), who, money.Format(d.AmountPence), d.Frequency.Label(), d.Purchase),
		ObjectType: "direct_payment", ObjectID: n.ID.String(), Link: "/api/v1/direct-payments/" + n.ID.String(),
	})
}

// describe: waiting for the team, set up (met), or ended.
func (directPaymentRoute) describe(ctx context.Context, s *Service, v *NeedView, x arrangement) error {
	ref, id := x.Referral, x.Need.ID
	v.State = referralState(ref)
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
	return nil
}

// ended stops the payments: finance is told and the reviews are cancelled.
func (directPaymentRoute) ended(ctx context.Context, s *Service, tx *Store, a accounts.Actor, needID uuid.UUID, reason string) error {
	return s.directPaymentEnded(ctx, tx, a, needID, reason)
}
