package agreements

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/carebroker/carebroker/internal/postgres"

	"github.com/carebroker/carebroker/internal/metrics"
	"github.com/carebroker/carebroker/internal/redisx"
)

// WorkerConfig tunes a Worker. Zero fields take the defaults shown.
type WorkerConfig struct {
	ID            string        // names the worker in logs; default host-pid-random
	WebhookURL    string        // FINANCE_WEBHOOK_URL; empty: finance notifications go to the inbox only
	WebhookSecret string        // FINANCE_WEBHOOK_SECRET; required with WebhookURL
	Lease         time.Duration // how long a claim lasts before another worker may take it: 60s
	MaxAttempts   int           // attempts before a notification is a dead letter: 10
	BackoffBase   time.Duration // wait after the first failure, doubling each time: 10s
	BackoffMax    time.Duration // longest wait between attempts: 1h
	PollInterval  time.Duration // how often an idle worker looks for work: 1s
	BatchSize     int           // notifications claimed at once: 10
	HTTPTimeout   time.Duration // a webhook call's time limit: 10s
	HTTPClient    *http.Client  // default: a client with HTTPTimeout
	// Email, when its Sender and Recipients are set, also sends the
	// notifications that Emailed names by email (SMTP_URL).
	Email EmailConfig
}

func (c *WorkerConfig) defaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.Lease, 60*time.Second)
	def(&c.BackoffBase, 10*time.Second)
	def(&c.BackoffMax, time.Hour)
	def(&c.PollInterval, time.Second)
	def(&c.HTTPTimeout, 10*time.Second)
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 10
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 10
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: c.HTTPTimeout}
	}
	if c.ID == "" {
		host, _ := os.Hostname()
		b := make([]byte, 3)
		rand.Read(b)
		c.ID = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
	}
}

// Backoff is how long to wait after the given failed attempt (1 for the
// first) before the next: BackoffBase doubled for each earlier failure, at
// most BackoffMax.
func (c WorkerConfig) Backoff(attempt int) time.Duration {
	d := c.BackoffBase
	for i := 1; i < attempt && d < c.BackoffMax; i++ {
		d *= 2
	}
	return min(d, c.BackoffMax)
}

// Worker delivers notifications after their transactions commit. Any
// number of workers may run against one database: each claims work with
// SELECT ... FOR UPDATE SKIP LOCKED under a lease, so two workers never
// hold the same notification, and a killed worker's claims are taken over
// when their lease runs out.
type Worker struct {
	db      *postgres.DB
	redis   *redisx.Client
	cfg     WorkerConfig
	webhook string
	log     *slog.Logger

	mu            sync.Mutex
	liveDownUntil time.Time
}

// NewWorker returns a worker on db, publishing live events through rdb
// (which may be nil or down). It returns an error if the webhook URL is not
// an absolute http(s) URL or has no secret.
func NewWorker(db *postgres.DB, rdb *redisx.Client, cfg WorkerConfig) (*Worker, error) {
	cfg.defaults()
	if cfg.WebhookURL != "" {
		u, err := url.Parse(cfg.WebhookURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("FINANCE_WEBHOOK_URL must be an absolute http or https URL")
		}
		if len(cfg.WebhookSecret) < 16 {
			return nil, fmt.Errorf("FINANCE_WEBHOOK_SECRET must be set (at least 16 characters) when FINANCE_WEBHOOK_URL is")
		}
	}
	if cfg.Lease < cfg.HTTPTimeout+5*time.Second {
		return nil, fmt.Errorf("the worker's lease (%s) must outlast a webhook call (%s) by at least 5s", cfg.Lease, cfg.HTTPTimeout)
	}
	return &Worker{db: db, redis: rdb, cfg: cfg, webhook: cfg.WebhookURL, log: slog.Default().With("worker", cfg.ID)}, nil
}

// Report says what one pass of DeliverDue did.
type Report struct {
	Claimed, Delivered, Retried, Dead, LeaseLost int
}

// Run delivers notifications until ctx is cancelled. A delivery under way
// when ctx is cancelled is finished (within the webhook time limit), and
// claimed notifications not yet started are released for other workers.
// Failed passes (the database away) are logged and retried; Run returns nil.
func (w *Worker) Run(ctx context.Context) error {
	w.log.Info("notification worker started", "webhook", w.webhook != "", "lease", w.cfg.Lease.String())
	defer w.log.Info("notification worker stopped")
	for {
		r, err := w.DeliverDue(ctx)
		if err != nil && ctx.Err() == nil {
			w.log.Error("notification worker pass failed", "error", err)
		}
		if ctx.Err() != nil {
			return nil
		}
		e, emailErr := w.SendDueEmails(ctx)
		if emailErr != nil && ctx.Err() == nil {
			w.log.Error("email pass failed", "error", emailErr)
		}
		if ctx.Err() != nil {
			return nil
		}
		if (err == nil && r.Claimed == w.cfg.BatchSize) || (emailErr == nil && e.Claimed == w.cfg.BatchSize) {
			continue // more may be waiting
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(w.cfg.PollInterval):
		}
	}
}

// DeliverDue claims the notifications that are due and delivers each: into
// the in-app inbox (publishing it live), then, for the finance team when a
// webhook is configured, to the webhook. It returns what it did. Stopping
// ctx stops it between notifications, never in the middle of one. A failed
// webhook call is not an error (it is retried later); DeliverDue returns
// Unavailable when the database does not answer.
func (w *Worker) DeliverDue(ctx context.Context) (Report, error) {
	var r Report
	claims, err := w.claim(ctx)
	if err != nil {
		return r, err
	}
	r.Claimed = len(claims)
	work := context.WithoutCancel(ctx)
	for i, c := range claims {
		if ctx.Err() != nil {
			w.release(work, claims[i:])
			break
		}
		switch outcome, err := w.deliver(work, c); {
		case err != nil:
			w.release(work, claims[i+1:])
			return r, err
		case outcome == delivered:
			r.Delivered++
		case outcome == retrying:
			r.Retried++
		case outcome == deadLettered:
			r.Dead++
		case outcome == leaseLost:
			r.LeaseLost++
		}
	}
	return r, nil
}

type outcome int

const (
	delivered outcome = iota
	retrying
	deadLettered
	leaseLost
)

func (w *Worker) deliver(ctx context.Context, c claim) (outcome, error) {
	n := c.row
	firstInbox := n.InboxAt == nil
	sendWebhook := n.AudienceKind == string(AudienceFinance) && w.webhook != "" && n.WebhookAt == nil
	if !sendWebhook {
		// Inbox only: one transaction puts it there and marks it delivered.
		out, err := w.complete(ctx, c, false)
		if out == delivered && firstInbox {
			w.publishLive(ctx, n)
		}
		return out, err
	}
	// The inbox first, so finance sees it even while the webhook is down.
	if firstInbox {
		held, err := w.putInInbox(ctx, c)
		if err != nil || !held {
			return leaseLost, err
		}
		w.publishLive(ctx, n)
	}
	if err := w.post(ctx, n); err != nil {
		metrics.WebhookFailed()
		return w.fail(ctx, c, err)
	}
	return w.complete(ctx, c, true)
}

func (w *Worker) publishLive(ctx context.Context, n notificationRow) {
	if w.redis == nil {
		return
	}
	w.mu.Lock()
	down := time.Now().Before(w.liveDownUntil)
	w.mu.Unlock()
	if down {
		return
	}
	a := Audience{AudienceKind(n.AudienceKind), n.AudienceID}
	if err := publish(ctx, w.redis, a, eventOf(n)); err != nil {
		// The inbox has the notification; live updates pause briefly rather
		// than slowing every delivery while Redis is away.
		w.log.Warn("live update not published; Redis is not answering", "notification", n.ID, "error", err)
		w.mu.Lock()
		w.liveDownUntil = time.Now().Add(5 * time.Second)
		w.mu.Unlock()
	}
}

// post sends the notification to the finance webhook. Any answer but 2xx
// is a failure to be retried.
func (w *Worker) post(ctx context.Context, n notificationRow) error {
	body, err := payloadOf(n)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, w.cfg.HTTPTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.webhook, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "carebroker-notifications/1")
	req.Header.Set(IdempotencyKeyHeader, n.IdempotencyKey)
	req.Header.Set(NotificationIDHeader, n.ID.String())
	req.Header.Set(AttemptHeader, strconv.Itoa(n.Attempts))
	req.Header.Set(SignatureHeader, SignWebhook(w.cfg.WebhookSecret, time.Now(), body))
	resp, err := w.cfg.HTTPClient.Do(req)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("webhook answered %s", resp.Status)
	}
	return nil
}

var errLeaseLost = errors.New("lease lost")
