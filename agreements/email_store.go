package agreements

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/internal/postgres"
)

// emailRow is a row of emails: one email to one address about one
// notification.
type emailRow struct {
	ID             uuid.UUID `gorm:"type:uuid;primaryKey"`
	NotificationID uuid.UUID `gorm:"type:uuid"`
	Address        string
	MessageID      string
	Kind           string
	Subject        string
	TextBody       string
	HTMLBody       string `gorm:"column:html_body"`
	Status         string
	Attempts       int
	NextAttemptAt  time.Time
	LeaseToken     *uuid.UUID `gorm:"type:uuid"`
	LeaseUntil     *time.Time
	LastAttemptAt  *time.Time
	LastError      string
	SentAt         *time.Time
	DeadAt         *time.Time
	CreatedAt      time.Time
}

func (emailRow) TableName() string { return "emails" }

// queueEmails writes the emails of a notification being delivered, in tx,
// the transaction that marks it delivered: they exist if and only if it is.
// One per address; writing them again changes nothing.
func (w *Worker) queueEmails(ctx context.Context, tx *postgres.Tx, n notificationRow) error {
	cfg := w.cfg.Email
	if !cfg.on() || !Emailed(AudienceKind(n.AudienceKind), n.Kind) {
		return nil
	}
	addresses, err := cfg.Recipients.EmailAddresses(ctx, tx, Audience{AudienceKind(n.AudienceKind), n.AudienceID})
	if err != nil || len(addresses) == 0 {
		return err
	}
	subject, text, html, err := renderEmail(n, cfg)
	if err != nil {
		return err
	}
	domain := cfg.Domain
	if domain == "" {
		domain = "carebroker.invalid"
	}
	for _, a := range addresses {
		id := uuid.New()
		err := tx.Gorm(ctx).Exec(`INSERT INTO emails (id, notification_id, address, message_id, kind, subject, text_body, html_body)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (notification_id, address) DO NOTHING`,
			id, n.ID, a, id.String()+"@"+domain, n.Kind, subject, text, html).Error
		if err != nil {
			return postgres.Translate(err)
		}
	}
	return nil
}

// emailClaim is an email a worker holds under a lease.
type emailClaim struct {
	row   emailRow
	token uuid.UUID
}

// claimEmails takes up to BatchSize due emails, as claim does notifications.
func (w *Worker) claimEmails(ctx context.Context) ([]emailClaim, error) {
	var rows []emailRow
	token, err := w.claimDue(ctx, "emails", &rows)
	if err != nil {
		return nil, err
	}
	claims := make([]emailClaim, len(rows))
	for i, r := range rows {
		claims[i] = emailClaim{row: r, token: token}
	}
	return claims, nil
}

// releaseEmails gives back claims not yet attempted.
func (w *Worker) releaseEmails(ctx context.Context, cs []emailClaim) {
	for _, c := range cs {
		err := w.db.Gorm(ctx).Exec(`UPDATE emails SET lease_token = NULL, lease_until = NULL, attempts = attempts - 1
			WHERE id = ? AND lease_token = ?`, c.row.ID, c.token).Error
		if err != nil {
			w.log.Warn("could not release an email; its lease will run out", "email", c.row.ID, "error", err)
		}
	}
}

// emailSent records that the server took the email. It reports false when
// the lease was lost (another worker has it, and sends it with the same
// Message-ID).
func (w *Worker) emailSent(ctx context.Context, c emailClaim) (bool, error) {
	res := w.db.Gorm(ctx).Exec(`UPDATE emails SET status = 'sent', sent_at = now(), last_error = '',
		lease_token = NULL, lease_until = NULL WHERE id = ? AND lease_token = ?`, c.row.ID, c.token)
	if res.Error != nil {
		return false, postgres.Translate(res.Error)
	}
	return res.RowsAffected == 1, nil
}

// emailFailed records a failed attempt: due again after the backoff, or
// dead after the last attempt. It returns the new status ("" if the lease
// was lost).
func (w *Worker) emailFailed(ctx context.Context, c emailClaim, cause error) (string, error) {
	msg := cause.Error()
	if len(msg) > 1000 {
		msg = msg[:1000]
	}
	var status string
	err := w.db.Gorm(ctx).Raw(`UPDATE emails
		SET status = CASE WHEN attempts >= ? THEN 'dead' ELSE 'pending' END,
		    dead_at = CASE WHEN attempts >= ? THEN now() END,
		    next_attempt_at = now() + ? * interval '1 microsecond',
		    last_error = ?, lease_token = NULL, lease_until = NULL
		WHERE id = ? AND lease_token = ?
		RETURNING status`, w.cfg.MaxAttempts, w.cfg.MaxAttempts, w.cfg.Backoff(c.row.Attempts).Microseconds(), msg, c.row.ID, c.token).
		Scan(&status).Error
	return status, postgres.Translate(err)
}
