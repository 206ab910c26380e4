package faults

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/mailer"
	"github.com/carebroker/carebroker/internal/mailer/mailpittest"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/postgres"
)

// emailConfig is how every worker of a fault test sends email.
func emailConfig(smtpURL string) (agreements.EmailConfig, error) {
	sender, err := mailer.New(smtpURL, "brokerage@faults.example")
	return agreements.EmailConfig{Sender: sender, Recipients: brokerage.MailRecipients{},
		PublicURL: "https://care.faults.example", SenderName: "Faults Council care brokerage"}, err
}

// smtpProxy stands between the workers and Mailpit. It passes everything
// on, but once the client has sent the end of the holdAt-th message (the
// "." after DATA) it passes that on and keeps the server's "250 OK" from
// the client: Mailpit has the email, and the worker, never told, is killed
// while waiting for the answer. That is the one moment SMTP cannot make
// safe; the fixed Message-ID is what makes the resend harmless.
type smtpProxy struct {
	ln       net.Listener
	upstream string
	ends     atomic.Int64
	holdAt   atomic.Int64
	held     chan struct{}
}

func startSMTPProxy(t *testing.T, upstream string) *smtpProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &smtpProxy{ln: ln, upstream: upstream, held: make(chan struct{}, 8)}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
	return p
}

func (p *smtpProxy) URL() string { return "smtp://" + p.ln.Addr().String() }

func (p *smtpProxy) serve(client net.Conn) {
	defer client.Close()
	server, err := net.Dial("tcp", p.upstream)
	if err != nil {
		return
	}
	defer server.Close()
	var hold atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // server to client, unless held
		defer wg.Done()
		buf := make([]byte, 4096)
		for {
			n, err := server.Read(buf)
			if hold.Load() {
				<-make(chan struct{}) // the worker never hears; it is killed
			}
			if n > 0 {
				if _, werr := client.Write(buf[:n]); werr != nil {
					return
				}
			}
			if err != nil {
				client.Close()
				return
			}
		}
	}()
	buf := make([]byte, 4096)
	var tail []byte
	for { // client to server, counting the ends of messages
		n, err := client.Read(buf)
		if n > 0 {
			seen := append(tail, buf[:n]...)
			if bytes.Contains(seen, []byte("\r\n.\r\n")) {
				if end := p.ends.Add(1); end == p.holdAt.Load() {
					hold.Store(true)
					p.held <- struct{}{}
				}
			}
			tail = append([]byte{}, seen[max(0, len(seen)-4):]...)
			if _, werr := server.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			server.Close()
			break
		}
	}
	wg.Wait()
}

// The notification worker SIGKILLed twice while sending email, each time
// after Mailpit took a message and before the worker heard so: every email
// is in Mailpit exactly once (the resent one has the same Message-ID and
// Mailpit, like Gmail, keeps one), none is lost, and each is recorded
// sent once in PostgreSQL.
func TestWorkerKilledMidSendEmailsEachOnce(t *testing.T) {
	db, dsn := pgtest.NewWithURL(t)
	w := newWorld(t, db)
	provider := w.provider(10)
	u, err := w.users.User(ctx, provider.User.UserID)
	w.must(err)
	const total = 24
	w.must(db.Transaction(ctx, func(tx *postgres.Tx) error {
		for i := range total {
			if err := agreements.Notify(ctx, tx, agreements.Notification{Kind: "invitation.sent",
				Audience: agreements.ToProviderOrg(provider.OrgID), IdempotencyKey: fmt.Sprintf("faults.email:%s:%d", provider.OrgID, i),
				Subject: fmt.Sprintf("Invitation %02d", i), Body: "Please offer or decline.", ObjectType: "invitation",
				ObjectID: provider.OrgID.String()}); err != nil {
				return err
			}
		}
		return nil
	}))

	mp := mailpittest.Start(t) // its own, so no other test's mail is counted
	proxy := startSMTPProxy(t, mp.SMTPURL[len("smtp://"):])
	var heldRows []string
	for _, holdAt := range []int64{5, 15} {
		proxy.holdAt.Store(holdAt)
		worker := startChild(t, "worker", "DATABASE_URL="+dsn, childSMTPEnv+"="+proxy.URL())
		select {
		case <-proxy.held:
		case <-time.After(60 * time.Second):
			t.Fatalf("the worker never sent message %d; its log:\n%s", holdAt, worker.Log())
		case <-worker.done:
			t.Fatalf("the worker exited on its own; its log:\n%s", worker.Log())
		}
		worker.Kill()
		// Mailpit has the email the worker died waiting on; PostgreSQL says it is not sent yet.
		var pending []string
		w.must(db.Gorm(ctx).Raw(`SELECT subject FROM emails WHERE status = 'pending' AND lease_token IS NOT NULL`).Scan(&pending).Error)
		inMailpit := map[string]bool{}
		for _, m := range mp.Messages(t, u.Email) {
			inMailpit[m.Subject] = true
		}
		var held []string
		for _, s := range pending {
			if inMailpit[s] && !slices.Contains(heldRows, s) { // the first kill's may still be under its lease
				held = append(held, s)
			}
		}
		if len(held) != 1 {
			t.Fatalf("after kill %d, %d emails are both in Mailpit and unsent under the dead worker's lease (%v), want the one held",
				len(heldRows)+1, len(held), held)
		}
		heldRows = append(heldRows, held[0])
	}
	if sent := w.count(`SELECT count(*) FROM emails WHERE status = 'sent'`); sent >= total {
		t.Fatalf("%d sent before the last kill; the kills came too late to test anything", sent)
	}

	// A worker left alone takes over when the dead workers' leases run out.
	proxy.holdAt.Store(-1)
	cfg := workerConfig("")
	cfg.Email, err = emailConfig(proxy.URL())
	w.must(err)
	last, err := agreements.NewWorker(db, nil, cfg)
	w.must(err)
	waitUntil(t, "every email sent after the takeover", func() bool {
		if _, err := last.DeliverDue(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := last.SendDueEmails(ctx); err != nil {
			t.Fatal(err)
		}
		return w.count(`SELECT count(*) FROM emails WHERE status = 'sent'`) >= total
	})

	msgs := mp.Await(t, u.Email, total)
	subjects := map[string]int{}
	ids := map[string]bool{}
	for _, m := range msgs {
		subjects[m.Subject]++
		ids[m.MessageID] = true
	}
	for i := range total {
		if n := subjects[fmt.Sprintf("Invitation %02d", i)]; n != 1 {
			t.Fatalf("Invitation %02d is in Mailpit %d times, want once (all: %v)", i, n, subjects)
		}
	}
	if len(ids) != total {
		t.Fatalf("%d distinct Message-IDs for %d emails", len(ids), total)
	}
	// The held emails were really sent twice, and Mailpit dropped the second copy.
	if ignored := mailpitIgnored(t, mp); ignored < 1 {
		t.Fatalf("Mailpit ignored %d duplicates; the held emails (%v) should have been sent again", ignored, heldRows)
	}
	for _, subject := range heldRows {
		if n := w.count(`SELECT attempts FROM emails WHERE subject = ?`, subject); n < 2 {
			t.Fatalf("the held email %q was attempted %d times, want again after the kill", subject, n)
		}
	}
	checkInvariants(t, db)
}

// mailpitIgnored is how many messages Mailpit dropped as copies of a
// Message-ID it had.
func mailpitIgnored(t *testing.T, mp mailpittest.Mailpit) int {
	t.Helper()
	resp, err := http.Get(mp.API + "/api/v1/info")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var info struct {
		RuntimeStats struct{ SMTPIgnored int }
	}
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &info); err != nil {
		t.Fatalf("Mailpit info %s: %v", b, err)
	}
	return info.RuntimeStats.SMTPIgnored
}
