package brokerage

import (
	"context"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

func (s *Store) insertOffer(ctx context.Context, o *Offer) error {
	err := s.db.Gorm(ctx).Omit("id").Create(o).Error
	if isUniqueViolation(err, "offers_one_live_per_invitation") {
		return errs.Conflictf("there is already an offer on this invitation; withdraw it to make another")
	}
	return dbErr(err)
}

// offer returns an offer, locked FOR UPDATE when lock is true, or NotFound.
func (s *Store) offer(ctx context.Context, id uuid.UUID, lock bool) (Offer, error) {
	var o Offer
	q := s.db.Gorm(ctx).Where("id = ?", id)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return o, notFound(q.Take(&o).Error, errNoOffer)
}

// saveOffer writes the columns that change after an offer is made.
func (s *Store) saveOffer(ctx context.Context, o *Offer) error {
	err := s.db.Gorm(ctx).Model(&Offer{}).Where("id = ?", o.ID).
		Select("status", "approval", "approval_by", "approval_at", "approval_note", "withdrawn_at", "withdraw_reason",
			"cannot_start_at", "cannot_start_reason").
		Updates(o).Error
	if isUniqueViolation(err, "offers_one_chosen_per_request") {
		return errs.Conflictf("another offer has already been chosen for this request")
	}
	return dbErr(err)
}

// offersOf lists a request's offers, oldest first.
func (s *Store) offersOf(ctx context.Context, requestID uuid.UUID) ([]Offer, error) {
	var os []Offer
	return os, dbErr(s.db.Gorm(ctx).Where("request_id = ?", requestID).Order("created_at, id").Find(&os).Error)
}

// offersByInvitation lists the offers made on the given invitations.
func (s *Store) offersByInvitation(ctx context.Context, invitationIDs []uuid.UUID) ([]Offer, error) {
	if len(invitationIDs) == 0 {
		return nil, nil
	}
	var os []Offer
	return os, dbErr(s.db.Gorm(ctx).Where("invitation_id IN ?", invitationIDs).Order("created_at, id").Find(&os).Error)
}

// acceptableOffers counts a request's offers still open, unexpired on
// today and not rejected by a budget approver.
func (s *Store) acceptableOffers(ctx context.Context, requestID uuid.UUID, today day.Date) (int, error) {
	var n int64
	err := s.db.Gorm(ctx).Model(&Offer{}).
		Where("request_id = ? AND status = ? AND approval <> ? AND valid_until >= ?", requestID, OfferOpen, ApprovalRejected, today).
		Count(&n).Error
	return int(n), dbErr(err)
}

// pendingApprovals lists open offers waiting for a budget approver, oldest first.
func (s *Store) pendingApprovals(ctx context.Context) ([]Offer, error) {
	var os []Offer
	return os, dbErr(s.db.Gorm(ctx).Where("approval = ? AND status = ?", ApprovalPending, OfferOpen).
		Order("created_at, id").Limit(500).Find(&os).Error)
}
