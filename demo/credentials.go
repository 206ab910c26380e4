package demo

import (
	"context"
	"strings"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/postgres"
)

// Domain is the email domain of every demo user.
const Domain = "demo.carebroker.example"

// Credentials lists every demo user in the database (every area's: staff,
// providers, clients), by role then email, with the password demo.Password
// gives it. The browser tests sign in with these, so they follow whatever
// users the areas' demo data creates.
func Credentials(ctx context.Context, db *postgres.DB) ([]Credential, error) {
	users, err := accounts.NewStore(db).Users(ctx, "")
	if err != nil {
		return nil, err
	}
	var out []Credential
	for _, r := range accounts.Roles {
		for _, u := range users {
			if u.Role == r && u.DisabledAt == nil && strings.HasSuffix(u.Email, "@"+Domain) {
				out = append(out, Credential{Role: u.Role, Email: u.Email, Password: Password(u.Email)})
			}
		}
	}
	return out, nil
}
