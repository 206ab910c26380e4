package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/redisx/redistest"
	"github.com/carebroker/carebroker/providers"
)

// testClock is the service's clock in the arrangement tests, which move it
// (an alternative service falls overdue, a year of direct payments passes).
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) today() day.Date { return day.Today(c.now) }

func (c *testClock) advance(days int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.AddDate(0, 0, days)
}

// arrWorld is a real router on a fresh database whose brokerage,
// agreements and directory read the test's clock, with a signed-in user for
// each part of the council: a practitioner of community_led_support, one of
// the direct payment team, one of another team, a broker, finance, an admin,
// and a home care agency near Urmston with a user.
type arrWorld struct {
	*harness
	clock                                          *testClock
	prac, dpTeam, otherPrac, broker, finance, admn string
	agency                                         directoryProvider
}

var arrSeq atomic.Int64

func newArrWorld(t *testing.T) *arrWorld {
	t.Helper()
	db := pgtest.New(t)
	cfg := testConfig(t)
	clock := &testClock{t: time.Now().UTC()}
	dir := providers.NewStore(db, providers.WithClock(clock.now))
	deals := agreements.NewStore(db, agreements.WithClock(clock.now))
	srv := New(Deps{Config: cfg, DB: db, Redis: redistest.New(t), Accounts: accounts.NewStore(db), Providers: dir, Agreements: deals,
		Brokerage: brokerage.New(db, brokerage.Config{Now: clock.now, Directory: dir, Agreements: deals})})
	w := &arrWorld{harness: &harness{t: t, srv: srv, cfg: cfg}, clock: clock}
	_, w.prac = w.user(accounts.NewUser{Email: "prac@council.test", Role: accounts.Practitioner, Team: "community_led_support"})
	_, w.dpTeam = w.user(accounts.NewUser{Email: "dp@council.test", Role: accounts.Practitioner, Team: brokerage.DirectPaymentTeam})
	_, w.otherPrac = w.user(accounts.NewUser{Email: "mh@council.test", Role: accounts.Practitioner, Team: "mental_health"})
	_, w.broker = w.user(accounts.NewUser{Email: "broker@council.test", Role: accounts.Broker})
	_, w.finance = w.user(accounts.NewUser{Email: "finance@council.test", Role: accounts.Finance})
	_, w.admn = w.user(accounts.NewUser{Email: "admin@council.test", Role: accounts.Admin})
	w.agency = w.homecareProvider(t, 2400, 53.4480, -2.3500)
	return w
}

// person records a person in Urmston for the practitioner and returns
// their id and a client user's token.
func (w *arrWorld) person(name string) (string, string) {
	w.t.Helper()
	r := w.do("POST", "/api/v1/persons", w.prac, map[string]any{"name": name, "date_of_birth": "1944-07-02",
		"address": "8 Church Road, Urmston", "postcode": "M41 9LT", "latitude": 53.4465, "longitude": -2.3428})
	wantStatus(w.t, r, http.StatusCreated)
	id := r.json(w.t)["id"].(string)
	pid := mustUUID(w.t, id)
	_, client := w.user(accounts.NewUser{Email: fmt.Sprintf("client%d@person.test", arrSeq.Add(1)), Role: accounts.Client, PersonID: &pid})
	return id, client
}

func (w *arrWorld) startIn(days int) string { return w.clock.today().AddDays(days).String() }

// signOff submits and signs off a plan and returns the plan's id and its
// requests' ids, in need order.
func (w *arrWorld) signOff(plan map[string]any) (string, []string) {
	w.t.Helper()
	r := w.do("POST", "/api/v1/plans", w.prac, plan)
	wantStatus(w.t, r, http.StatusCreated)
	planID := r.json(w.t)["id"].(string)
	r = w.do("POST", "/api/v1/plans/"+planID+"/sign-off", w.prac, nil)
	wantStatus(w.t, r, http.StatusOK)
	signed := decode[struct {
		Requests []struct {
			ID string `json:"id"`
		} `json:"requests"`
	}](w.t, r)
	var ids []string
	for _, req := range signed.Requests {
		ids = append(ids, req.ID)
	}
	return planID, ids
}

// homecare is a council-arranged home care need of hours a week from start.
func homecare(outcome string, hours int, weeklyBudget int64, start string) map[string]any {
	return map[string]any{"outcome": outcome, "how_met": "council_arranged", "weekly_budget_pence": weeklyBudget,
		"service_type": "homecare", "hours_per_week": hours, "start_date": start, "urgency": "standard"}
}

// agree takes a request through brokerage with the world's agency: the
// broker matches and invites it, the agency offers hours at £24 an hour,
// the person (client) chooses and agrees the start date. It returns the
// agreement.
func (w *arrWorld) agree(requestID, client string, hours int, start string) map[string]any {
	w.t.Helper()
	w.invite(requestID)
	return w.offerAndAgree(requestID, client, hours, start)
}

// invite has the broker match a request and invite the world's agency.
func (w *arrWorld) invite(requestID string) {
	w.t.Helper()
	req := "/api/v1/requests/" + requestID
	wantStatus(w.t, w.do("POST", req+"/match", w.broker, nil), http.StatusCreated)
	r := w.do("POST", req+"/invitations", w.broker, map[string]any{"service_ids": []string{w.agency.ServiceID.String()}})
	wantStatus(w.t, r, http.StatusCreated)
}

// offerAndAgree has the invited agency offer and the person choose it and
// agree the start date.
func (w *arrWorld) offerAndAgree(requestID, client string, hours int, start string) map[string]any {
	w.t.Helper()
	req := "/api/v1/requests/" + requestID
	inv := decode[[]struct {
		ID string `json:"id"`
	}](w.t, response{Body: mustItems(w.t, w.do("GET", req+"/invitations", w.broker, nil))})
	if len(inv) != 1 {
		w.t.Fatalf("want one invitation of %s, got %d", requestID, len(inv))
	}
	r := w.do("POST", "/api/v1/invitations/"+inv[0].ID+"/offer", w.agency.Token, map[string]any{"weekly_price_pence": 2400 * hours,
		"hourly_rate_pence": 2400, "hours_per_week": hours, "earliest_start": start, "valid_until": day.MustParse(start).AddDays(14).String()})
	wantStatus(w.t, r, http.StatusCreated)
	offerID := r.json(w.t)["id"].(string)
	wantStatus(w.t, w.do("POST", req+"/choice", client, map[string]any{"offer_id": offerID}), http.StatusCreated)
	r = w.do("POST", req+"/agreement", client, map[string]any{"start_date": start})
	wantStatus(w.t, r, http.StatusCreated)
	return r.json(w.t)
}

// mustItems returns the JSON of the "items" member of a 200 list.
func mustItems(t *testing.T, r response) []byte {
	t.Helper()
	wantStatus(t, r, http.StatusOK)
	var m map[string]json.RawMessage
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatal(err)
	}
	return m["items"]
}

// needsView is the plan view as the tests read it.
type needsView struct {
	PlanID       string `json:"plan_id"`
	Status       string `json:"status"`
	AllNeedsMet  bool   `json:"all_needs_met"`
	SupersededBy string `json:"superseded_by"`
	Needs        []struct {
		ID                 string `json:"id"`
		Route              string `json:"route"`
		State              string `json:"state"`
		Why                string `json:"why"`
		Succession         string `json:"succession"`
		RequestID          string `json:"request_id"`
		RequestStatus      string `json:"request_status"`
		AgreementID        string `json:"agreement_id"`
		AgreementReference string `json:"agreement_reference"`
		DirectPaymentID    string `json:"direct_payment_id"`
		AlternativeID      string `json:"alternative_id"`
		DirectPayment      *struct {
			Restrictions []struct {
				Rule    string `json:"rule"`
				Applies bool   `json:"applies"`
				Outcome string `json:"outcome"`
			} `json:"restrictions"`
		} `json:"direct_payment"`
	} `json:"needs"`
}

func (w *arrWorld) needs(planID, token string) needsView {
	w.t.Helper()
	r := w.do("GET", "/api/v1/plans/"+planID+"/needs", token, nil)
	wantStatus(w.t, r, http.StatusOK)
	return decode[needsView](w.t, r)
}

// states lists the plan view's needs as "route=state".
func (v needsView) states() []string {
	var out []string
	for _, n := range v.Needs {
		out = append(out, n.Route+"="+n.State)
	}
	return out
}
