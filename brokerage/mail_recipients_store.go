package brokerage

import (
	"context"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/internal/postgres"
)

// personEmail is the person's contact address when they chose email.
func personEmail(ctx context.Context, conn postgres.Conn, id uuid.UUID) ([]string, error) {
	var out []string
	err := conn.Gorm(ctx).Table("persons").Where("id = ? AND contact_by = 'email'", id).Pluck("contact_email", &out).Error
	return out, postgres.Translate(err)
}
