package main

import (
	"context"
	"fmt"
	"io"

	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/config"
	"github.com/carebroker/carebroker/internal/mailer"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/internal/redisx"
)

// newNotificationWorker builds the notification worker from the configuration.
func newNotificationWorker(cfg config.Config, db *postgres.DB, rdb *redisx.Client) (*agreements.Worker, error) {
	wc := agreements.WorkerConfig{WebhookURL: cfg.FinanceWebhookURL, WebhookSecret: cfg.FinanceWebhookSecret}
	if cfg.SMTPURL != "" {
		sender, err := mailer.New(cfg.SMTPURL, cfg.EmailFrom)
		if err != nil {
			return nil, err
		}
		wc.Email = agreements.EmailConfig{Sender: sender, Recipients: brokerage.MailRecipients{},
			PublicURL: cfg.PublicURL, SenderName: cfg.EmailSender}
	}
	return agreements.NewWorker(db, rdb, wc)
}

// worker runs the notification worker on its own until SIGTERM or SIGINT,
// finishing the delivery under way. Any number may run beside `serve`.
func worker(ctx context.Context, out io.Writer) error {
	cfg, db, rdb, err := open(ctx, out)
	if err != nil {
		return err
	}
	pending, err := postgres.Pending(ctx, db)
	if err != nil {
		return err
	}
	if pending > 0 {
		return fmt.Errorf("the database has %d migrations to apply; run `carebroker migrate up` (or start `serve`) first", pending)
	}
	w, err := newNotificationWorker(cfg, db, rdb)
	if err != nil {
		return err
	}
	serveMetrics(ctx, cfg, db, agreements.NewStore(db))
	fmt.Fprintln(out, "carebroker worker is delivering notifications")
	return w.Run(ctx)
}
