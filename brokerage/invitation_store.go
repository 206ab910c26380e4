package brokerage

import (
	"context"
	"time"

	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/google/uuid"
	"gorm.io/gorm/clause"
)

// invitationRow is a row of invitations.
type invitationRow struct {
	ID            uuid.UUID `gorm:"type:uuid;primaryKey;default:gen_random_uuid()"`
	RequestID     uuid.UUID `gorm:"type:uuid"`
	MatchRunID    uuid.UUID `gorm:"type:uuid"`
	ProviderOrgID uuid.UUID `gorm:"type:uuid"`
	ServiceID     uuid.UUID `gorm:"type:uuid"`
	ProviderName  string
	ServiceName   string
	Rank          int
	Status        InvitationStatus
	InvitedBy     uuid.UUID `gorm:"type:uuid"`
	InvitedAt     time.Time
	Deadline      time.Time
	DeclineReason string
	DeclinedAt    *time.Time
	ChaseCount    int
	LastChasedAt  *time.Time
}

func (invitationRow) TableName() string { return "invitations" }

// invitationsFrom converts rows read from invitations.
func invitationsFrom(rows []invitationRow) []Invitation {
	is := make([]Invitation, len(rows))
	for i, row := range rows {
		is[i] = Invitation(row)
	}
	return is
}

// insertInvitation writes a new invitation; the database gives it its id,
// set on i.
func (s *Store) insertInvitation(ctx context.Context, i *Invitation) error {
	row := invitationRow(*i)
	if err := s.db.Gorm(ctx).Omit("id").Create(&row).Error; err != nil {
		return dbErr(err)
	}
	i.ID = row.ID
	return nil
}

// invitation returns an invitation, locked FOR UPDATE when lock is true, or NotFound.
func (s *Store) invitation(ctx context.Context, id uuid.UUID, lock bool) (Invitation, error) {
	var row invitationRow
	q := s.db.Gorm(ctx).Where("id = ?", id)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.Take(&row).Error
	return Invitation(row), postgres.NotFound(err, errNoInvitation)
}

// saveInvitation writes the columns that change after an invitation is sent.
func (s *Store) saveInvitation(ctx context.Context, i *Invitation) error {
	row := invitationRow(*i)
	return dbErr(s.db.Gorm(ctx).Model(&invitationRow{}).Where("id = ?", i.ID).
		Select("status", "deadline", "decline_reason", "declined_at", "chase_count", "last_chased_at").Updates(&row).Error)
}

// invitationsOf lists a request's invitations in rank order.
func (s *Store) invitationsOf(ctx context.Context, requestID uuid.UUID) ([]Invitation, error) {
	var rows []invitationRow
	if err := s.db.Gorm(ctx).Where("request_id = ?", requestID).Order("rank, invited_at, id").Find(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	return invitationsFrom(rows), nil
}

// invitationsForOrg lists a provider organisation's invitations, newest first.
func (s *Store) invitationsForOrg(ctx context.Context, orgID uuid.UUID, limit int) ([]Invitation, error) {
	var rows []invitationRow
	err := s.db.Gorm(ctx).Where("provider_org_id = ?", orgID).Order("invited_at DESC, id").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, dbErr(err)
	}
	return invitationsFrom(rows), nil
}

// extendInvitations moves the deadline of a request's invitations still
// waiting for an answer.
func (s *Store) extendInvitations(ctx context.Context, requestID uuid.UUID, deadline time.Time) error {
	return dbErr(s.db.Gorm(ctx).Model(&invitationRow{}).
		Where("request_id = ? AND status = ? AND deadline < ?", requestID, InvitationSent, deadline).
		Update("deadline", deadline).Error)
}
