package frontend

import (
	"net/http"
	"testing"

	"github.com/carebroker/carebroker/accounts"
)

// The weights every ranking uses are published to every signed-in role.
func TestEveryRoleReadsHowProvidersAreRanked(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	for _, role := range []accounts.Role{accounts.Broker, accounts.Admin, accounts.Finance, accounts.BudgetApprover} {
		b, _ := w.signedIn(role, "")
		r := b.get("/how-providers-are-ranked")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "How providers are ranked", "score out of 100", ">Distance<", ">25<", ">Quality rating<",
			">Price against budget<", ">20<", ">Preferences met<", ">Continuity<", ">10<",
			"20 km (12.4 miles)", ">Good<", ">80%<", "rated Inadequate")
	}
}
