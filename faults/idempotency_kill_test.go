package faults

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/carebroker/carebroker/internal/pgtest"
)

// The server is SIGKILLed after "agree the start date" has committed the
// agreement and before the Idempotency-Key middleware stores the answer
// (the child stops there and says so). A retry with the same key, against
// a new server, gets the original 201 with the agreement, marked replayed;
// nothing is agreed twice. Before the answer was kept in the agreement's
// transaction, the retry got 409 "still being processed" for five minutes
// and then 409 "already agreed", never the agreement.
func TestServerKilledBeforeKeepingTheAnswerReplaysTheAgreement(t *testing.T) {
	db, dsn := pgtest.NewWithURL(t)
	w := newWorld(t, db)
	id := w.chosen(1, w.provider(5))[0]
	token := tokenFor(t, w.brk)
	body := map[string]string{"start_date": startDay().String()}
	path := "/api/v1/requests/" + id.String() + "/agreement"
	agree := func(base string) call {
		req := newJSONRequest(t.Context(), "POST", base+path, token, body)
		req.Header.Set("Idempotency-Key", "agree-"+id.String())
		return send(client, req)
	}

	srv, base := startServer(t, dsn, testRedisURL(), childHoldAnswerEnv+"=1")
	answered := make(chan call, 1)
	go func() { answered <- agree(base) }()
	for deadline := time.Now().Add(60 * time.Second); !strings.Contains(srv.Log(), holdingAnswer); {
		if time.Now().After(deadline) {
			t.Fatalf("the server never reached the point between the agreement and its stored answer; its log:\n%s", srv.Log())
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The agreement is committed; the middleware has not stored the answer.
	if n := w.count(`SELECT count(*) FROM agreements WHERE request_id = ?`, id); n != 1 {
		t.Fatalf("%d agreements at the hold, want the committed one", n)
	}
	srv.Kill()
	if c := <-answered; c.err == nil {
		t.Fatalf("the held request was answered %d before the kill: %s", c.status, c.body)
	}

	_, base = startServer(t, dsn, testRedisURL())
	again := agree(base)
	if again.err != nil || again.status != http.StatusCreated {
		t.Fatalf("the retry after the kill: %d %v %s; want the original 201", again.status, again.err, again.body)
	}
	if again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatal("the retry's answer is not marked replayed: did it agree again?")
	}
	var ag struct {
		ID        string `json:"id"`
		RequestID string `json:"request_id"`
		Reference string `json:"reference"`
	}
	if err := json.Unmarshal(again.body, &ag); err != nil {
		t.Fatalf("the replayed answer is not the agreement: %v: %s", err, again.body)
	}
	var stored string
	w.must(db.Gorm(context.Background()).Raw(`SELECT id::text FROM agreements WHERE request_id = ?`, id).Scan(&stored).Error)
	if ag.ID != stored || ag.RequestID != id.String() || !bytes.HasPrefix(again.body, []byte(`{"id":"`+stored+`"`)) {
		t.Fatalf("the replayed answer names agreement %s, the database has %s", ag.ID, stored)
	}
	if n := w.count(`SELECT count(*) FROM agreements WHERE request_id = ?`, id); n != 1 {
		t.Fatalf("%d agreements after the retry, want 1", n)
	}
	checkInvariants(t, db)
}
