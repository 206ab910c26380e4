package agreements

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
)

// FinanceFilter narrows FinanceInbox.
type FinanceFilter struct {
	Status string // "" or "unacknowledged", "acknowledged", "all"
	Limit  int    // default and most 500
}

// FinanceInbox lists the notifications delivered to the finance team, newest
// first. It returns Forbidden for anyone but finance, and Invalid for an
// unknown status.
func (s *Store) FinanceInbox(ctx context.Context, actor accounts.Actor, f FinanceFilter) ([]Notification, error) {
	if err := actor.Require(accounts.Finance); err != nil {
		return nil, err
	}
	q := s.db.Gorm(ctx).Table("notifications").Select("notifications.*, notification_reads.read_at").
		Joins("LEFT JOIN notification_reads ON notification_reads.notification_id = notifications.id AND notification_reads.user_id = ?", actor.UserID).
		Where("audience_kind = 'finance' AND inbox_at IS NOT NULL")
	switch f.Status {
	case "", "unacknowledged":
		q = q.Where("acknowledged_at IS NULL")
	case "acknowledged":
		q = q.Where("acknowledged_at IS NOT NULL")
	case "all":
	default:
		return nil, errs.InvalidField("status", "must be unacknowledged, acknowledged or all")
	}
	var views []inboxView
	if err := q.Order("notifications.created_at DESC, notifications.id").Limit(clampLimit(f.Limit, 500)).Find(&views).Error; err != nil {
		return nil, postgres.Translate(err)
	}
	out := make([]Notification, len(views))
	for i, v := range views {
		out[i] = v.notification()
	}
	return out, nil
}

// Acknowledge records that the finance team has taken up a notification.
// It happens once: acknowledging again returns Conflict saying when it was
// done. It returns NotFound for a notification not in the finance inbox and
// Forbidden for anyone but finance.
func (s *Store) Acknowledge(ctx context.Context, actor accounts.Actor, id uuid.UUID) (Notification, error) {
	if err := actor.Require(accounts.Finance); err != nil {
		return Notification{}, err
	}
	var row notificationRow
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		if err := lockNotification(db, id, &row); err != nil {
			return err
		}
		if row.AudienceKind != string(AudienceFinance) || row.InboxAt == nil {
			return errs.NotFoundf("there is no notification %s in the finance inbox", id)
		}
		if row.AcknowledgedAt != nil {
			return errs.Conflictf("this notification was already acknowledged on %s at %s (UK time)",
				day.InLondon(*row.AcknowledgedAt).UK(), row.AcknowledgedAt.In(day.London).Format("15:04"))
		}
		now := s.now().UTC()
		err := db.Model(&notificationRow{}).Where("id = ?", id).Select("acknowledged_at", "acknowledged_by").
			Updates(notificationRow{AcknowledgedAt: &now, AcknowledgedBy: &actor.UserID}).Error
		if err != nil {
			return err
		}
		row.AcknowledgedAt, row.AcknowledgedBy = &now, &actor.UserID
		summary := map[string]any{"kind": row.Kind}
		if row.AgreementID != nil {
			summary["agreement_id"] = *row.AgreementID
		}
		return audit.Record(ctx, tx, audit.Entry{
			Actor: actor, Action: "notification.acknowledge", ObjectType: "notification", ObjectID: id.String(), Summary: summary,
		})
	})
	if err != nil {
		return Notification{}, postgres.Translate(err)
	}
	return row.notification(), nil
}

// financeAgreementRow is an agreement as finance sees it: what was sent to
// finance and whether finance has taken it up.
type financeAgreementRow struct {
	Row            agreementRow `gorm:"embedded"`
	NotificationID uuid.UUID
	NotifiedAt     time.Time
	AcknowledgedAt *time.Time
}

func (s *Store) financeAgreements(ctx context.Context, actor accounts.Actor) ([]financeAgreementRow, error) {
	if err := actor.Require(accounts.Finance); err != nil {
		return nil, err
	}
	var rows []financeAgreementRow
	err := s.db.Gorm(ctx).Table("agreements").
		Select("agreements.*, n.id AS notification_id, n.inbox_at AS notified_at, n.acknowledged_at").
		Joins("JOIN notifications n ON n.agreement_id = agreements.id AND n.audience_kind = 'finance' AND n.kind = ? AND n.inbox_at IS NOT NULL", FinanceNotificationKind).
		Order("agreements.created_at, agreements.reference").Find(&rows).Error
	return rows, postgres.Translate(err)
}

func (s *Store) financeNotifications(ctx context.Context, actor accounts.Actor) ([]financeNotificationRow, error) {
	if err := actor.Require(accounts.Finance); err != nil {
		return nil, err
	}
	var rows []financeNotificationRow
	err := s.db.Gorm(ctx).Table("notifications").
		Select("notifications.*, a.reference AS agreement_reference").
		Joins("LEFT JOIN agreements a ON a.id = notifications.agreement_id").
		Where("notifications.audience_kind = 'finance' AND notifications.inbox_at IS NOT NULL").
		Order("notifications.created_at, notifications.id").Find(&rows).Error
	return rows, postgres.Translate(err)
}

type financeNotificationRow struct {
	Row                notificationRow `gorm:"embedded"`
	AgreementReference *string
}
