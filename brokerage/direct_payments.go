package brokerage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/money"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/plans"
)

// DirectPaymentView is a direct payment as the direct payment team's queue
// shows it: the arrangement, its state, whose it is, the outcome it is for,
// the legal restrictions as checked, and its monitoring.
type DirectPaymentView struct {
	DirectPaymentArrangement
	Status       RouteStatus              `json:"status"`
	PersonName   string                   `json:"person_name"`
	Outcome      string                   `json:"outcome"`
	Restrictions []plans.RestrictionCheck `json:"restrictions"`
	EndedAt      *time.Time               `json:"ended_at,omitempty"`
	EndReason    string                   `json:"end_reason,omitempty"`
	Monitoring   []Monitoring             `json:"monitoring,omitempty"`
}

// DirectPayments lists the direct payment queue, oldest first: every team's
// for the direct payment team and admins, the practitioner's own team's
// otherwise. It returns Forbidden for other roles and Invalid naming
// "status" for an unknown status.
func (s *Service) DirectPayments(ctx context.Context, a accounts.Actor, f DirectPaymentFilter) ([]DirectPaymentView, error) {
	if err := a.Require(accounts.Practitioner, accounts.Admin); err != nil {
		return nil, err
	}
	if err := routeStatusFilter(&f.Status); err != nil {
		return nil, err
	}
	f.Team = ""
	if a.Is(accounts.Practitioner) && a.Team != DirectPaymentTeam {
		f.Team = a.Team
	}
	ctx = postgres.TolerateLag(ctx) // a queue to work from: the read replica may serve it
	ds, refs, err := s.store.directPayments(ctx, f)
	if err != nil {
		return nil, err
	}
	return s.directPaymentViews(ctx, s.store, ds, refs)
}

// DirectPayment returns one direct payment with its monitoring: NotFound
// unless the actor may see it (see DirectPayments).
func (s *Service) DirectPayment(ctx context.Context, a accounts.Actor, id uuid.UUID) (DirectPaymentView, error) {
	d, r, err := s.store.directPayment(ctx, id, false)
	if err != nil || !canSeeDirectPayment(a, d.Team) {
		return DirectPaymentView{}, errNoDirectPayment
	}
	vs, err := s.directPaymentViews(ctx, s.store, []DirectPaymentArrangement{d}, map[uuid.UUID]referral{d.ID: r})
	if err != nil {
		return DirectPaymentView{}, err
	}
	if vs[0].Monitoring, err = s.store.monitoringOf(ctx, d.ID); err != nil {
		return DirectPaymentView{}, err
	}
	return vs[0], nil
}

func (s *Service) directPaymentViews(ctx context.Context, st *Store, ds []DirectPaymentArrangement, refs map[uuid.UUID]referral) ([]DirectPaymentView, error) {
	ids, people := make([]uuid.UUID, len(ds)), make([]uuid.UUID, len(ds))
	for i, d := range ds {
		ids[i], people[i] = d.ID, d.PersonID
	}
	needs, names, err := st.needsAndNames(ctx, ids, people)
	if err != nil {
		return nil, err
	}
	out := make([]DirectPaymentView, len(ds))
	for i, d := range ds {
		r, n := refs[d.ID], needs[d.ID]
		out[i] = DirectPaymentView{DirectPaymentArrangement: d, Status: r.Status, PersonName: names[d.PersonID], Outcome: n.Outcome,
			Restrictions: []plans.RestrictionCheck{}, EndedAt: r.EndedAt, EndReason: r.EndReason}
		if n.DirectPayment != nil {
			out[i].Restrictions = n.DirectPayment.Restrictions
		}
	}
	return out, nil
}

// DirectPaymentSetUp is what the direct payment team records when a
// payment is arranged.
type DirectPaymentSetUp struct {
	FirstPaymentOn   day.Date `json:"first_payment_on"`
	PaymentReference string   `json:"payment_reference"`
}

// SetUpDirectPayment records a direct payment as set up, so the need it is
// for is met: the day of the first payment and the payment reference. In
// the same transaction it ends any arrangement the need replaced (interim
// support, or the way a review changed), tells the finance team (once per
// direct payment) and the person, and writes the audit event. The direct
// payment team and the practitioners of the person's team may. It returns
// Forbidden for other roles, NotFound for one the actor may not see,
// Invalid naming the field, and Conflict unless it is awaiting set-up.
func (s *Service) SetUpDirectPayment(ctx context.Context, a accounts.Actor, id uuid.UUID, in DirectPaymentSetUp) (DirectPaymentView, error) {
	if err := a.Require(accounts.Practitioner); err != nil {
		return DirectPaymentView{}, err
	}
	in.PaymentReference = strings.TrimSpace(in.PaymentReference)
	switch {
	case in.FirstPaymentOn.IsZero():
		return DirectPaymentView{}, errs.InvalidField("first_payment_on", "is required: the day of the first payment, like 2026-12-07")
	case in.FirstPaymentOn.Before(s.today()):
		return DirectPaymentView{}, errs.InvalidField("first_payment_on", "must be today or later")
	case in.PaymentReference == "" || len(in.PaymentReference) > 100:
		return DirectPaymentView{}, errs.InvalidField("payment_reference", "must be the payment's reference in the council's payment system, at most 100 characters")
	}
	var view DirectPaymentView
	err := s.store.inTx(ctx, func(tx *Store) error {
		d, r, err := tx.directPayment(ctx, id, true)
		if err != nil || !canWorkDirectPayment(a, d.Team) {
			return errNoDirectPayment
		}
		before := r.Status
		now := s.clock()
		if err := r.meet(userRef(a), now); err != nil {
			return err
		}
		d.FirstPaymentOn, d.PaymentReference, d.SetUpBy, d.SetUpAt = in.FirstPaymentOn, in.PaymentReference, userRef(a), &now
		if err := tx.saveDirectPaymentSetUp(ctx, &d); err != nil {
			return err
		}
		if err := tx.saveReferral(ctx, &r); err != nil {
			return err
		}
		n, err := tx.plans().Need(ctx, d.ID)
		if err != nil {
			return err
		}
		what := fmt.Sprintf("a direct payment of %s %s", money.Format(d.AmountPence), d.Frequency.Label())
		if err := s.replacementInPlace(ctx, tx, a, n, d.FirstPaymentOn, nil, what); err != nil {
			return err
		}
		if err := s.tellDirectPayment(ctx, tx, d, "direct_payment.set_up",
			fmt.Sprintf("Direct payment set up: %s %s from %s", money.Format(d.AmountPence), d.Frequency.Label(), d.FirstPaymentOn.UK()),
			fmt.Sprintf("Pay %s %s from %s (reference %s) for %s. The person manages the money.", money.Format(d.AmountPence),
				d.Frequency.Label(), d.FirstPaymentOn.UK(), d.PaymentReference, d.Purchase)); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx.Conn(), audit.Entry{Actor: a, Action: "direct_payment.set_up", ObjectType: "direct_payment",
			ObjectID: d.ID.String(), PersonID: d.PersonID, Summary: map[string]any{"before": map[string]any{"status": before},
				"after": map[string]any{"status": r.Status}, "first_payment_on": d.FirstPaymentOn, "amount_pence": d.AmountPence,
				"frequency": d.Frequency}}); err != nil {
			return err
		}
		vs, err := s.directPaymentViews(ctx, tx, []DirectPaymentArrangement{d}, map[uuid.UUID]referral{d.ID: r})
		if err == nil {
			view = vs[0]
		}
		return err
	})
	return view, err
}

// EndDirectPayment stops a direct payment (the person no longer wants it,
// say), with a reason: the need it met is no longer met. In the same
// transaction it cancels the payment's open reviews, tells the finance team
// (once) and the person, and writes the audit event. It returns Forbidden,
// NotFound, Invalid "reason", or Conflict if it already ended.
func (s *Service) EndDirectPayment(ctx context.Context, a accounts.Actor, id uuid.UUID, reason string) (DirectPaymentView, error) {
	if err := a.Require(accounts.Practitioner); err != nil {
		return DirectPaymentView{}, err
	}
	reason, err := requireReason(reason)
	if err != nil {
		return DirectPaymentView{}, err
	}
	var view DirectPaymentView
	err = s.store.inTx(ctx, func(tx *Store) error {
		d, r, err := tx.directPayment(ctx, id, true)
		if err != nil || !canWorkDirectPayment(a, d.Team) {
			return errNoDirectPayment
		}
		if r.Status == RouteEnded {
			return errs.Conflictf("this direct payment already ended on %s: %s", r.EndedAt.Format("2 January 2006"), r.EndReason)
		}
		n, err := tx.plans().Need(ctx, d.ID)
		if err != nil {
			return err
		}
		if err := s.endArrangement(ctx, tx, a, arrangement{Need: n, Referral: &r}, s.today(), reason, nil); err != nil {
			return err
		}
		if r, err = tx.referral(ctx, d.ID, false); err != nil {
			return err
		}
		vs, err := s.directPaymentViews(ctx, tx, []DirectPaymentArrangement{d}, map[uuid.UUID]referral{d.ID: r})
		if err == nil {
			view = vs[0]
		}
		return err
	})
	return view, err
}

// directPaymentEnded does, in tx, what follows a direct payment's end: its
// open reviews are cancelled and, if it was set up, finance is told to stop
// paying it (once) and the person told.
func (s *Service) directPaymentEnded(ctx context.Context, tx *Store, a accounts.Actor, id uuid.UUID, reason string) error {
	d, _, err := tx.directPayment(ctx, id, false)
	if err != nil {
		return err
	}
	if _, err := s.agreements.CancelReviews(ctx, tx.Tx(), a, agreements.SubjectDirectPayment, d.ID, "the direct payment ended: "+reason); err != nil {
		return err
	}
	if d.SetUpAt == nil {
		return nil // never set up: finance never heard of it, and nothing was paid
	}
	return s.tellDirectPayment(ctx, tx, d, "direct_payment.ended", "Direct payment ended: "+money.Format(d.AmountPence)+" "+d.Frequency.Label(),
		fmt.Sprintf("The direct payment of %s %s ended: %s. Stop paying it (reference %s).", money.Format(d.AmountPence), d.Frequency.Label(), reason, d.PaymentReference))
}

// tellDirectPayment tells the finance team, once per direct payment and
// kind, and the person.
func (s *Service) tellDirectPayment(ctx context.Context, tx *Store, d DirectPaymentArrangement, kind, subject, body string) error {
	link := "/api/v1/direct-payments/" + d.ID.String()
	data := map[string]any{"direct_payment_id": d.ID, "person_id": d.PersonID, "plan_id": d.PlanID, "amount_pence": d.AmountPence,
		"frequency": d.Frequency, "weekly_equivalent_pence": d.WeeklyEquivalentPence, "first_payment_on": d.FirstPaymentOn,
		"payment_reference": d.PaymentReference, "for_carer": d.ForCarer}
	for _, n := range []agreements.Notification{
		{Audience: agreements.ToFinance(), Kind: kind, IdempotencyKey: kind + ":finance:" + d.ID.String(), Subject: subject, Body: body,
			ObjectType: "direct_payment", ObjectID: d.ID.String(), Link: link, Data: data},
		{Audience: agreements.ToPerson(d.PersonID), Kind: kind, IdempotencyKey: kind + ":person:" + d.ID.String(), Subject: subject,
			ObjectType: "direct_payment", ObjectID: d.ID.String()},
	} {
		if err := s.tell(ctx, tx, n); err != nil {
			return err
		}
	}
	return nil
}
