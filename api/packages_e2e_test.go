package api

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/packages"
	"github.com/carebroker/carebroker/plans"
)

// TestPackageLivesAfterTheAgreement, over HTTP on the real router: an
// agreement made through brokerage becomes a package of one line; the
// council's uplift, a hospital stay (the council records it) and the return
// (the provider asks, the broker approves), and a death ending the package
// each make new lines from their day, end the old one the day before, and
// tell finance once; bad input names the field and writes nothing.
// packageWorld is an agreement made through brokerage over HTTP (14 hours
// a week at £24.00 from ten days ahead) and the users who act on its
// package.
type packageWorld struct {
	agreementID, path                       string
	start                                   day.Date
	provider                                directoryProvider
	pracTok, brokerTok, adminTok, clientTok string
}

func newPackageWorld(t *testing.T, h *harness) packageWorld {
	t.Helper()
	ctx := context.Background()
	b := h.srv.Brokerage
	p := h.homecareProvider(t, 2400, 53.4480, -2.3500)
	pracUser, pracTok := h.user(accounts.NewUser{Email: "p@test.example", Role: accounts.Practitioner, Team: "community_led_support"})
	brokerUser, brokerTok := h.user(accounts.NewUser{Email: "b@test.example", Role: accounts.Broker})
	_, adminTok := h.user(accounts.NewUser{Email: "a@test.example", Role: accounts.Admin})
	prac, broker := pracUser.Actor(), brokerUser.Actor()
	lat, lon := 53.4465, -2.3428
	person, err := b.Plans().CreatePerson(ctx, prac, plans.NewPerson{Name: "Olive Example", DateOfBirth: day.New(1939, 1, 1),
		Address: "1 Church Road, Urmston", Postcode: "M41 9LT", Latitude: &lat, Longitude: &lon})
	if err != nil {
		t.Fatal(err)
	}
	pid := person.ID
	_, clientTok := h.user(accounts.NewUser{Email: "o@test.example", Role: accounts.Client, PersonID: &pid})
	start := day.Today(time.Now).AddDays(10)
	plan, err := b.Plans().SubmitPlan(ctx, prac, plans.NewPlan{PersonID: person.ID, PlanContent: plans.PlanContent{
		PersonalBudgetWeeklyPence: 35000, Needs: []plans.NewNeed{{Outcome: "Mornings", HowMet: plans.CouncilArranged,
			WeeklyBudgetPence: 35000, ServiceType: "homecare", HoursPerWeek: 14, StartDate: start, Urgency: plans.Standard}}}})
	if err != nil {
		t.Fatal(err)
	}
	_, reqs, err := b.SignOffPlan(ctx, prac, plan.ID)
	if err != nil {
		t.Fatal(err)
	}
	id := reqs[0].ID
	if _, err := b.RunMatch(ctx, broker, id); err != nil {
		t.Fatal(err)
	}
	invs, err := b.Invite(ctx, broker, id, []uuid.UUID{p.ServiceID})
	if err != nil {
		t.Fatal(err)
	}
	r := h.do("POST", "/api/v1/invitations/"+invs[0].ID.String()+"/offer", p.Token, map[string]any{
		"weekly_price_pence": 33600, "hourly_rate_pence": 2400, "hours_per_week": 14, "earliest_start": start.String(), "valid_until": start.AddDays(7).String()})
	wantStatus(t, r, http.StatusCreated)
	wantStatus(t, h.do("POST", "/api/v1/requests/"+id.String()+"/choice", clientTok, map[string]any{"offer_id": r.json(t)["id"]}), http.StatusCreated)
	r = h.do("POST", "/api/v1/requests/"+id.String()+"/agreement", clientTok, map[string]any{"start_date": start.String()})
	wantStatus(t, r, http.StatusCreated)
	agreementID := r.json(t)["id"].(string)
	return packageWorld{agreementID: agreementID, path: "/api/v1/agreements/" + agreementID + "/package", start: start, provider: p,
		pracTok: pracTok, brokerTok: brokerTok, adminTok: adminTok, clientTok: clientTok}
}

func TestPackageLivesAfterTheAgreement(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	w := newPackageWorld(t, h)
	agreementID, path, start, p := w.agreementID, w.path, w.start, w.provider
	pracTok, brokerTok, adminTok, clientTok := w.pracTok, w.brokerTok, w.adminTok, w.clientTok
	var r response

	get := func(tok string) packages.Package {
		t.Helper()
		r := h.do("GET", path, tok, nil)
		wantStatus(t, r, http.StatusOK)
		var pk packages.Package
		if err := json.Unmarshal(r.Body, &pk); err != nil {
			t.Fatal(err)
		}
		return pk
	}
	pk := get(brokerTok)
	if pk.Version != 1 || len(pk.Lines) != 1 || pk.Lines[0].WeeklyCostPence != 33600 || pk.Lines[0].From != start {
		t.Fatalf("the new agreement's package: %+v", pk)
	}

	// Bad input names the field and writes nothing.
	wantProblem(t, h.do("POST", path+"/changes", brokerTok, map[string]any{"kind": "hours", "from": start.AddDays(7).String(), "hours_per_week": 20, "reason": "x"}),
		http.StatusBadRequest, "version")
	wantProblem(t, h.do("POST", path+"/changes", brokerTok, map[string]any{"kind": "suspend", "version": 1, "from": start.AddDays(7).String(), "cause": "holiday", "reason": "x"}),
		http.StatusBadRequest, "cause")
	if n := h.count("package_changes", "agreement_id = ? AND kind <> 'start'", agreementID); n != 0 {
		t.Fatalf("refused changes wrote %d rows", n)
	}

	// The uplift: 3% on the provider's framework from the third week.
	var fw string
	h.srv.DB.Gorm(ctx).Raw(`SELECT l.framework_id::text FROM framework_memberships m JOIN framework_lots l ON l.id = m.lot_id WHERE l.framework_id IS NOT NULL AND m.organisation_id = ?`, p.OrgID).Scan(&fw)
	uplifted := start.AddDays(14)
	r = h.do("POST", "/api/v1/frameworks/"+fw+"/uplifts", adminTok, map[string]any{"basis_points": 300, "from": uplifted.String(), "reason": "2027/28 uplift"})
	wantStatus(t, r, http.StatusCreated)
	if got := r.json(t)["applied"]; got != 1.0 {
		t.Fatalf("the uplift applied to %v packages", got)
	}
	pk = get(pracTok)
	if l, _ := packages.InForce(pk.Lines, uplifted); l.UnitPricePence != 2472 || l.WeeklyCostPence != 14*2472 || pk.Lines[0].To != uplifted.AddDays(-1) {
		t.Fatalf("after the uplift: %+v", pk.Lines)
	}

	// A hospital stay, recorded by the practitioner; the provider asks for the return; the broker approves.
	away := start.AddDays(30)
	r = h.do("POST", path+"/changes", pracTok, map[string]any{"kind": "suspend", "version": pk.Version, "from": away.String(), "cause": "hospital", "reason": "admitted after a fall"})
	wantStatus(t, r, http.StatusCreated)
	pk = get(brokerTok)
	if l, _ := packages.InForce(pk.Lines, away); l.Kind != packages.SuspendedLine || l.WeeklyCostPence != 0 {
		t.Fatalf("during the hospital stay: %+v", l)
	}
	back := away.AddDays(9)
	r = h.do("POST", path+"/changes", p.Token, map[string]any{"kind": "resume", "version": pk.Version, "from": back.String(), "reason": "home again, visits restart"})
	wantStatus(t, r, http.StatusCreated)
	pk = get(brokerTok)
	if l, _ := packages.InForce(pk.Lines, back); l.Kind != packages.SuspendedLine {
		t.Fatalf("the provider's ask took effect before approval: %+v", l)
	}
	r = h.do("GET", "/api/v1/package-changes", brokerTok, nil)
	wantStatus(t, r, http.StatusOK)
	items := r.json(t)["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("%d asked changes", len(items))
	}
	asked := items[0].(map[string]any)["id"].(string)
	wantStatus(t, h.do("POST", "/api/v1/package-changes/"+asked+"/decision", p.Token, map[string]any{"approve": true}), http.StatusForbidden)
	wantStatus(t, h.do("POST", "/api/v1/package-changes/"+asked+"/decision", brokerTok, map[string]any{"approve": true}), http.StatusOK)
	pk = get(clientTok)
	if l, _ := packages.InForce(pk.Lines, back); l.Kind != packages.ServiceLine || l.WeeklyCostPence != 14*2472 {
		t.Fatalf("after the return: %+v", l)
	}

	// A death ends the package and the agreement, without notice.
	died := back.AddDays(20)
	r = h.do("POST", path+"/changes", brokerTok, map[string]any{"kind": "end", "version": pk.Version, "last_day": died.String(), "cause": "death", "reason": "Olive died on " + died.UK()})
	wantStatus(t, r, http.StatusCreated)
	pk = get(brokerTok)
	if pk.Agreement.Status != "ended" || pk.Agreement.EndsOn != died {
		t.Fatalf("the agreement after the death: %s until %s", pk.Agreement.Status, pk.Agreement.EndsOn)
	}
	for _, l := range pk.Lines {
		if !l.Withdrawn() && (l.To.IsZero() || l.To.After(died)) {
			t.Fatalf("a line runs past the death: %+v", l)
		}
	}
	var reserved int
	h.srv.DB.Gorm(ctx).Raw(`SELECT reserved_units FROM provider_capacity WHERE service_id = ? AND from_date <= ? ORDER BY from_date DESC LIMIT 1`, p.ServiceID, died.AddDays(1)).Scan(&reserved)
	if reserved != 0 {
		t.Fatalf("the provider still has %d hours reserved after the end", reserved)
	}
	// What the package cost from its start to the death, line by line, is
	// the sum of each day at what was in force that day.
	var want int64
	for d := start; !d.After(died); d = d.AddDays(1) {
		switch {
		case d.Before(uplifted):
			want += packages.DayCost(33600, d)
		case d.Before(away), !d.Before(back):
			want += packages.DayCost(14*2472, d)
		}
	}
	if got := packages.CostBetween(pk.Lines, start, died.AddDays(30)); got != want {
		t.Fatalf("the package cost %d, day by day %d", got, want)
	}
	if n := h.count("notifications", "agreement_id = ? AND audience_kind = 'finance' AND kind = ?", agreementID, packages.ChangedNotificationKind); n != 4 {
		t.Fatalf("finance was told of %d changes, want 4 (uplift, suspension, return, end)", n)
	}
}

// A provider's ask and a broker's change made on the same version of a
// package, sent at once over HTTP: one is 201, the other 409, and only the
// winner is written.
func TestPackageChangesRacingOverHTTPAreOneAndA409(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	w := newPackageWorld(t, h)
	for round := range 4 {
		r := h.do("GET", w.path, w.brokerTok, nil)
		wantStatus(t, r, http.StatusOK)
		version := r.json(t)["version"]
		from := w.start.AddDays(7 * (round + 1))
		statuses := make([]int, 2)
		var wg sync.WaitGroup
		gate := make(chan struct{})
		for i, tok := range []string{w.provider.Token, w.brokerTok} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-gate
				statuses[i] = h.do("POST", w.path+"/changes", tok, map[string]any{"kind": "hours", "version": version, "from": from.String(),
					"hours_per_week": 20 + 2*round + i, "reason": "race"}).Status
			}()
		}
		close(gate)
		wg.Wait()
		if !(statuses[0] == 201 && statuses[1] == 409 || statuses[0] == 409 && statuses[1] == 201) {
			t.Fatalf("round %d: statuses %v, want one 201 and one 409", round, statuses)
		}
		if statuses[0] == 201 { // the provider's ask won: refuse it so the next round starts level
			r := h.do("GET", "/api/v1/package-changes", w.brokerTok, nil)
			asked := r.json(t)["items"].([]any)[0].(map[string]any)["id"].(string)
			wantStatus(t, h.do("POST", "/api/v1/package-changes/"+asked+"/decision", w.brokerTok, map[string]any{"approve": false, "reason": "not now"}), http.StatusOK)
		}
	}
	if n := h.count("package_changes", "agreement_id = ? AND kind = 'hours'", w.agreementID); n != 4 {
		t.Fatalf("%d changes written for 4 rounds of two racing", n)
	}
}
