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
	"github.com/carebroker/carebroker/plans"
)

// contingencyWeeks is how many weeks of payments a person may keep in hand
// without any being reclaimed: money unspent beyond that is reclaimed.
const contingencyWeeks = 4

// reclaimReviewDays is how soon a review is due once money is to be reclaimed.
const reclaimReviewDays = 28

// NewMonitoring is a direct payment's monitoring for a period: what was
// paid into the account and what was spent meeting the plan's outcomes.
type NewMonitoring struct {
	PeriodFrom day.Date `json:"period_from"`
	PeriodTo   day.Date `json:"period_to"`
	PaidPence  int64    `json:"paid_pence"`
	SpentPence int64    `json:"spent_pence"`
	Note       string   `json:"note"`
}

// Validate checks the monitoring as of today, naming the field that is
// wrong (Invalid): a period of at most 13 months that has ended, amounts in
// pence from 0.
func (n *NewMonitoring) Validate(today day.Date) error {
	n.Note = strings.TrimSpace(n.Note)
	const maxPence = 100 * 53 * plans.MaxWeeklyPence
	switch {
	case n.PeriodFrom.IsZero():
		return errs.InvalidField("period_from", "is required, like 2025-12-01")
	case n.PeriodTo.IsZero() || !n.PeriodTo.After(n.PeriodFrom):
		return errs.InvalidField("period_to", "must be a day after period_from")
	case n.PeriodTo.After(today):
		return errs.InvalidField("period_to", "must be today or earlier: monitor a period that has ended")
	case n.PeriodFrom.DaysUntil(n.PeriodTo) > 400:
		return errs.InvalidField("period_to", "a monitoring period is at most 13 months")
	case n.PaidPence < 0 || n.PaidPence > maxPence:
		return errs.InvalidField("paid_pence", "must be what was paid in the period, in pence, from 0")
	case n.SpentPence < 0 || n.SpentPence > maxPence:
		return errs.InvalidField("spent_pence", "must be what was spent in the period, in pence, from 0")
	case len(n.Note) > 2000:
		return errs.InvalidField("note", "must be at most 2000 characters")
	}
	return nil
}

// Monitoring is a direct payment's recorded spend against the plan for a
// period. Expected is what the plan provides for the period; money unspent
// beyond ContingencyPence (four weeks of payments) is to be reclaimed, and
// a review was raised (ReviewTaskID) when there is any.
type Monitoring struct {
	ID               uuid.UUID  `json:"id"`
	DirectPaymentID  uuid.UUID  `json:"direct_payment_id"`
	PeriodFrom       day.Date   `json:"period_from"`
	PeriodTo         day.Date   `json:"period_to"`
	ExpectedPence    int64      `json:"expected_pence"`
	PaidPence        int64      `json:"paid_pence"`
	SpentPence       int64      `json:"spent_pence"`
	UnspentPence     int64      `json:"unspent_pence"`
	ContingencyPence int64      `json:"contingency_pence"`
	ReclaimPence     int64      `json:"reclaim_pence"`
	Note             string     `json:"note,omitempty"`
	ReviewTaskID     *uuid.UUID `json:"review_task_id,omitempty"`
	RecordedBy       *uuid.UUID `json:"recorded_by,omitempty"`
	RecordedAt       time.Time  `json:"recorded_at"`
}

// monitor works out the figures for n against a payment of weekly pence a
// week: expected for the days of the period, unspent, and what to reclaim.
func monitor(n NewMonitoring, weekly int64) Monitoring {
	days := int64(n.PeriodFrom.DaysUntil(n.PeriodTo))
	m := Monitoring{PeriodFrom: n.PeriodFrom, PeriodTo: n.PeriodTo, PaidPence: n.PaidPence, SpentPence: n.SpentPence, Note: n.Note,
		ExpectedPence: (days*weekly + 3) / 7, UnspentPence: n.PaidPence - n.SpentPence, ContingencyPence: contingencyWeeks * weekly}
	m.ReclaimPence = max(0, m.UnspentPence-m.ContingencyPence)
	return m
}

// RecordMonitoring records a direct payment's monitoring for a period. When
// money is to be reclaimed it also, in the same transaction, raises a
// review of the plan for the person's team (due in four weeks), tells the
// finance team what to reclaim (once per record) and writes the audit
// events. The direct payment team and the person's team's practitioners may.
// It returns Forbidden for other roles, NotFound for one the actor may not
// see, Invalid naming the field, and Conflict when the payment was never set
// up or the period overlaps one already recorded.
func (s *Service) RecordMonitoring(ctx context.Context, a accounts.Actor, id uuid.UUID, n NewMonitoring) (Monitoring, error) {
	if err := a.Require(accounts.Practitioner); err != nil {
		return Monitoring{}, err
	}
	if err := n.Validate(s.today()); err != nil {
		return Monitoring{}, err
	}
	var m Monitoring
	err := s.store.inTx(ctx, func(tx *Store) error {
		d, r, err := tx.directPayment(ctx, id, true)
		if err != nil || !canWorkDirectPayment(a, d.Team) {
			return errNoDirectPayment
		}
		if d.SetUpAt == nil {
			return errs.Conflictf("this direct payment is %s and was never set up: there is nothing to monitor", r.Status)
		}
		if overlap, err := tx.monitoringOverlaps(ctx, d.ID, n.PeriodFrom, n.PeriodTo); err != nil {
			return err
		} else if overlap != nil {
			return errs.Conflictf("monitoring for %s to %s is already recorded; periods must not overlap", overlap.PeriodFrom.UK(), overlap.PeriodTo.UK())
		}
		m = monitor(n, d.WeeklyEquivalentPence)
		m.ID, m.DirectPaymentID, m.RecordedBy, m.RecordedAt = uuid.New(), d.ID, userRef(a), s.clock()
		if m.ReclaimPence > 0 {
			if err := s.raiseReclaim(ctx, tx, a, d, &m); err != nil {
				return err
			}
		}
		if err := tx.insertMonitoring(ctx, &m); err != nil {
			return err
		}
		return audit.Record(ctx, tx.Conn(), audit.Entry{Actor: a, Action: "direct_payment.monitor", ObjectType: "direct_payment",
			ObjectID: d.ID.String(), PersonID: d.PersonID, Summary: map[string]any{"monitoring_id": m.ID, "period_from": m.PeriodFrom,
				"period_to": m.PeriodTo, "expected_pence": m.ExpectedPence, "paid_pence": m.PaidPence, "spent_pence": m.SpentPence,
				"reclaim_pence": m.ReclaimPence, "review_task_id": m.ReviewTaskID}})
	})
	return m, err
}

// raiseReclaim raises the review that money to reclaim triggers and tells
// finance what to reclaim.
func (s *Service) raiseReclaim(ctx context.Context, tx *Store, a accounts.Actor, d DirectPaymentArrangement, m *Monitoring) error {
	names, err := tx.plans().PersonNames(ctx, []uuid.UUID{d.PersonID})
	if err != nil {
		return err
	}
	planID := d.PlanID
	why := fmt.Sprintf("Direct payment monitoring for %s to %s: %s unspent, %s to reclaim beyond %d weeks of payments in hand. Review whether the plan still meets the person's needs",
		m.PeriodFrom.UK(), m.PeriodTo.UK(), money.Format(m.UnspentPence), money.Format(m.ReclaimPence), contingencyWeeks)
	due := s.today().AddDays(reclaimReviewDays)
	task, err := s.agreements.ScheduleReview(ctx, tx.Tx(), a, agreements.NewReview{Subject: agreements.SubjectDirectPayment,
		SubjectID: d.ID, PlanID: &planID, PersonID: d.PersonID, PersonName: names[d.PersonID], Team: d.Team,
		Kind: agreements.PlanReview, DueFrom: s.today(), DueBy: due, Reason: why})
	if err != nil {
		return err
	}
	m.ReviewTaskID = &task.ID
	return s.tell(ctx, tx, agreements.Notification{
		Audience: agreements.ToFinance(), Kind: "direct_payment.reclaim", IdempotencyKey: "direct_payment.reclaim:finance:" + m.ID.String(),
		Subject:    fmt.Sprintf("Reclaim %s of unspent direct payment %s", money.Format(m.ReclaimPence), d.PaymentReference),
		Body:       why + ".",
		ObjectType: "direct_payment", ObjectID: d.ID.String(), Link: "/api/v1/direct-payments/" + d.ID.String(),
		Data: map[string]any{"direct_payment_id": d.ID, "monitoring_id": m.ID, "person_id": d.PersonID, "payment_reference": d.PaymentReference,
			"period_from": m.PeriodFrom, "period_to": m.PeriodTo, "unspent_pence": m.UnspentPence, "reclaim_pence": m.ReclaimPence},
	})
}
