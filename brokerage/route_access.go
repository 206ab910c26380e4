package brokerage

import "github.com/carebroker/carebroker/accounts"

// Who may see and work the routes other than brokerage. Anything not
// visible is reported as not found.

// canSeeDirectPayment: admins see the whole queue (read only), the direct
// payment team works every team's, and other practitioners see their own
// team's people's.
func canSeeDirectPayment(a accounts.Actor, team string) bool {
	return a.Is(accounts.Admin) || canWorkDirectPayment(a, team)
}

// canWorkDirectPayment: the direct payment team, and the practitioners of
// the person's team (who arrange the payment as the plan sets out).
func canWorkDirectPayment(a accounts.Actor, team string) bool {
	return a.Is(accounts.Practitioner) && a.Team != "" && (a.Team == DirectPaymentTeam || a.Team == team)
}

// canWorkTeam: the practitioners of a team, for what their team keeps
// (alternative services, professional support).
func canWorkTeam(a accounts.Actor, team string) bool {
	return a.Is(accounts.Practitioner) && a.Team != "" && a.Team == team
}
