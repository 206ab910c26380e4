package frontend

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

// webSession is a row of web_sessions (migrations/00040_web_sessions.sql).
type webSession struct {
	ID         uuid.UUID `gorm:"type:uuid;primaryKey;default:gen_random_uuid()"`
	TokenHash  []byte    `gorm:"column:token_hash"`
	UserID     uuid.UUID `gorm:"type:uuid;column:user_id"`
	CSRFToken  string    `gorm:"column:csrf_token"`
	CreatedAt  time.Time `gorm:"column:created_at"`
	LastSeenAt time.Time `gorm:"column:last_seen_at"`
	ExpiresAt  time.Time `gorm:"column:expires_at"`
	EndedAt    *time.Time
	Flash      *string
}

// TableName is the table the frontend owns for sessions.
func (webSession) TableName() string { return "web_sessions" }

// sessionStore keeps web sessions in PostgreSQL.
type sessionStore struct {
	db *postgres.DB
}

// errNoSession is the one answer for a token that names no live session:
// unknown, signed out, idle too long or past its limit.
var errNoSession = errs.Unauthorizedf("your session has ended; sign in again")

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashSessionToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// start opens a session for the user and records the sign-in in the audit
// trail, in one transaction. It returns the token for the cookie (only its
// hash is stored) and the session.
func (s *sessionStore) start(ctx context.Context, u accounts.User, now time.Time, maxAge time.Duration) (string, webSession, error) {
	token := randomToken()
	row := webSession{
		TokenHash: hashSessionToken(token), UserID: u.ID, CSRFToken: randomToken(),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(maxAge),
	}
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		if err := db.Omit("id").Create(&row).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{
			Actor: u.Actor(), Action: "session.start", ObjectType: "web_session", ObjectID: row.ID.String(),
			Summary: map[string]any{"expires_at": row.ExpiresAt},
		})
	})
	if err != nil {
		return "", webSession{}, postgres.Translate(err)
	}
	return token, row, nil
}

// lookup returns the live session the token names, or errNoSession.
func (s *sessionStore) lookup(ctx context.Context, token string, now time.Time, idle time.Duration) (webSession, error) {
	var row webSession
	err := s.db.Gorm(ctx).
		Where("token_hash = ? AND ended_at IS NULL AND expires_at > ? AND last_seen_at > ?", hashSessionToken(token), now, now.Add(-idle)).
		Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return webSession{}, errNoSession
	}
	return row, postgres.Translate(err)
}

// touch records that the session was used at now, which keeps it from
// ending for inactivity.
func (s *sessionStore) touch(ctx context.Context, id uuid.UUID, now time.Time) error {
	return postgres.Translate(s.db.Gorm(ctx).Model(&webSession{}).
		Where("id = ? AND last_seen_at < ?", id, now).Update("last_seen_at", now).Error)
}

// end closes the session (sign-out, or the account changed under it) and
// records it in the audit trail, in one transaction. Ending an ended
// session changes nothing.
func (s *sessionStore) end(ctx context.Context, id uuid.UUID, actor accounts.Actor, reason string, now time.Time) error {
	return postgres.Translate(s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		res := db.Model(&webSession{}).Where("id = ? AND ended_at IS NULL", id).Update("ended_at", now)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return audit.Record(ctx, tx, audit.Entry{
			Actor: actor, Action: "session.end", ObjectType: "web_session", ObjectID: id.String(),
			Summary: map[string]any{"reason": reason},
		})
	}))
}

// setFlash keeps a success message for the session's next page.
func (s *sessionStore) setFlash(ctx context.Context, id uuid.UUID, message string) error {
	return postgres.Translate(s.db.Gorm(ctx).Model(&webSession{}).Where("id = ?", id).Update("flash", message).Error)
}

// takeFlash returns the session's message and clears it, so it shows once
// even when two pages load at the same moment.
func (s *sessionStore) takeFlash(ctx context.Context, id uuid.UUID) (string, error) {
	var flash *string
	err := s.db.Gorm(ctx).Raw(
		`UPDATE web_sessions n SET flash = NULL FROM (SELECT id, flash FROM web_sessions WHERE id = ? AND flash IS NOT NULL FOR UPDATE) o
		 WHERE n.id = o.id RETURNING o.flash`, id).Scan(&flash).Error
	if err != nil || flash == nil {
		return "", postgres.Translate(err)
	}
	return *flash, nil
}

// sweep deletes sessions that ended or expired more than a day ago, a
// bounded batch at a time; it runs at each sign-in so the table stays small
// without a separate job.
func (s *sessionStore) sweep(ctx context.Context, now time.Time) error {
	cutoff := now.Add(-24 * time.Hour)
	return postgres.Translate(s.db.Gorm(ctx).Exec(
		`DELETE FROM web_sessions WHERE id IN (SELECT id FROM web_sessions WHERE expires_at < ? OR ended_at < ? LIMIT 500)`,
		cutoff, cutoff).Error)
}
