package agreements

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

// notificationRow is a row of notifications.
type notificationRow struct {
	ID             uuid.UUID `gorm:"type:uuid;primaryKey"`
	IdempotencyKey string
	AudienceKind   string
	AudienceID     string
	Kind           string
	Subject        string
	Body           string
	ObjectType     string
	ObjectID       string
	Link           string
	AgreementID    *uuid.UUID      `gorm:"type:uuid"`
	Data           json.RawMessage `gorm:"type:jsonb"`
	CreatedAt      time.Time

	Status        string
	Attempts      int
	NextAttemptAt time.Time
	LeaseToken    *uuid.UUID `gorm:"type:uuid"`
	LeaseUntil    *time.Time
	LastAttemptAt *time.Time
	LastError     string
	InboxAt       *time.Time
	WebhookAt     *time.Time
	DeliveredAt   *time.Time
	DeadAt        *time.Time

	AcknowledgedAt *time.Time
	AcknowledgedBy *uuid.UUID `gorm:"type:uuid"`
}

func (notificationRow) TableName() string { return "notifications" }

func (r notificationRow) notification() Notification {
	n := Notification{
		ID: r.ID, Audience: Audience{AudienceKind(r.AudienceKind), r.AudienceID}, Kind: r.Kind,
		Subject: r.Subject, Body: r.Body, ObjectType: r.ObjectType, ObjectID: r.ObjectID, Link: r.Link,
		IdempotencyKey: r.IdempotencyKey, AgreementID: r.AgreementID, CreatedAt: r.CreatedAt,
		AcknowledgedAt: r.AcknowledgedAt, AcknowledgedBy: r.AcknowledgedBy,
		Delivery: Delivery{
			Status: DeliveryStatus(r.Status), Attempts: r.Attempts, LastAttemptAt: r.LastAttemptAt,
			LastError: r.LastError, InboxAt: r.InboxAt, WebhookAt: r.WebhookAt, DeliveredAt: r.DeliveredAt, DeadAt: r.DeadAt,
		},
	}
	if len(r.Data) > 0 && string(r.Data) != "{}" {
		n.Data = r.Data
	}
	if r.Status == string(Pending) {
		t := r.NextAttemptAt
		n.Delivery.NextAttemptAt = &t
	}
	return n
}

// Notify writes n with tx, the caller's transaction, so the notification
// exists if and only if the change it tells of commits. A worker delivers
// it after commit. Writing the same IdempotencyKey again does nothing (the
// first notification stands). It returns Invalid naming the field that is
// wrong, or Conflict when the key was already used for a different
// audience or kind, or when the agreement already has its finance
// notification.
func Notify(ctx context.Context, tx *postgres.Tx, n Notification) error {
	_, err := notify(ctx, tx, n)
	return err
}

func notify(ctx context.Context, tx *postgres.Tx, n Notification) (uuid.UUID, error) {
	if tx == nil {
		return uuid.Nil, errs.Internalf(nil, "Notify needs the caller's transaction")
	}
	if err := n.validate(); err != nil {
		return uuid.Nil, err
	}
	data := json.RawMessage("{}")
	if n.Data != nil {
		b, err := json.Marshal(n.Data)
		if err != nil {
			return uuid.Nil, errs.InvalidField("data", "cannot be written as JSON: %v", err)
		}
		data = b
	}
	id := uuid.New()
	res := tx.Gorm(ctx).Exec(`
		INSERT INTO notifications (id, idempotency_key, audience_kind, audience_id, kind, subject, body,
			object_type, object_id, link, agreement_id, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (idempotency_key) DO NOTHING`,
		id, n.IdempotencyKey, string(n.Audience.Kind), n.Audience.ID, n.Kind, n.Subject, n.Body,
		n.ObjectType, n.ObjectID, n.Link, n.AgreementID, data)
	if errors.Is(res.Error, gorm.ErrDuplicatedKey) {
		return uuid.Nil, errs.Conflictf("the finance team has already been notified of this agreement")
	}
	if res.Error != nil {
		return uuid.Nil, postgres.Translate(res.Error)
	}
	if res.RowsAffected == 1 {
		return id, nil
	}
	var existing notificationRow
	if err := tx.Gorm(ctx).Select("id", "audience_kind", "audience_id", "kind").
		Where("idempotency_key = ?", n.IdempotencyKey).Take(&existing).Error; err != nil {
		return uuid.Nil, postgres.Translate(err)
	}
	if existing.AudienceKind != string(n.Audience.Kind) || existing.AudienceID != n.Audience.ID || existing.Kind != n.Kind {
		return uuid.Nil, &errs.Error{Code: errs.Conflict, Field: "idempotency_key",
			Message: "this idempotency key was already used for a different notification"}
	}
	return existing.ID, nil
}
