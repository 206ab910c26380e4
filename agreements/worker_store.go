package agreements

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/internal/metrics"
	"github.com/carebroker/carebroker/internal/postgres"
)

// claim is a notification a worker holds under a lease. The token fences
// every later write: once the lease has been taken over, the old holder's
// writes match no row.
type claim struct {
	row   notificationRow
	token uuid.UUID
}

// claim takes up to BatchSize due notifications in one short transaction.
// Rows locked by another worker's claim are skipped, not waited for; rows
// whose lease ran out (their worker died) are due again. Each claim counts
// as an attempt, so a notification that kills its worker still ends up a
// dead letter instead of looping for ever.
func (w *Worker) claim(ctx context.Context) ([]claim, error) {
	var rows []notificationRow
	token, err := w.claimDue(ctx, "notifications", &rows)
	if err != nil {
		return nil, err
	}
	claims := make([]claim, len(rows))
	for i, r := range rows {
		claims[i] = claim{row: r, token: token}
	}
	return claims, nil
}

// claimDue takes up to BatchSize due rows of an outbox table
// (notifications or emails, named by this package's code only) under a new
// lease, scanning them into rows, and returns the lease's token.
func (w *Worker) claimDue(ctx context.Context, table string, rows any) (uuid.UUID, error) {
	token := uuid.New()
	err := w.db.Gorm(ctx).Raw(fmt.Sprintf(`
		WITH due AS (
			SELECT id FROM %[1]s
			WHERE status = 'pending' AND next_attempt_at <= now()
			  AND (lease_until IS NULL OR lease_until < now())
			ORDER BY next_attempt_at, created_at
			LIMIT ?
			FOR UPDATE SKIP LOCKED
		)
		UPDATE %[1]s t
		SET lease_token = ?, lease_until = now() + ? * interval '1 microsecond',
		    attempts = t.attempts + 1, last_attempt_at = now()
		FROM due WHERE t.id = due.id
		RETURNING t.*`, table), w.cfg.BatchSize, token, w.cfg.Lease.Microseconds()).Scan(rows).Error
	return token, postgres.Translate(err)
}

// release gives back claims not yet attempted, for another worker.
func (w *Worker) release(ctx context.Context, cs []claim) {
	for _, c := range cs {
		err := w.db.Gorm(ctx).Exec(`UPDATE notifications
			SET lease_token = NULL, lease_until = NULL, attempts = attempts - 1
			WHERE id = ? AND lease_token = ?`, c.row.ID, c.token).Error
		if err != nil {
			w.log.Warn("could not release a claim; its lease will run out", "notification", c.row.ID, "error", err)
		}
	}
}

// putInInbox makes the notification visible to its audience. It reports
// false if the lease was lost.
func (w *Worker) putInInbox(ctx context.Context, c claim) (bool, error) {
	res := w.db.Gorm(ctx).Exec(`UPDATE notifications SET inbox_at = now()
		WHERE id = ? AND lease_token = ? AND inbox_at IS NULL`, c.row.ID, c.token)
	if res.Error != nil {
		return false, postgres.Translate(res.Error)
	}
	return res.RowsAffected == 1, nil
}

// complete marks the notification delivered (putting it in the inbox if it
// is not there yet) and records it.
func (w *Worker) complete(ctx context.Context, c claim, webhooked bool) (outcome, error) {
	err := w.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		res := db.Exec(`UPDATE notifications
			SET status = 'delivered', delivered_at = now(), inbox_at = COALESCE(inbox_at, now()),
			    webhook_at = CASE WHEN ? THEN now() ELSE webhook_at END,
			    lease_token = NULL, lease_until = NULL, last_error = ''
			WHERE id = ? AND lease_token = ?`, webhooked, c.row.ID, c.token)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errLeaseLost
		}
		if err := w.queueEmails(ctx, tx, c.row); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{
			Actor: accounts.SystemActor, Action: "notification.deliver", ObjectType: "notification",
			ObjectID: c.row.ID.String(), Summary: map[string]any{
				"kind": c.row.Kind, "audience": Audience{AudienceKind(c.row.AudienceKind), c.row.AudienceID},
				"attempts": c.row.Attempts, "webhook": webhooked, "worker": w.cfg.ID,
			},
		})
	})
	if errors.Is(err, errLeaseLost) {
		w.log.Warn("lease lost before completion; another worker has the notification", "notification", c.row.ID)
		return leaseLost, nil
	}
	if err != nil {
		return 0, postgres.Translate(err)
	}
	return delivered, nil
}

// fail records a failed attempt: the notification is due again after the
// backoff, or is a dead letter after its last attempt.
func (w *Worker) fail(ctx context.Context, c claim, cause error) (outcome, error) {
	msg := cause.Error()
	if len(msg) > 1000 {
		msg = msg[:1000]
	}
	wait := w.cfg.Backoff(c.row.Attempts)
	var status string
	err := w.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		err := db.Raw(`UPDATE notifications
			SET status = CASE WHEN attempts >= ? THEN 'dead' ELSE 'pending' END,
			    dead_at = CASE WHEN attempts >= ? THEN now() END,
			    next_attempt_at = now() + ? * interval '1 microsecond',
			    last_error = ?, lease_token = NULL, lease_until = NULL
			WHERE id = ? AND lease_token = ?
			RETURNING status`, w.cfg.MaxAttempts, w.cfg.MaxAttempts, wait.Microseconds(), msg, c.row.ID, c.token).
			Scan(&status).Error
		if err != nil {
			return err
		}
		if status == "" {
			return errLeaseLost
		}
		action := "notification.retry_scheduled"
		if status == string(Dead) {
			action = "notification.dead_letter"
		}
		return audit.Record(ctx, tx, audit.Entry{
			Actor: accounts.SystemActor, Action: action, ObjectType: "notification", ObjectID: c.row.ID.String(),
			Summary: map[string]any{"kind": c.row.Kind, "attempts": c.row.Attempts, "error": msg, "worker": w.cfg.ID},
		})
	})
	switch {
	case errors.Is(err, errLeaseLost):
		return leaseLost, nil
	case err != nil:
		return 0, postgres.Translate(err)
	case status == string(Dead):
		metrics.DeadLettered()
		w.log.Error("notification is a dead letter after its last attempt", "notification", c.row.ID,
			"kind", c.row.Kind, "attempts", c.row.Attempts, "error", msg)
		return deadLettered, nil
	}
	w.log.Warn("notification delivery failed; will retry", "notification", c.row.ID, "attempt", c.row.Attempts,
		"retry_in", wait.Round(time.Millisecond), "error", msg)
	return retrying, nil
}
