// Package accounts owns the people who sign in: users, their roles and the
// organisation or person a user is bound to, password hashes and refresh
// tokens. Actor is the value every use case receives to decide what the
// caller may see and do.
package accounts

import (
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
)

// Role is what a user does in the service.
type Role string

// The roles, from DESIGN.md.
const (
	Practitioner   Role = "practitioner"
	Broker         Role = "broker"
	BudgetApprover Role = "budget_approver"
	ProviderUser   Role = "provider"
	Client         Role = "client"
	Finance        Role = "finance"
	Admin          Role = "admin"
	System         Role = "system" // background workers; never a signed-in user
)

// Roles lists every role a user can have, in a stable order.
var Roles = []Role{Practitioner, Broker, BudgetApprover, ProviderUser, Client, Finance, Admin}

// Valid reports whether r is a role a user can have.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Teams are the council teams a practitioner (and a person's case) belongs
// to. Specialist requests are raised only by SpecialistTeams.
var Teams = []string{
	"initial_contact", "community_led_support", "learning_disability", "mental_health",
	"community_response_hub", "reablement", "life_planning",
	// The direct payment team sets up direct payments for every team's people.
	"direct_payments",
}

// SpecialistTeams may raise requests for specialist services (seed 001).
var SpecialistTeams = map[string]bool{"life_planning": true, "mental_health": true}

// ValidTeam reports whether team is one of Teams.
func ValidTeam(team string) bool {
	for _, t := range Teams {
		if t == team {
			return true
		}
	}
	return false
}

// Actor is who is calling: a signed-in user, or the system itself.
type Actor struct {
	UserID        uuid.UUID `json:"user_id"`
	Name          string    `json:"name"`
	Role          Role      `json:"role"`
	Team          string    `json:"team,omitempty"`
	ProviderOrgID uuid.UUID `json:"provider_org_id,omitzero"`
	PersonID      uuid.UUID `json:"person_id,omitzero"`
}

// SystemActor is the actor background workers act as.
var SystemActor = Actor{Name: "system", Role: System}

// Is reports whether the actor has one of the given roles.
func (a Actor) Is(roles ...Role) bool {
	for _, r := range roles {
		if a.Role == r {
			return true
		}
	}
	return false
}

// Require returns Forbidden unless the actor has one of the given roles.
func (a Actor) Require(roles ...Role) error {
	if a.Is(roles...) {
		return nil
	}
	return errs.Forbiddenf("a %s cannot do this", a.Role)
}
