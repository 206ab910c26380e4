package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/internal/day"
)

// financeReceiver is the finance system's webhook: it checks each
// signature and counts what it applies, once per idempotency key.
type financeReceiver struct {
	srv     *httptest.Server
	mu      sync.Mutex
	applied map[string]string // idempotency key -> kind
	calls   int
}

const arrWebhookSecret = "arrangements-finance-webhook-secret"

func newFinanceReceiver(t *testing.T) *financeReceiver {
	rc := &financeReceiver{applied: map[string]string{}}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := agreements.VerifyWebhook(arrWebhookSecret, r.Header.Get(agreements.SignatureHeader), body, time.Now(), time.Minute); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		var p struct{ Kind string }
		_ = json.Unmarshal(body, &p)
		rc.mu.Lock()
		rc.calls++
		rc.applied[r.Header.Get(agreements.IdempotencyKeyHeader)] = p.Kind
		rc.mu.Unlock()
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

// kinds counts the notifications applied, by kind.
func (rc *financeReceiver) kinds() map[string]int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	out := map[string]int{}
	for _, k := range rc.applied {
		out[k]++
	}
	return out
}

// deliverAll runs a worker until nothing is due.
func (w *arrWorld) deliverAll(rc *financeReceiver) {
	w.t.Helper()
	worker, err := agreements.NewWorker(w.srv.DB, nil, agreements.WorkerConfig{WebhookURL: rc.srv.URL, WebhookSecret: arrWebhookSecret})
	if err != nil {
		w.t.Fatal(err)
	}
	for range 50 {
		rep, err := worker.DeliverDue(context.Background())
		if err != nil {
			w.t.Fatal(err)
		}
		if rep.Claimed == 0 {
			return
		}
	}
	w.t.Fatal("notifications still due after 50 passes")
}

type reviewItem struct {
	ID          string `json:"id"`
	Kind        string `json:"kind"`
	AgreementID string `json:"agreement_id"`
	DueFrom     string `json:"due_from"`
	DueBy       string `json:"due_by"`
	Status      string `json:"status"`
}

func (w *arrWorld) reviews(status string) []reviewItem {
	w.t.Helper()
	r := w.do("GET", "/api/v1/reviews?status="+status, w.prac, nil)
	wantStatus(w.t, r, http.StatusOK)
	return decode[struct {
		Items []reviewItem `json:"items"`
	}](w.t, r).Items
}

// TestAReviewThatIncreasesHoursReopensBrokerageAndTellsFinanceOnce is
// issue 9's last "done when": review tasks fall on the right dates; at the
// first review the practitioner increases the hours, which makes a new
// plan version superseding the frozen one, re-opens brokerage for the
// changed need, keeps the unchanged need's arrangement, and sends finance
// one variation notification, delivered once by the worker, whether the
// review is submitted twice with the same idempotency key or concurrently.
// When the new agreement starts the old one ends, varied, and finance
// hears that once too.
func TestAReviewThatIncreasesHoursReopensBrokerageAndTellsFinanceOnce(t *testing.T) {
	t.Parallel()
	w := newArrWorld(t)
	rc := newFinanceReceiver(t)
	personID, client := w.person("Rita Reviewed")
	start := w.startIn(14)
	planID, requests := w.signOff(map[string]any{"person_id": personID, "personal_budget_weekly_pence": 40000, "needs": []map[string]any{
		homecare("Help to get up and dressed", 10, 26000, start),
		{"outcome": "Her son takes her to church", "how_met": "own_resources"},
	}})
	first := w.agree(requests[0], client, 10, start)

	// The review tasks fall on the right dates.
	s := day.MustParse(start)
	due := map[string]reviewItem{}
	for _, rv := range w.reviews("open") {
		if rv.AgreementID == first["id"] {
			due[rv.Kind] = rv
		}
	}
	for kind, want := range map[string][2]day.Date{
		"welfare_check": {s.AddDays(3), s.AddDays(3)},
		"first_review":  {s.AddDays(42), s.AddDays(56)},
		"annual_review": {agreements.AnniversaryOf(s, 1).AddDays(-28), agreements.AnniversaryOf(s, 1)},
	} {
		if got := due[kind]; got.DueFrom != want[0].String() || got.DueBy != want[1].String() {
			t.Errorf("%s due %s to %s, want %s to %s", kind, got.DueFrom, got.DueBy, want[0], want[1])
		}
	}
	w.deliverAll(rc)

	// Six weeks on, at the first review, the hours go up from 10 to 14.
	w.clock.advance(14 + 44)
	old := w.needs(planID, w.prac)
	change := map[string]any{"outcome": "Needs more help in the mornings since her fall", "plan": map[string]any{
		"personal_budget_weekly_pence": 45000, "needs": []map[string]any{
			withField(homecare("Help to get up and dressed, and to wash", 14, 36000, w.startIn(7)), "previous_need_id", old.Needs[0].ID),
			{"previous_need_id": old.Needs[1].ID},
		}}}
	path := "/api/v1/reviews/" + due["first_review"].ID + "/plan-change"
	wantProblem(t, w.do("POST", path, w.otherPrac, change), http.StatusNotFound, "")
	bad := withField(change, "plan", map[string]any{"needs": []map[string]any{
		withField(homecare("x", 200, 36000, w.startIn(7)), "previous_need_id", old.Needs[0].ID)}, "personal_budget_weekly_pence": 45000})
	wantProblem(t, w.do("POST", path, w.prac, bad), http.StatusBadRequest, "plan.needs[0].hours_per_week")
	wantProblem(t, w.do("POST", path, w.prac, withField(change, "outcome", "")), http.StatusBadRequest, "outcome")

	// Submitted four times at once: twice with one key, twice with another.
	var wg sync.WaitGroup
	statuses := make([]int, 4)
	bodies := make([][]byte, 4)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := []string{"review-a", "review-b"}[i%2]
			r := w.do("POST", path, w.prac, change, "Idempotency-Key", key)
			statuses[i], bodies[i] = r.Status, r.Body
		}()
	}
	wg.Wait()
	var made []byte
	for i, st := range statuses {
		switch st {
		case http.StatusCreated:
			made = bodies[i]
		case http.StatusConflict:
		default:
			t.Fatalf("a submission answered %d: %s", st, bodies[i])
		}
	}
	if made == nil {
		t.Fatalf("no submission succeeded: %v", statuses)
	}
	t.Logf("four concurrent submissions answered %v", statuses)
	// And again, one after another, with both keys.
	for _, key := range []string{"review-a", "review-b"} {
		if r := w.do("POST", path, w.prac, change, "Idempotency-Key", key); r.Status != http.StatusCreated && r.Status != http.StatusConflict {
			t.Fatalf("a replay answered %d: %s", r.Status, r.Body)
		}
	}
	if n := w.count("plans", "supersedes_plan_id = ?", planID); n != 1 {
		t.Fatalf("%d new plan versions, want 1", n)
	}
	if n := w.count("agreement_variations", "agreement_id = ?", first["id"]); n != 1 {
		t.Fatalf("%d variations, want 1", n)
	}
	if n := w.count("notifications", "kind = 'agreement.varied' AND audience_kind = 'finance'"); n != 1 {
		t.Fatalf("%d variation notifications for finance, want 1", n)
	}
	pc := decode[struct {
		Plan struct {
			ID string `json:"id"`
		} `json:"plan"`
		Requests []struct {
			ID           string `json:"id"`
			HoursPerWeek int    `json:"hours_per_week"`
			Status       string `json:"status"`
		} `json:"requests"`
		Continued  []string `json:"continued_need_ids"`
		Variations []struct {
			Kind       string `json:"kind"`
			HoursAfter int    `json:"hours_after"`
		} `json:"variations"`
	}](t, response{Body: made})
	if len(pc.Requests) != 1 || pc.Requests[0].HoursPerWeek != 14 || pc.Requests[0].Status != "open" || len(pc.Continued) != 1 ||
		len(pc.Variations) != 1 || pc.Variations[0].Kind != "change" || pc.Variations[0].HoursAfter != 14 {
		t.Fatalf("the change: %s", made)
	}
	// The worker delivers the variation to finance once, however often it runs.
	w.deliverAll(rc)
	w.deliverAll(rc)
	if got := rc.kinds()["agreement.varied"]; got != 1 {
		t.Fatalf("finance received %d variation notifications, want 1 (%v)", got, rc.kinds())
	}

	// The old version is superseded and frozen; the new one shows brokerage
	// re-opened for the changed need while the old agreement goes on, and
	// the unchanged need met as before.
	if v := w.needs(planID, w.prac); v.Status != "superseded" || v.SupersededBy != pc.Plan.ID || v.AllNeedsMet {
		t.Fatalf("the old version: %+v", v)
	}
	wantProblem(t, w.do("PUT", "/api/v1/plans/"+planID, w.prac, map[string]any{"personal_budget_weekly_pence": 1, "needs": []any{}}), http.StatusConflict, "")
	v := w.needs(pc.Plan.ID, client)
	if v.Needs[0].State != "not_yet_met" || v.Needs[0].Succession != "replaces" || !strings.Contains(v.Needs[0].Why, "earlier arrangement goes on") ||
		v.Needs[1].State != "met" || v.Needs[1].Succession != "continues" {
		t.Fatalf("the new version: %+v", v.Needs)
	}
	if got := w.do("GET", "/api/v1/agreements/"+first["id"].(string), w.prac, nil).json(t); got["status"] != "active" {
		t.Fatalf("the old agreement stopped before the new one: %v", got["status"])
	}

	// Brokerage arranges the 14 hours; when that agreement starts the old
	// one ends, varied, the day before, and finance hears once.
	second := w.agree(pc.Requests[0].ID, client, 14, w.startIn(7))
	got := w.do("GET", "/api/v1/agreements/"+first["id"].(string), w.prac, nil).json(t)
	if got["status"] != "varied" || got["replaced_by"] != second["id"] || got["ends_on"] != w.startIn(6) {
		t.Fatalf("the old agreement after the new one: %v", got)
	}
	if v := w.needs(pc.Plan.ID, client); !v.AllNeedsMet {
		t.Fatalf("after the new agreement: %+v", v.Needs)
	}
	w.deliverAll(rc)
	if k := rc.kinds(); k["agreement.ended"] != 1 || k["agreement.varied"] != 1 || k["agreement.created"] != 2 {
		t.Fatalf("finance received %v", k)
	}
	// The old agreement's reviews due after its last day are cancelled (the
	// welfare check, due while it ran and never recorded, stays on the list);
	// the new agreement has its own.
	if n := w.count("review_tasks", "agreement_id = ? AND status = 'cancelled' AND kind = 'annual_review'", first["id"]); n != 1 {
		t.Fatalf("the ended agreement's yearly review was not cancelled")
	}
	if n := w.count("review_tasks", "agreement_id = ? AND status = 'open' AND kind <> 'welfare_check'", first["id"]); n != 0 {
		t.Fatalf("%d open reviews of the ended agreement after its end", n)
	}
	if n := w.count("review_tasks", "agreement_id = ? AND status = 'open'", second["id"]); n != 3 {
		t.Fatalf("%d open reviews of the new agreement, want 3", n)
	}
}
