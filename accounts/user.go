package accounts

import (
	"net/mail"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
)

// User is someone who signs in.
type User struct {
	ID                uuid.UUID  `gorm:"type:uuid;primaryKey;default:gen_random_uuid()"`
	Email             string     `gorm:"column:email"`
	DisplayName       string     `gorm:"column:display_name"`
	PasswordHash      string     `gorm:"column:password_hash"`
	Role              Role       `gorm:"column:role"`
	Team              *string    `gorm:"column:team"`
	ProviderOrgID     *uuid.UUID `gorm:"column:provider_org_id;type:uuid"`
	PersonID          *uuid.UUID `gorm:"column:person_id;type:uuid"`
	PasswordChangedAt time.Time  `gorm:"column:password_changed_at"`
	DisabledAt        *time.Time `gorm:"column:disabled_at"`
	CreatedAt         time.Time  `gorm:"column:created_at"`
}

// TableName is the table accounts owns for users.
func (User) TableName() string { return "users" }

// Actor returns the user as the actor of a request.
func (u User) Actor() Actor {
	a := Actor{UserID: u.ID, Name: u.DisplayName, Role: u.Role}
	if u.Team != nil {
		a.Team = *u.Team
	}
	if u.ProviderOrgID != nil {
		a.ProviderOrgID = *u.ProviderOrgID
	}
	if u.PersonID != nil {
		a.PersonID = *u.PersonID
	}
	return a
}

// NewUser is what an admin (or the seed) gives to create a user.
type NewUser struct {
	Email         string     `json:"email"`
	DisplayName   string     `json:"display_name"`
	Password      string     `json:"password"`
	Role          Role       `json:"role"`
	Team          string     `json:"team,omitempty"`
	ProviderOrgID *uuid.UUID `json:"provider_org_id,omitempty"`
	PersonID      *uuid.UUID `json:"person_id,omitempty"`
}

// NormaliseEmail lower-cases and trims an email address.
func NormaliseEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate checks the new user, naming the first field that is wrong.
func (n *NewUser) Validate() error {
	n.Email = NormaliseEmail(n.Email)
	n.DisplayName = strings.TrimSpace(n.DisplayName)
	if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email {
		return errs.InvalidField("email", "must be an email address like name@example.org")
	}
	if n.DisplayName == "" || len(n.DisplayName) > 200 {
		return errs.InvalidField("display_name", "must be between 1 and 200 characters")
	}
	if err := CheckPassword("password", n.Password); err != nil {
		return err
	}
	if !n.Role.Valid() {
		return errs.InvalidField("role", "must be one of practitioner, broker, budget_approver, provider, client, finance, admin")
	}
	if n.Team != "" && !ValidTeam(n.Team) {
		return errs.InvalidField("team", "is not a known team")
	}
	if n.Role == Practitioner && n.Team == "" {
		return errs.InvalidField("team", "is required for a practitioner")
	}
	if (n.Role == ProviderUser) != (n.ProviderOrgID != nil) {
		return errs.InvalidField("provider_org_id", "is required for a provider user and only for one")
	}
	if (n.Role == Client) != (n.PersonID != nil) {
		return errs.InvalidField("person_id", "is required for a client and only for one")
	}
	return nil
}
