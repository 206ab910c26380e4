package brokerage

import (
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
)

// InvitationStatus is where a provider's answer to an invitation stands.
type InvitationStatus string

// The invitation statuses. An offer withdrawn puts its invitation back to
// sent, so the provider may offer again before the deadline.
const (
	InvitationSent     InvitationStatus = "sent"
	InvitationOffered  InvitationStatus = "offered"
	InvitationDeclined InvitationStatus = "declined"
)

// Invitation is a request sent to one provider service, with a deadline.
type Invitation struct {
	ID            uuid.UUID        `json:"id"`
	RequestID     uuid.UUID        `json:"request_id"`
	MatchRunID    uuid.UUID        `json:"match_run_id"`
	ProviderOrgID uuid.UUID        `json:"provider_org_id"`
	ServiceID     uuid.UUID        `json:"service_id"`
	ProviderName  string           `json:"provider_name"`
	ServiceName   string           `json:"service_name"`
	Rank          int              `json:"rank"`
	Status        InvitationStatus `json:"status"`
	InvitedBy     uuid.UUID        `json:"-"`
	InvitedAt     time.Time        `json:"invited_at"`
	Deadline      time.Time        `json:"deadline"`
	DeclineReason string           `json:"decline_reason,omitempty"`
	DeclinedAt    *time.Time       `json:"declined_at,omitempty"`
	ChaseCount    int              `json:"chase_count"`
	LastChasedAt  *time.Time       `json:"last_chased_at,omitempty"`
}

// open checks the invitation can still be answered at now.
func (i *Invitation) open(now time.Time) error {
	if now.After(i.Deadline) {
		return errs.Conflictf("the response deadline passed at %s; ask the broker to extend it", i.Deadline.In(london).Format("15:04 on 2 January 2006"))
	}
	return nil
}

// Answer records that the provider made an offer. The invitation must be
// waiting for an answer and within its deadline; otherwise Conflict.
func (i *Invitation) Answer(now time.Time) error {
	switch i.Status {
	case InvitationOffered:
		return errs.Conflictf("you have already made an offer on this invitation; withdraw it to make another")
	case InvitationDeclined:
		return errs.Conflictf("you declined this invitation")
	}
	if err := i.open(now); err != nil {
		return err
	}
	i.Status = InvitationOffered
	return nil
}

// Decline records the provider's refusal with a reason (Invalid "reason"
// without one). Only an invitation waiting for an answer, within its
// deadline, can be declined; otherwise Conflict.
func (i *Invitation) Decline(now time.Time, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > 1000 {
		return errs.InvalidField("reason", "is required: say why, in at most 1000 characters")
	}
	switch i.Status {
	case InvitationOffered:
		return errs.Conflictf("you have an offer on this invitation; withdraw it before declining")
	case InvitationDeclined:
		return errs.Conflictf("you have already declined this invitation")
	}
	if err := i.open(now); err != nil {
		return err
	}
	n := now
	i.Status, i.DeclineReason, i.DeclinedAt = InvitationDeclined, reason, &n
	return nil
}

// Reopen puts an offered invitation back to waiting, when its offer is
// withdrawn.
func (i *Invitation) Reopen() { i.Status = InvitationSent }

// Waiting reports whether the provider has yet to answer.
func (i *Invitation) Waiting() bool { return i.Status == InvitationSent }
