package accounts

import (
	"context"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/internal/postgres"
)

// Addressees says whose email addresses to list: every active user with
// Role, narrowed to one provider organisation, one team or one user when
// those are set.
type Addressees struct {
	Role          Role
	ProviderOrgID uuid.UUID
	Team          string
	UserID        uuid.UUID
}

// EmailAddresses lists the email addresses of the active (not disabled)
// users who are the addressees, in order, on conn (the database or the
// caller's transaction).
func EmailAddresses(ctx context.Context, conn postgres.Conn, who Addressees) ([]string, error) {
	q := conn.Gorm(ctx).Table("users").Where("disabled_at IS NULL").Order("email")
	if who.Role != "" {
		q = q.Where("role = ?", who.Role)
	}
	if who.ProviderOrgID != uuid.Nil {
		q = q.Where("provider_org_id = ?", who.ProviderOrgID)
	}
	if who.Team != "" {
		q = q.Where("team = ?", who.Team)
	}
	if who.UserID != uuid.Nil {
		q = q.Where("id = ?", who.UserID)
	}
	var out []string
	return out, postgres.Translate(q.Pluck("email", &out).Error)
}
