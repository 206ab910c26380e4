package frontend

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/plans"
)

// The staff pages' cost end to end (session, use cases on PostgreSQL,
// drawing), on a database with some work in it.

func benchPage(b *testing.B, w *staffWorld, br *browser, path string) {
	b.Helper()
	cookie := br.cookies["carebroker_session"]
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		w.handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: status %d", path, rec.Code)
		}
	}
}

// requests makes n open home care requests across two teams.
func (w *staffWorld) requests(n int) {
	for i := range n {
		team := "community_led_support"
		if i%2 == 1 {
			team = "mental_health"
		}
		w.homecareRequest(team, fmt.Sprintf("Bench Person %d", i), plans.Standard)
	}
}

// BenchmarkBrokerQueue is the queue page with 200 requests being worked.
func BenchmarkBrokerQueue(b *testing.B) {
	w := newStaffWorld(b)
	w.requests(200)
	br, _ := w.signedIn(accounts.Broker, "")
	benchPage(b, w, br, "/broker/queue")
}

// BenchmarkBrokerRequestPage is a request's page after matching 30
// providers and inviting 10, with 5 offers in.
func BenchmarkBrokerRequestPage(b *testing.B) {
	w := newStaffWorld(b)
	ctx := context.Background()
	var services []uuid.UUID
	var users []accounts.Actor
	for i := range 30 {
		_, svc, u := w.provider(fmt.Sprintf("Bench Care %d Ltd", i), 2300+int64(i)*10, 0.5+float64(i)/5)
		services, users = append(services, svc), append(users, u)
	}
	_, req := w.homecareRequest("community_led_support", "Bench Person", plans.Standard)
	br, broker := w.signedIn(accounts.Broker, "")
	_, err := w.svc.RunMatch(ctx, broker, req.ID)
	w.must(err)
	_, err = w.svc.Invite(ctx, broker, req.ID, services[:10])
	w.must(err)
	for i := range 5 {
		w.offer(users[i], req.ID, 2300+int64(i)*10)
	}
	benchPage(b, w, br, requestPath(req.ID))
}

// BenchmarkDashboard is the dashboard over 200 requests.
func BenchmarkDashboard(b *testing.B) {
	w := newStaffWorld(b)
	w.requests(200)
	br, _ := w.signedIn(accounts.Broker, "")
	benchPage(b, w, br, "/dashboard")
}
