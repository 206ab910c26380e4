package app

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/api"
	"github.com/carebroker/carebroker/internal/ratelimit"
	"github.com/carebroker/carebroker/internal/redisx/redistest"
)

// TestPageRequestsAreLimitedPerUser: a signed-in user's page requests are
// limited as their API requests are, in one budget (pages cannot be used to
// get round the API's limit, nor the API round the pages'), while another
// user carries on. The limit refills one request an hour, so however slow
// the machine, nothing comes back while the test runs.
func TestPageRequestsAreLimitedPerUser(t *testing.T) {
	t.Parallel()
	limits := api.DefaultLimits
	limits.PerUser = ratelimit.Limit{Rate: 1, Period: time.Hour, Burst: 5}
	s := newSite(t, redistest.New(t), &limits)
	a, pa := s.user(accounts.Broker, "busy.broker@council.example")
	b, pb := s.user(accounts.Broker, "other.broker@council.example")

	busy := s.visitor()
	if r := busy.signIn(a.Email, pa); r.Status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", r.Status)
	}
	// Two API calls and three pages spend the budget of five.
	access, _ := busy.tokens(a.Email, pa)
	for i := 0; i < 2; i++ {
		if r := busy.api("GET", "/api/v1/me", access, nil); r.Status != http.StatusOK {
			t.Fatalf("API call %d: %d", i+1, r.Status)
		}
	}
	for i := 0; i < 3; i++ {
		if r := busy.get("/sign-out"); r.Status != http.StatusOK {
			t.Fatalf("page %d: %d", i+1, r.Status)
		}
	}
	r := busy.get("/sign-out")
	if r.Status != http.StatusTooManyRequests {
		t.Fatalf("the sixth request: %d, want 429", r.Status)
	}
	if wait, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || wait < 60 {
		t.Errorf("Retry-After %q, want the wait for a request an hour", r.Header.Get("Retry-After"))
	}
	for _, want := range []string{"Sorry, there have been too many requests", "You have opened too many pages in a short time. Try again in"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the refusal page lacks %q:\n%s", want, r.Body)
		}
	}
	if r := busy.post("/sign-out", nil); r.Status != http.StatusSeeOther && r.Status != http.StatusForbidden {
		// Signing out is a public form: it is never refused for being busy
		// (without its token it is refused as a bad form, not as too many).
		t.Errorf("sign-out: %d", r.Status)
	}
	if r := busy.api("GET", "/api/v1/me", access, nil); r.Status != http.StatusTooManyRequests {
		t.Errorf("the API after the pages spent the budget: %d, want 429", r.Status)
	}

	other := s.visitor()
	if r := other.signIn(b.Email, pb); r.Status != http.StatusSeeOther {
		t.Fatalf("the other user's sign-in: %d", r.Status)
	}
	if r := other.get("/sign-out"); r.Status != http.StatusOK {
		t.Errorf("the other user's page: %d, want 200", r.Status)
	}
}
