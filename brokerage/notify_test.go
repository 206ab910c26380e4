package brokerage

import (
	"context"

	"gorm.io/gorm"
)

// testNotifier writes notices to a table of the test's database, in the
// caller's transaction, so a rolled-back change leaves no notice behind.
func testNotifier(db *gorm.DB) Notifier {
	if err := db.Exec(`CREATE TABLE IF NOT EXISTS test_notices (id bigserial PRIMARY KEY, kind text, provider_org_id uuid, person_id uuid, request_id uuid, object_id uuid, subject text, body text)`).Error; err != nil {
		panic(err)
	}
	return func(ctx context.Context, tx *gorm.DB, n Notice) error {
		return tx.WithContext(ctx).Exec(`INSERT INTO test_notices (kind, provider_org_id, person_id, request_id, object_id, subject, body) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			n.Kind, n.ProviderOrgID, n.PersonID, n.RequestID, n.ObjectID, n.Subject, n.Body).Error
	}
}
