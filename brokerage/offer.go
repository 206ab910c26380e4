package brokerage

import (
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/money"
	"github.com/carebroker/carebroker/plans"
)

// OfferStatus is where an offer stands.
type OfferStatus string

// The offer statuses.
const (
	OfferOpen      OfferStatus = "open"
	OfferWithdrawn OfferStatus = "withdrawn"
	OfferChosen    OfferStatus = "chosen"
	OfferNotChosen OfferStatus = "not_chosen"
	// OfferCannotStart is a chosen offer whose provider turned out unable
	// to start (no place left when the start date was agreed, say).
	OfferCannotStart OfferStatus = "cannot_start"
)

// Approval is a budget approver's decision on an offer over the budget.
type Approval string

// The approval states. An offer within budget needs none.
const (
	ApprovalNotNeeded Approval = "not_needed"
	ApprovalPending   Approval = "pending"
	ApprovalApproved  Approval = "approved"
	ApprovalRejected  Approval = "rejected"
)

// Offer is a provider's answer to an invitation.
type Offer struct {
	ID               uuid.UUID   `json:"id"`
	InvitationID     uuid.UUID   `json:"invitation_id"`
	RequestID        uuid.UUID   `json:"request_id"`
	ProviderOrgID    uuid.UUID   `json:"provider_org_id"`
	ServiceID        uuid.UUID   `json:"service_id"`
	WeeklyPricePence int64       `json:"weekly_price_pence"`
	HourlyRatePence  int64       `json:"hourly_rate_pence"`
	HoursPerWeek     int         `json:"hours_per_week"`
	Places           int         `json:"places"`
	EarliestStart    day.Date    `json:"earliest_start"`
	ValidUntil       day.Date    `json:"valid_until"`
	Notes            string      `json:"notes"`
	Status           OfferStatus `json:"status"`
	OverBudget       bool        `json:"over_budget"`
	Approval         Approval    `json:"approval"`
	ApprovalBy       *uuid.UUID  `json:"-"`
	ApprovalAt       *time.Time  `json:"approval_at,omitempty"`
	ApprovalNote     string      `json:"approval_note,omitempty"`
	CreatedBy        uuid.UUID   `json:"-"`
	CreatedAt        time.Time   `json:"created_at"`
	WithdrawnAt      *time.Time  `json:"withdrawn_at,omitempty"`
	WithdrawReason   string      `json:"withdraw_reason,omitempty"`
	CannotStartAt    *time.Time  `json:"cannot_start_at,omitempty"`
	CannotStartWhy   string      `json:"cannot_start_reason,omitempty"`
}

// NewOffer is what a provider gives to offer.
type NewOffer struct {
	WeeklyPricePence int64    `json:"weekly_price_pence"`
	HourlyRatePence  int64    `json:"hourly_rate_pence"`
	HoursPerWeek     int      `json:"hours_per_week"`
	Places           int      `json:"places"`
	EarliestStart    day.Date `json:"earliest_start"`
	ValidUntil       day.Date `json:"valid_until"`
	Notes            string   `json:"notes"`
}

// Validate checks an offer for request r on day today, naming the first
// field that is wrong (Invalid). Care at home is priced by the hour: the
// weekly price must be the hourly rate times the hours.
func (n *NewOffer) Validate(r Request, today day.Date) error {
	n.Notes = strings.TrimSpace(n.Notes)
	switch {
	case n.WeeklyPricePence <= 0 || n.WeeklyPricePence > plans.MaxWeeklyPence:
		return errs.InvalidField("weekly_price_pence", "must be from 1 to %d pence a week", plans.MaxWeeklyPence)
	case r.ServiceType.HourBased() && (n.HoursPerWeek < 1 || n.HoursPerWeek > 168):
		return errs.InvalidField("hours_per_week", "%s is priced by the hour: give 1 to 168 hours a week", r.ServiceType.Label())
	case r.ServiceType.HourBased() && n.Places != 0:
		return errs.InvalidField("places", "%s is measured in hours a week, not places", r.ServiceType.Label())
	case r.ServiceType.HourBased() && n.HourlyRatePence <= 0:
		return errs.InvalidField("hourly_rate_pence", "is required for %s: the rate in pence an hour", r.ServiceType.Label())
	case r.ServiceType.HourBased() && n.HourlyRatePence*int64(n.HoursPerWeek) != n.WeeklyPricePence:
		return errs.InvalidField("weekly_price_pence", "must be the hourly rate times the hours: %s × %d = %s",
			money.Format(n.HourlyRatePence), n.HoursPerWeek, money.Format(n.HourlyRatePence*int64(n.HoursPerWeek)))
	case !r.ServiceType.HourBased() && (n.Places < 1 || n.Places > 7):
		return errs.InvalidField("places", "%s is measured in places: give 1 to 7", r.ServiceType.Label())
	case !r.ServiceType.HourBased() && n.HoursPerWeek != 0:
		return errs.InvalidField("hours_per_week", "%s is measured in places, not hours", r.ServiceType.Label())
	case !r.ServiceType.HourBased() && n.HourlyRatePence != 0:
		return errs.InvalidField("hourly_rate_pence", "%s is priced by the week; leave the hourly rate out", r.ServiceType.Label())
	case n.EarliestStart.IsZero():
		return errs.InvalidField("earliest_start", "is required: the first day you could start, like 2026-12-01")
	case n.EarliestStart.Before(today):
		return errs.InvalidField("earliest_start", "must be today or later")
	case n.ValidUntil.IsZero():
		return errs.InvalidField("valid_until", "is required: the last day the offer stands")
	case n.ValidUntil.Before(today):
		return errs.InvalidField("valid_until", "must be today or later")
	case len(n.Notes) > 2000:
		return errs.InvalidField("notes", "must be at most 2000 characters")
	}
	return nil
}

// Withdraw takes back an open offer. A chosen, withdrawn or not chosen
// offer is Conflict.
func (o *Offer) Withdraw(now time.Time, reason string) error {
	reason = strings.TrimSpace(reason)
	if len(reason) > 1000 {
		return errs.InvalidField("reason", "must be at most 1000 characters")
	}
	if o.Status != OfferOpen {
		return errs.Conflictf("the offer is %s and can no longer be withdrawn", o.Status.label())
	}
	n := now
	o.Status, o.WithdrawnAt, o.WithdrawReason = OfferWithdrawn, &n, reason
	return nil
}

// CannotStart records that the provider of the chosen offer cannot start,
// and why. Only a chosen offer can be marked so (else Conflict).
func (o *Offer) CannotStart(now time.Time, reason string) error {
	if o.Status != OfferChosen {
		return errs.Conflictf("the offer is %s, not the chosen one", o.Status.label())
	}
	n := now
	o.Status, o.CannotStartAt, o.CannotStartWhy = OfferCannotStart, &n, reason
	return nil
}

// StandAgain puts an offer closed by a choice back in play after that
// choice fell through, if it still stands on today: not expired and not
// rejected by a budget approver. It reports whether it did; offers
// withdrawn, expired, rejected or in any other status stay as they are.
func (o *Offer) StandAgain(today day.Date) bool {
	if o.Status != OfferNotChosen || o.Approval == ApprovalRejected || o.ValidUntil.Before(today) {
		return false
	}
	o.Status = OfferOpen
	return true
}

// Decide records a budget approver's decision on an open offer over the
// budget. Rejecting needs a note (Invalid "note"). An offer within budget,
// already decided, or no longer open is Conflict.
func (o *Offer) Decide(now time.Time, by uuid.UUID, approve bool, note string) error {
	note = strings.TrimSpace(note)
	if !approve && note == "" {
		return errs.InvalidField("note", "is required when rejecting: say why")
	}
	if len(note) > 1000 {
		return errs.InvalidField("note", "must be at most 1000 characters")
	}
	switch {
	case o.Approval == ApprovalNotNeeded:
		return errs.Conflictf("the offer is within the budget; there is nothing to approve")
	case o.Approval != ApprovalPending:
		return errs.Conflictf("the offer was already %s", o.Approval)
	case o.Status != OfferOpen:
		return errs.Conflictf("the offer is %s; there is nothing to decide", o.Status.label())
	}
	n, b := now, by
	o.Approval, o.ApprovalAt, o.ApprovalBy, o.ApprovalNote = ApprovalRejected, &n, &b, note
	if approve {
		o.Approval = ApprovalApproved
	}
	return nil
}

// Choosable says why the offer cannot be chosen on day today (Conflict),
// or nil if it can.
func (o *Offer) Choosable(today day.Date) error {
	switch {
	case o.Status != OfferOpen:
		return errs.Conflictf("the offer is %s and cannot be chosen", o.Status.label())
	case o.Approval == ApprovalPending:
		return errs.Conflictf("the offer is over the budget and waiting for a budget approver")
	case o.Approval == ApprovalRejected:
		return errs.Conflictf("the offer is over the budget and a budget approver rejected it")
	case o.ValidUntil.Before(today):
		return errs.Conflictf("the offer expired on %s", o.ValidUntil.UK())
	}
	return nil
}

// Acceptable reports whether the offer is still a live option on today:
// open, not expired and not rejected by a budget approver (one waiting for
// approval still counts).
func (o *Offer) Acceptable(today day.Date) bool {
	return o.Status == OfferOpen && o.Approval != ApprovalRejected && !o.ValidUntil.Before(today)
}

// label is the status as it reads after "the offer is".
func (s OfferStatus) label() string {
	if s == OfferCannotStart {
		return "from a provider who cannot start"
	}
	return strings.ReplaceAll(string(s), "_", " ")
}

// moneyWeek writes a weekly amount: "£392.00 a week".
func moneyWeek(pence int64) string { return money.Format(pence) + " a week" }

// moneyOf writes an amount: "£42.00".
func moneyOf(pence int64) string { return money.Format(pence) }
