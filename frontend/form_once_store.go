package frontend

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/carebroker/carebroker/internal/postgres"
)

// formStore keeps the form ids already acted on
// (migrations/00041_web_form_submissions.sql).
type formStore struct {
	db *gorm.DB
}

// newFormID is a fresh id for one drawing of a form.
func newFormID() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// claim inserts the form id in a transaction and runs fn inside it, with
// first true when this sending inserted the row. Another sending of the
// same form waits on the row until this transaction ends: it then finds
// the row if fn succeeded (first false), or inserts it if fn failed and
// the transaction rolled back. fn's error rolls the claim back and is
// returned.
func (s *formStore) claim(ctx context.Context, sessionID uuid.UUID, formID string, now time.Time, fn func(first bool) error) error {
	if len(formID) < 16 || len(formID) > 100 {
		return fn(true) // not one of ours: act as a form without an id
	}
	return postgres.Translate(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec(`INSERT INTO web_form_submissions (session_id, form_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			sessionID, formID, now)
		if res.Error != nil {
			return res.Error
		}
		return fn(res.RowsAffected == 1)
	}))
}
