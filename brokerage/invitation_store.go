package brokerage

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"
)

func (s *Store) insertInvitation(ctx context.Context, i *Invitation) error {
	return dbErr(s.db.Gorm(ctx).Omit("id").Create(i).Error)
}

// invitation returns an invitation, locked FOR UPDATE when lock is true, or NotFound.
func (s *Store) invitation(ctx context.Context, id uuid.UUID, lock bool) (Invitation, error) {
	var i Invitation
	q := s.db.Gorm(ctx).Where("id = ?", id)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return i, notFound(q.Take(&i).Error, errNoInvitation)
}

// saveInvitation writes the columns that change after an invitation is sent.
func (s *Store) saveInvitation(ctx context.Context, i *Invitation) error {
	return dbErr(s.db.Gorm(ctx).Model(&Invitation{}).Where("id = ?", i.ID).
		Select("status", "deadline", "decline_reason", "declined_at", "chase_count", "last_chased_at").Updates(i).Error)
}

// invitationsOf lists a request's invitations in rank order.
func (s *Store) invitationsOf(ctx context.Context, requestID uuid.UUID) ([]Invitation, error) {
	var is []Invitation
	return is, dbErr(s.db.Gorm(ctx).Where("request_id = ?", requestID).Order("rank, invited_at, id").Find(&is).Error)
}

// invitationsForOrg lists a provider organisation's invitations, newest first.
func (s *Store) invitationsForOrg(ctx context.Context, orgID uuid.UUID, limit int) ([]Invitation, error) {
	var is []Invitation
	return is, dbErr(s.db.Gorm(ctx).Where("provider_org_id = ?", orgID).
		Order("invited_at DESC, id").Limit(limit).Find(&is).Error)
}

// extendInvitations moves the deadline of a request's invitations still
// waiting for an answer.
func (s *Store) extendInvitations(ctx context.Context, requestID uuid.UUID, deadline time.Time) error {
	return dbErr(s.db.Gorm(ctx).Model(&Invitation{}).
		Where("request_id = ? AND status = ? AND deadline < ?", requestID, InvitationSent, deadline).
		Update("deadline", deadline).Error)
}
