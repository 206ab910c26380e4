package brokerage

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
)

// offerRow is a row of offers.
type offerRow struct {
	ID               uuid.UUID `gorm:"type:uuid;primaryKey;default:gen_random_uuid()"`
	InvitationID     uuid.UUID `gorm:"type:uuid"`
	RequestID        uuid.UUID `gorm:"type:uuid"`
	ProviderOrgID    uuid.UUID `gorm:"type:uuid"`
	ServiceID        uuid.UUID `gorm:"type:uuid"`
	WeeklyPricePence int64
	HourlyRatePence  int64
	HoursPerWeek     int
	Places           int
	EarliestStart    day.Date
	ValidUntil       day.Date
	Notes            string
	Status           OfferStatus
	OverBudget       bool
	Approval         Approval
	ApprovalBy       *uuid.UUID `gorm:"type:uuid"`
	ApprovalAt       *time.Time
	ApprovalNote     string
	CreatedBy        uuid.UUID `gorm:"type:uuid"`
	CreatedAt        time.Time
	WithdrawnAt      *time.Time
	WithdrawReason   string
	CannotStartAt    *time.Time
	CannotStartWhy   string `gorm:"column:cannot_start_reason"`
}

func (offerRow) TableName() string { return "offers" }

// offersFrom converts rows read from offers.
func offersFrom(rows []offerRow) []Offer {
	os := make([]Offer, len(rows))
	for i, row := range rows {
		os[i] = Offer(row)
	}
	return os
}

// insertOffer writes a new offer; the database gives it its id, set on o.
// A second live offer on one invitation is Conflict.
func (s *Store) insertOffer(ctx context.Context, o *Offer) error {
	row := offerRow(*o)
	err := s.db.Gorm(ctx).Omit("id").Create(&row).Error
	if postgres.IsUniqueViolation(err, "offers_one_live_per_invitation") {
		return errs.Conflictf("there is already an offer on this invitation; withdraw it to make another")
	}
	if err != nil {
		return dbErr(err)
	}
	o.ID = row.ID
	return nil
}

// offer returns an offer, locked FOR UPDATE when lock is true, or NotFound.
func (s *Store) offer(ctx context.Context, id uuid.UUID, lock bool) (Offer, error) {
	var row offerRow
	q := s.db.Gorm(ctx).Where("id = ?", id)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.Take(&row).Error
	return Offer(row), postgres.NotFound(err, errNoOffer)
}

// saveOffer writes the columns that change after an offer is made.
func (s *Store) saveOffer(ctx context.Context, o *Offer) error {
	row := offerRow(*o)
	err := s.db.Gorm(ctx).Model(&offerRow{}).Where("id = ?", o.ID).
		Select("status", "approval", "approval_by", "approval_at", "approval_note", "withdrawn_at", "withdraw_reason",
			"cannot_start_at", "cannot_start_reason").
		Updates(&row).Error
	if postgres.IsUniqueViolation(err, "offers_one_chosen_per_request") {
		return errs.Conflictf("another offer has already been chosen for this request")
	}
	return dbErr(err)
}

// offersOf lists a request's offers, oldest first.
func (s *Store) offersOf(ctx context.Context, requestID uuid.UUID) ([]Offer, error) {
	var rows []offerRow
	if err := s.db.Gorm(ctx).Where("request_id = ?", requestID).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	return offersFrom(rows), nil
}

// offersByInvitation lists the offers made on the given invitations.
func (s *Store) offersByInvitation(ctx context.Context, invitationIDs []uuid.UUID) ([]Offer, error) {
	if len(invitationIDs) == 0 {
		return nil, nil
	}
	var rows []offerRow
	if err := s.db.Gorm(ctx).Where("invitation_id IN ?", invitationIDs).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	return offersFrom(rows), nil
}

// acceptableOffers counts a request's offers still open, unexpired on
// today and not rejected by a budget approver.
func (s *Store) acceptableOffers(ctx context.Context, requestID uuid.UUID, today day.Date) (int, error) {
	var n int64
	err := s.db.Gorm(ctx).Model(&offerRow{}).
		Where("request_id = ? AND status = ? AND approval <> ? AND valid_until >= ?", requestID, OfferOpen, ApprovalRejected, today).
		Count(&n).Error
	return int(n), dbErr(err)
}

// pendingApprovals lists open offers waiting for a budget approver, oldest first.
func (s *Store) pendingApprovals(ctx context.Context) ([]Offer, error) {
	var rows []offerRow
	err := s.db.Gorm(ctx).Where("approval = ? AND status = ?", ApprovalPending, OfferOpen).
		Order("created_at, id").Limit(500).Find(&rows).Error
	if err != nil {
		return nil, dbErr(err)
	}
	return offersFrom(rows), nil
}

// lockOffer locks, in the transaction, offer offerID's request, its
// invitation (when lockInvitation) and the offer, in the order every use
// case locks them so that two never deadlock, and returns them. mine, when
// not nil, is asked first of the offer as it stands: false is NotFound,
// before anything is locked.
func (s *Store) lockOffer(ctx context.Context, offerID uuid.UUID, lockInvitation bool, mine func(Offer) bool) (Request, Invitation, Offer, error) {
	peek, err := s.offer(ctx, offerID, false)
	if err != nil {
		return Request{}, Invitation{}, Offer{}, err
	}
	if mine != nil && !mine(peek) {
		return Request{}, Invitation{}, Offer{}, errNoOffer
	}
	r, err := s.request(ctx, peek.RequestID, true)
	if err != nil {
		return Request{}, Invitation{}, Offer{}, err
	}
	inv, err := s.invitation(ctx, peek.InvitationID, lockInvitation)
	if err != nil {
		return Request{}, Invitation{}, Offer{}, err
	}
	o, err := s.offer(ctx, offerID, true)
	return r, inv, o, err
}
