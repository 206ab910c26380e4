package frontend

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/internal/postgres"
)

// formStore keeps the form ids sent (migrations/00041_web_form_submissions.sql).
// No transaction is held while a form's action runs, so waiting sendings
// never hold database connections the action needs.
type formStore struct {
	db *postgres.DB
}

// newFormID is a fresh id for one drawing of a form.
func newFormID() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// validFormID reports whether id can be one of newFormID's.
func validFormID(id string) bool { return len(id) >= 16 && len(id) <= 100 }

// claim records the sending of a form and reports whether it is the
// first (whose action runs).
func (s *formStore) claim(ctx context.Context, sessionID uuid.UUID, formID string, now time.Time) (bool, error) {
	res := s.db.Gorm(ctx).Exec(`INSERT INTO web_form_submissions (session_id, form_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		sessionID, formID, now)
	return res.RowsAffected == 1, postgres.Translate(res.Error)
}

// finish marks the first sending's action done, or, when it failed,
// forgets the sending so the form may be sent again.
func (s *formStore) finish(ctx context.Context, sessionID uuid.UUID, formID string, succeeded bool) error {
	q := `DELETE FROM web_form_submissions WHERE session_id = ? AND form_id = ?`
	if succeeded {
		q = `UPDATE web_form_submissions SET done = true WHERE session_id = ? AND form_id = ?`
	}
	return postgres.Translate(s.db.Gorm(ctx).Exec(q, sessionID, formID).Error)
}

// formState is where the first sending of a form stands for a later one.
type formState int

const (
	formRunning formState = iota // still acting (or it stopped without saying)
	formDone                     // it acted
	formGone                     // it failed: the form may act again
)

// wait polls the first sending until it is done or gone, for at most within.
func (s *formStore) wait(ctx context.Context, sessionID uuid.UUID, formID string, within time.Duration) (formState, error) {
	deadline := time.Now().Add(within)
	for {
		var done bool
		err := s.db.Gorm(ctx).Raw(`SELECT done FROM web_form_submissions WHERE session_id = ? AND form_id = ?`, sessionID, formID).Row().Scan(&done)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return formGone, nil
		case err != nil:
			return formRunning, postgres.Translate(err)
		case done:
			return formDone, nil
		case time.Now().After(deadline):
			return formRunning, nil
		}
		select {
		case <-ctx.Done():
			return formRunning, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
