package api

import (
	"bytes"
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

// thingsRoute adds a test endpoint behind the same middleware as the API:
// POST /api/v1/test/things writes a row and answers 201. While hold is
// non-nil it waits for hold to close; fail500 makes it answer 500 once.
type thingsRoute struct {
	mu      sync.Mutex
	hold    chan struct{}
	entered chan struct{}
	fail500 bool
}

func (h *harness) things() *thingsRoute {
	h.t.Helper()
	if err := h.srv.DB.Gorm(context.Background()).Exec(`CREATE TABLE test_things (id bigserial PRIMARY KEY, name text NOT NULL)`).Error; err != nil {
		h.t.Fatal(err)
	}
	tr := &thingsRoute{}
	h.srv.Engine().Group("/api/v1/test", h.srv.authenticate, h.srv.idempotent).POST("/things", func(c *gin.Context) {
		var body struct {
			Name string `json:"name"`
		}
		if err := bindJSON(c, &body); err != nil {
			fail(c, err)
			return
		}
		tr.mu.Lock()
		hold, entered, boom := tr.hold, tr.entered, tr.fail500
		tr.fail500 = false
		tr.mu.Unlock()
		if entered != nil {
			close(entered)
		}
		if hold != nil {
			<-hold
		}
		if boom {
			fail(c, errs.Internalf(nil, "boom"))
			return
		}
		if body.Name == "" {
			fail(c, errs.InvalidField("name", "is required"))
			return
		}
		var id int64
		if err := h.srv.DB.Gorm(context.Background()).Raw(`INSERT INTO test_things (name) VALUES (?) RETURNING id`, body.Name).Scan(&id).Error; err != nil {
			fail(c, err)
			return
		}
		c.JSON(http.StatusCreated, gin.H{"id": id, "name": body.Name})
	})
	return tr
}

func (h *harness) countThings() int {
	var n int64
	h.srv.DB.Gorm(context.Background()).Table("test_things").Count(&n)
	return int(n)
}

func TestIdempotencyKeyReplaysTheFirstResponse(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.things()
	_, tok := h.user(accounts.NewUser{Email: "b@test.example", Role: accounts.Broker})
	_, other := h.user(accounts.NewUser{Email: "c@test.example", Role: accounts.Broker})

	first := h.do("POST", "/api/v1/test/things", tok, `{"name": "one"}`, "Idempotency-Key", "k-1")
	wantStatus(t, first, http.StatusCreated)
	// The same body, spaced differently, is the same request.
	again := h.do("POST", "/api/v1/test/things", tok, `{ "name" : "one" }`, "Idempotency-Key", "k-1")
	wantStatus(t, again, http.StatusCreated)
	if string(again.Body) != string(first.Body) || again.Header.Get("Idempotent-Replayed") != "true" ||
		again.Header.Get("Content-Type") != first.Header.Get("Content-Type") {
		t.Fatalf("replay differs: %s vs %s (%v)", again.Body, first.Body, again.Header)
	}
	if n := h.countThings(); n != 1 {
		t.Fatalf("a replay made a second change: %d rows", n)
	}
	// The same key with another body is refused, naming the header.
	wantProblem(t, h.do("POST", "/api/v1/test/things", tok, `{"name": "two"}`, "Idempotency-Key", "k-1"), http.StatusUnprocessableEntity, "Idempotency-Key")
	// Keys are per user: another user's k-1 is a new request.
	wantStatus(t, h.do("POST", "/api/v1/test/things", other, `{"name": "one"}`, "Idempotency-Key", "k-1"), http.StatusCreated)
	// Without a key every request runs.
	wantStatus(t, h.do("POST", "/api/v1/test/things", tok, `{"name": "one"}`), http.StatusCreated)
	if n := h.countThings(); n != 3 {
		t.Fatalf("want 3 rows, got %d", n)
	}
	// A 4xx answer is kept and replayed too.
	bad := h.do("POST", "/api/v1/test/things", tok, `{"name": ""}`, "Idempotency-Key", "k-2")
	wantProblem(t, bad, http.StatusBadRequest, "name")
	replayed := h.do("POST", "/api/v1/test/things", tok, `{"name": ""}`, "Idempotency-Key", "k-2")
	if replayed.Status != 400 || string(replayed.Body) != string(bad.Body) || replayed.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("a kept 400 was not replayed: %d %s", replayed.Status, replayed.Body)
	}
	long := make([]byte, 201)
	for i := range long {
		long[i] = 'k'
	}
	wantProblem(t, h.do("POST", "/api/v1/test/things", tok, `{"name": "x"}`, "Idempotency-Key", string(long)), http.StatusBadRequest, "Idempotency-Key")
}

func TestIdempotencyKeyStillRunningIs409AndFailuresAreNotKept(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tr := h.things()
	_, tok := h.user(accounts.NewUser{Email: "b@test.example", Role: accounts.Broker})

	tr.mu.Lock()
	tr.hold, tr.entered = make(chan struct{}), make(chan struct{})
	hold, entered := tr.hold, tr.entered
	tr.mu.Unlock()
	done := make(chan response)
	go func() {
		done <- h.do("POST", "/api/v1/test/things", tok, `{"name": "slow"}`, "Idempotency-Key", "k-slow")
	}()
	<-entered // the first request holds the claim
	tr.mu.Lock()
	tr.hold, tr.entered = nil, nil
	tr.mu.Unlock()
	busy := h.do("POST", "/api/v1/test/things", tok, `{"name": "slow"}`, "Idempotency-Key", "k-slow")
	wantProblem(t, busy, http.StatusConflict, "Idempotency-Key")
	if busy.Header.Get("Retry-After") == "" {
		t.Fatal("409 while running should say when to retry")
	}
	close(hold)
	wantStatus(t, <-done, http.StatusCreated)
	wantStatus(t, h.do("POST", "/api/v1/test/things", tok, `{"name": "slow"}`, "Idempotency-Key", "k-slow"), http.StatusCreated)
	if n := h.countThings(); n != 1 {
		t.Fatalf("want 1 row, got %d", n)
	}

	// A 500 releases the claim: the retry runs and succeeds.
	tr.mu.Lock()
	tr.fail500 = true
	tr.mu.Unlock()
	wantStatus(t, h.do("POST", "/api/v1/test/things", tok, `{"name": "retry"}`, "Idempotency-Key", "k-500"), http.StatusInternalServerError)
	retry := h.do("POST", "/api/v1/test/things", tok, `{"name": "retry"}`, "Idempotency-Key", "k-500")
	wantStatus(t, retry, http.StatusCreated)
	if retry.Header.Get("Idempotent-Replayed") != "" || h.countThings() != 2 {
		t.Fatalf("the retry after a 500 did not run: %v, %d rows", retry.Header, h.countThings())
	}
}

func TestIdempotencyKeysRaceToOneChange(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.things()
	_, tok := h.user(accounts.NewUser{Email: "b@test.example", Role: accounts.Broker})
	var wg sync.WaitGroup
	statuses := make(chan int, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses <- h.do("POST", "/api/v1/test/things", tok, `{"name": "race"}`, "Idempotency-Key", "k-race").Status
		}()
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != http.StatusCreated && s != http.StatusConflict {
			t.Fatalf("unexpected status %d", s)
		}
	}
	if n := h.countThings(); n != 1 {
		t.Fatalf("20 racing requests with one key made %d changes", n)
	}
}

// The answers to "make an offer", "choose" and "agree the start date" are
// stored with their effect, in its transaction: at the moment the
// middleware would store them, they are already there, byte for byte what
// the caller receives. So a crash between the commit and the middleware's
// own write (faults' TestServerKilledBeforeKeepingTheAnswerReplaysTheAgreement
// kills a server there) cannot lose them, and a retry gets the same answer.
func TestAnswersAreStoredWithTheirEffect(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	p := h.homecareProvider(t, 2400, 53.4480, -2.3500)
	brokerUser, _ := h.user(accounts.NewUser{Email: "b@kept.test", Role: accounts.Broker})
	id, clientTok := h.homecareRequest(t, 1, brokerUser.Actor(), p.ServiceID)

	type keptRow struct {
		Key          string
		Status       int
		ContentType  string
		ResponseBody []byte
	}
	atHook := map[string]keptRow{}
	h.srv.Failpoints.BeforeKeepingAnswer = func() {
		var rows []keptRow
		h.srv.DB.Gorm(context.Background()).Raw(`SELECT key, status, content_type, response_body FROM idempotency_keys`).Scan(&rows)
		for _, r := range rows {
			if _, seen := atHook[r.Key]; !seen {
				atHook[r.Key] = r
			}
		}
	}
	send := func(path, tok string, body any, key string, status int) response {
		t.Helper()
		first := h.do("POST", path, tok, body, "Idempotency-Key", key)
		wantStatus(t, first, status)
		kept := atHook[key]
		if kept.Status != status || kept.ContentType != first.Header.Get("Content-Type") || !bytes.Equal(kept.ResponseBody, first.Body) {
			t.Fatalf("%s: before the middleware stored it, the key held %d, %q, %s\nwant the answer sent: %q, %s",
				path, kept.Status, kept.ContentType, kept.ResponseBody, first.Header.Get("Content-Type"), first.Body)
		}
		again := h.do("POST", path, tok, body, "Idempotency-Key", key)
		wantStatus(t, again, status)
		if again.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(again.Body, first.Body) {
			t.Fatalf("%s: the retry got %s (replayed %q), want the first answer %s", path, again.Body, again.Header.Get("Idempotent-Replayed"), first.Body)
		}
		return first
	}

	invs := h.do("GET", "/api/v1/invitations", p.Token, nil)
	inv := invs.json(t)["items"].([]any)[0].(map[string]any)["id"].(string)
	start := day.Of(time.Now()).AddDays(10)
	offer := send("/api/v1/invitations/"+inv+"/offer", p.Token, map[string]any{"weekly_price_pence": 33600, "hourly_rate_pence": 2400,
		"hours_per_week": 14, "earliest_start": start.String(), "valid_until": start.AddDays(7).String()}, "offer-1", http.StatusCreated)
	send("/api/v1/requests/"+id.String()+"/choice", clientTok, map[string]any{"offer_id": offer.json(t)["id"]}, "choose-1", http.StatusCreated)
	send("/api/v1/requests/"+id.String()+"/agreement", clientTok, map[string]any{"start_date": start.String()}, "agree-1", http.StatusCreated)

	// A refused agreement keeps nothing with the effect: the middleware
	// stores its 409 as before.
	refused := h.do("POST", "/api/v1/requests/"+id.String()+"/agreement", clientTok, map[string]any{"start_date": start.String()}, "Idempotency-Key", "agree-2")
	wantStatus(t, refused, http.StatusConflict)
	if kept := atHook["agree-2"]; kept.Status != 0 {
		t.Fatalf("a refusal was kept in a transaction that rolled back: %d", kept.Status)
	}
	var kept keptRow
	h.srv.DB.Gorm(context.Background()).Raw(`SELECT key, status, content_type, response_body FROM idempotency_keys WHERE key = 'agree-2'`).Scan(&kept)
	if kept.Status != http.StatusConflict || !bytes.Equal(kept.ResponseBody, refused.Body) {
		t.Fatalf("the refusal was kept as %d %s", kept.Status, kept.ResponseBody)
	}
}
