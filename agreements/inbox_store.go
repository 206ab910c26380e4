package agreements

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

// inboxView is a notification with the reader's read time.
type inboxView struct {
	Row    notificationRow `gorm:"embedded"`
	ReadAt *time.Time
}

func (v inboxView) notification() Notification {
	n := v.Row.notification()
	n.Read = v.ReadAt != nil
	return n
}

// InboxFilter narrows Inbox.
type InboxFilter struct {
	UnreadOnly bool
	Limit      int // default and most 200
}

func clampLimit(n, max int) int {
	if n <= 0 || n > max {
		return max
	}
	return n
}

// audienceTuples is the SQL value list of the actor's audiences.
func audienceTuples(actor accounts.Actor) [][]any {
	var ts [][]any
	for _, a := range AudiencesOf(actor) {
		ts = append(ts, []any{string(a.Kind), a.ID})
	}
	return ts
}

// Inbox lists the notifications delivered to any audience the actor
// belongs to, newest first, each marked read or not for this actor. An
// actor with no inbox (the system) gets an empty list, not an error.
func (s *Store) Inbox(ctx context.Context, actor accounts.Actor, f InboxFilter) ([]Notification, error) {
	tuples := audienceTuples(actor)
	if len(tuples) == 0 {
		return []Notification{}, nil
	}
	q := s.db.Gorm(ctx).Table("notifications").Select("notifications.*, notification_reads.read_at").
		Joins("LEFT JOIN notification_reads ON notification_reads.notification_id = notifications.id AND notification_reads.user_id = ?", actor.UserID).
		Where("notifications.inbox_at IS NOT NULL AND (notifications.audience_kind, notifications.audience_id) IN ?", tuples)
	if f.UnreadOnly {
		q = q.Where("notification_reads.read_at IS NULL")
	}
	var views []inboxView
	if err := q.Order("notifications.created_at DESC, notifications.id").Limit(clampLimit(f.Limit, 200)).Find(&views).Error; err != nil {
		return nil, postgres.Translate(err)
	}
	out := make([]Notification, len(views))
	for i, v := range views {
		out[i] = v.notification()
	}
	return out, nil
}

// MarkRead records that the actor has read a notification in their inbox.
// Marking it again changes nothing. It returns NotFound for a notification
// not in the actor's inbox.
func (s *Store) MarkRead(ctx context.Context, actor accounts.Actor, id uuid.UUID) error {
	tuples := audienceTuples(actor)
	if len(tuples) == 0 {
		return errs.NotFoundf("there is no notification %s in your inbox", id)
	}
	return postgres.Translate(s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		var found int64
		err := db.Table("notifications").Where("id = ? AND inbox_at IS NOT NULL AND (audience_kind, audience_id) IN ?", id, tuples).
			Count(&found).Error
		if err != nil {
			return err
		}
		if found == 0 {
			return errs.NotFoundf("there is no notification %s in your inbox", id)
		}
		res := db.Exec(`INSERT INTO notification_reads (notification_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, actor.UserID)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: "notification.read", ObjectType: "notification", ObjectID: id.String()})
	}))
}

// DeadLetters lists the notifications that gave up after their last
// attempt, most recent first. It returns Forbidden for anyone but an admin.
func (s *Store) DeadLetters(ctx context.Context, actor accounts.Actor, limit int) ([]Notification, error) {
	if err := actor.Require(accounts.Admin); err != nil {
		return nil, err
	}
	var rows []notificationRow
	err := s.db.Gorm(ctx).Where("status = 'dead'").Order("dead_at DESC, id").Limit(clampLimit(limit, 500)).Find(&rows).Error
	if err != nil {
		return nil, postgres.Translate(err)
	}
	out := make([]Notification, len(rows))
	for i, r := range rows {
		out[i] = r.notification()
	}
	return out, nil
}

// RetryDeadLetter puts a dead letter back in the queue with a fresh set of
// attempts; the next worker pass delivers it with the same idempotency key.
// It returns NotFound for no such notification, Conflict if it is not a
// dead letter, and Forbidden for anyone but an admin.
func (s *Store) RetryDeadLetter(ctx context.Context, actor accounts.Actor, id uuid.UUID) (Notification, error) {
	if err := actor.Require(accounts.Admin); err != nil {
		return Notification{}, err
	}
	var row notificationRow
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		if err := lockNotification(db, id, &row); err != nil {
			return err
		}
		if row.Status != string(Dead) {
			return errs.Conflictf("notification %s is %s, not a dead letter", id, row.Status)
		}
		err := db.Raw(`UPDATE notifications SET status = 'pending', attempts = 0, next_attempt_at = now(), dead_at = NULL
			WHERE id = ? RETURNING *`, id).Scan(&row).Error
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{
			Actor: actor, Action: "notification.retry", ObjectType: "notification", ObjectID: id.String(),
			Summary: map[string]any{"kind": row.Kind, "last_error": row.LastError},
		})
	})
	if err != nil {
		return Notification{}, postgres.Translate(err)
	}
	return row.notification(), nil
}

func lockNotification(tx *gorm.DB, id uuid.UUID, row *notificationRow) error {
	err := tx.Raw(`SELECT * FROM notifications WHERE id = ? FOR UPDATE`, id).Scan(row).Error
	if err == nil && row.ID == uuid.Nil {
		err = gorm.ErrRecordNotFound
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return errs.NotFoundf("there is no notification %s", id)
	}
	return err
}
