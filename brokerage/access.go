package brokerage

import "github.com/carebroker/carebroker/accounts"

// Per-object access. Roles that may use an endpoint at all are checked by
// the API; these decide, object by object, what an actor may see. Anything
// not visible is reported as not found.

// canSeeRequest: brokers and budget approvers see every request,
// practitioners their team's, a client their own person's. Providers never
// see requests, only their own invitations.
func canSeeRequest(a accounts.Actor, r Request) bool {
	switch a.Role {
	case accounts.Broker, accounts.BudgetApprover:
		return true
	case accounts.Practitioner:
		return a.Team != "" && r.Team == a.Team
	case accounts.Client:
		return a.PersonID == r.PersonID
	}
	return false
}

// canWorkRequest: who may hold, resume or cancel a request: brokers, and
// practitioners of the request's team.
func canWorkRequest(a accounts.Actor, r Request) bool {
	return a.Is(accounts.Broker) || (a.Is(accounts.Practitioner) && canSeeRequest(a, r))
}
