package agreements

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/postgres"
)

func BenchmarkRenderPDF(b *testing.B) {
	a := renderedAgreement()
	for b.Loop() {
		if err := RenderPDF(io.Discard, a, "Salford City Council"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderHTML(b *testing.B) {
	a := renderedAgreement()
	for b.Loop() {
		if err := RenderHTML(io.Discard, a, "Salford City Council"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCreate is one agreement per transaction: the row, three review
// tasks, three notifications and the audit event.
func BenchmarkCreate(b *testing.B) {
	db := pgtest.New(b)
	s := NewStore(db)
	n := sampleAgreement()
	for b.Loop() {
		n.RequestID = uuid.New()
		err := db.Transaction(context.Background(), func(tx *postgres.Tx) error {
			_, err := s.Create(context.Background(), tx, accounts.SystemActor, n)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// benchmarkDelivery measures delivering b.N finance notifications with
// the given number of workers, to the inbox and, if webhook, a webhook.
func benchmarkDelivery(b *testing.B, workers int, webhook bool) {
	db := pgtest.New(b)
	url := ""
	if webhook {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusOK)
		}))
		defer srv.Close()
		url = srv.URL
	}
	ns := make([]Notification, b.N)
	for i := range ns {
		ns[i] = financeNote(i)
		ns[i].IdempotencyKey = fmt.Sprintf("bench-%d", i)
	}
	for i := 0; i < len(ns); i += 500 {
		notifyAll(b, db, ns[i:min(i+500, len(ns))]...)
	}
	ws := make([]*Worker, workers)
	for i := range ws {
		ws[i] = newTestWorker(b, db, nil, url, func(c *WorkerConfig) { c.BatchSize = 20 })
	}
	b.ResetTimer()
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				r, err := w.DeliverDue(context.Background())
				if err != nil {
					b.Error(err)
					return
				}
				if r.Claimed == 0 {
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	if c := countRows(b, db, `SELECT count(*) FROM notifications WHERE status = 'delivered'`); c != b.N {
		b.Fatalf("%d delivered of %d", c, b.N)
	}
}

func BenchmarkDeliverInbox1Worker(b *testing.B)    { benchmarkDelivery(b, 1, false) }
func BenchmarkDeliverWebhook1Worker(b *testing.B)  { benchmarkDelivery(b, 1, true) }
func BenchmarkDeliverWebhook4Workers(b *testing.B) { benchmarkDelivery(b, 4, true) }
