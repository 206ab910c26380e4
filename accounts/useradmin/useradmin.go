// Package useradmin is what administrators do with user accounts: list
// them, create them with a role (and the team, provider organisation or
// person the role needs), and disable them. Each change is written with its
// audit event in one transaction. accounts keeps the users; this package
// adds the rule that only administrators may, and the audit trail, which
// accounts (a leaf below audit) cannot write itself.
package useradmin

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

// Service holds the use cases.
type Service struct {
	db  *postgres.DB
	now func() time.Time
}

// New returns the use cases on db.
func New(db *postgres.DB) *Service { return &Service{db: db, now: time.Now} }

// Filter narrows Users. Zero fields do not filter.
type Filter struct {
	Role     accounts.Role
	Search   string // part of the name or email address, any case
	Disabled *bool  // only disabled (true) or only active (false) accounts
}

// Users lists the accounts the filter keeps, by email. It returns
// Forbidden for anyone but an administrator and Invalid "role" for an
// unknown role.
func (s *Service) Users(ctx context.Context, a accounts.Actor, f Filter) ([]accounts.User, error) {
	if err := a.Require(accounts.Admin); err != nil {
		return nil, err
	}
	if f.Role != "" && !f.Role.Valid() {
		return nil, errs.InvalidField("role", "%q is not a role", f.Role)
	}
	all, err := accounts.NewStore(s.db).Users(ctx, f.Role)
	if err != nil {
		return nil, err
	}
	search := strings.ToLower(strings.TrimSpace(f.Search))
	out := make([]accounts.User, 0, len(all))
	for _, u := range all {
		if search != "" && !strings.Contains(strings.ToLower(u.DisplayName), search) && !strings.Contains(u.Email, search) {
			continue
		}
		if f.Disabled != nil && (u.DisabledAt != nil) != *f.Disabled {
			continue
		}
		out = append(out, u)
	}
	return out, nil
}

// User returns one account, for an administrator (Forbidden otherwise,
// NotFound for no such user).
func (s *Service) User(ctx context.Context, a accounts.Actor, id uuid.UUID) (accounts.User, error) {
	if err := a.Require(accounts.Admin); err != nil {
		return accounts.User{}, err
	}
	return accounts.NewStore(s.db).User(ctx, id)
}

// Create makes an account and records who made it. It returns Forbidden
// for anyone but an administrator, Invalid naming the field that is wrong
// (accounts.NewUser.Validate), and Conflict "email" when the address has
// an account.
func (s *Service) Create(ctx context.Context, a accounts.Actor, n accounts.NewUser) (accounts.User, error) {
	if err := a.Require(accounts.Admin); err != nil {
		return accounts.User{}, err
	}
	var u accounts.User
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		var err error
		if u, err = accounts.NewStore(tx).CreateUser(ctx, n); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "user.create", ObjectType: "user", ObjectID: u.ID.String(),
			Summary: summary(u)})
	})
	return u, translate(err)
}

// Disable disables an account, with a reason, ending its sessions.
// Administrators cannot disable their own account (so one always remains
// to undo a mistake). It returns Forbidden for anyone but an administrator
// and for their own account, Invalid "reason" without one, NotFound for no
// such user, and Conflict when it is already disabled.
func (s *Service) Disable(ctx context.Context, a accounts.Actor, id uuid.UUID, reason string) (accounts.User, error) {
	if err := a.Require(accounts.Admin); err != nil {
		return accounts.User{}, err
	}
	if id == a.UserID {
		return accounts.User{}, errs.Forbiddenf("you cannot disable your own account; ask another administrator")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > 1000 {
		return accounts.User{}, errs.InvalidField("reason", "is required: say why, in at most 1000 characters")
	}
	var u accounts.User
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		var err error
		if u, err = accounts.NewStore(tx).DisableUser(ctx, id, s.now()); err != nil {
			return err
		}
		sum := summary(u)
		sum["reason"] = reason
		return audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "user.disable", ObjectType: "user", ObjectID: u.ID.String(), Summary: sum})
	})
	return u, translate(err)
}

// summary is what the audit trail keeps of an account: never its password.
func summary(u accounts.User) map[string]any {
	m := map[string]any{"email": u.Email, "role": u.Role}
	if u.Team != nil {
		m["team"] = *u.Team
	}
	if u.ProviderOrgID != nil {
		m["provider_org_id"] = *u.ProviderOrgID
	}
	if u.PersonID != nil {
		m["person_id"] = *u.PersonID
	}
	return m
}

func translate(err error) error {
	if err == nil || errs.As(err) != nil {
		return err
	}
	return postgres.Translate(err)
}
