package frontend

import (
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/errs"
)

func TestAFormActsOncePerDrawingAndAgainAfterAFailure(t *testing.T) {
	t.Parallel()
	var acted atomic.Int64
	var failNext atomic.Bool
	h := newHarness(t, withPages(func(f *Frontend, r *Router) {
		r.Post("/test/act", func(c *gin.Context) error {
			return f.once(c, "/broker/queue", func() error {
				if failNext.Swap(false) {
					return errs.Conflictf("not now")
				}
				acted.Add(1)
				return f.flashTo(c, "Done", "/broker/queue#done")
			})
		}, accounts.Broker)
	}))
	u, pw := h.user(accounts.Broker, "broker@example.org")
	b := h.browser()
	b.signIn(u.Email, pw)
	tok := token(t, b.get("/broker/queue").Body.String())
	send := func(formID string) int {
		return b.post("/test/act", url.Values{CSRFField: {tok}, FormIDField: {formID}}).Code
	}

	// Five sendings of one drawing at once act once; each is sent on.
	first := newFormID()
	var wg sync.WaitGroup
	codes := make(chan int, 5)
	for range 5 {
		wg.Add(1)
		go func() { defer wg.Done(); codes <- send(first) }()
	}
	wg.Wait()
	close(codes)
	for code := range codes {
		if code != http.StatusSeeOther {
			t.Errorf("a sending answered %d", code)
		}
	}
	if n := acted.Load(); n != 1 {
		t.Fatalf("the form acted %d times, want once", n)
	}
	// A new drawing acts again.
	send(newFormID())
	if n := acted.Load(); n != 2 {
		t.Fatalf("a second drawing: acted %d times, want 2", n)
	}
	// A sending that failed did not act, so the same drawing may be sent again.
	failNext.Store(true)
	again := newFormID()
	if code := send(again); code != http.StatusConflict {
		t.Fatalf("the failing sending answered %d", code)
	}
	if code := send(again); code != http.StatusSeeOther || acted.Load() != 3 {
		t.Fatalf("after a failure the form answered %d and acted %d times, want 303 and 3", code, acted.Load())
	}
	// Forms without an id (programs) simply act.
	b.post("/test/act", url.Values{CSRFField: {tok}})
	b.post("/test/act", url.Values{CSRFField: {tok}})
	if n := acted.Load(); n != 5 {
		t.Fatalf("forms without an id acted %d times in all, want 5", n)
	}
}

func TestNotificationsBecomeChangesNamedByTheirFirstWord(t *testing.T) {
	t.Parallel()
	for kind, want := range map[string]LiveChange{
		"offer.received":    {Topic: "offer", ID: "r1"},
		"invitation.sent":   {Topic: "invitation", ID: "r1"},
		"agreement.created": {Topic: "agreement", ID: "r1"},
		"":                  {Topic: "request", ID: "r1"},
	} {
		if got := changeOf(agreements.Event{Kind: kind, ObjectType: "request", ObjectID: "r1"}); got != want {
			t.Errorf("%q: %+v, want %+v", kind, got, want)
		}
	}
}
