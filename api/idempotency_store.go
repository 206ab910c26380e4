package api

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/internal/postgres"
)

// keptResponse is a row of idempotency_keys.
type keptResponse struct {
	RequestHash  []byte
	Status       int
	ContentType  string
	ResponseBody []byte
}

// claimKey claims (user, key) for a request, or returns what is kept for
// it. An expired key, or a claim stale from a crashed process, is claimed
// afresh. The row lock of the INSERT ... ON CONFLICT decides between
// concurrent claims.
func (s *Server) claimKey(ctx context.Context, user uuid.UUID, key, method, path string, hash []byte) (bool, keptResponse, error) {
	return s.claimKeyAttempt(ctx, user, key, method, path, hash, 1)
}

func (s *Server) claimKeyAttempt(ctx context.Context, user uuid.UUID, key, method, path string, hash []byte, attempt int) (bool, keptResponse, error) {
	now := time.Now().UTC()
	res := s.DB.Gorm(ctx).Exec(`
		INSERT INTO idempotency_keys (user_id, key, method, path, request_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (user_id, key) DO UPDATE
		   SET method = EXCLUDED.method, path = EXCLUDED.path, request_hash = EXCLUDED.request_hash,
		       status = 0, content_type = '', response_body = NULL, created_at = EXCLUDED.created_at
		 WHERE idempotency_keys.created_at < ?
		    OR (idempotency_keys.status = 0 AND idempotency_keys.created_at < ?)`,
		user, key, method, path, hash, now, now.Add(-idempotencyLifetime), now.Add(-idempotencyStale))
	if res.Error != nil {
		return false, keptResponse{}, postgres.Translate(res.Error)
	}
	if res.RowsAffected == 1 {
		return true, keptResponse{}, nil
	}
	var kept keptResponse
	read := s.DB.Gorm(ctx).Raw(`SELECT request_hash, status, content_type, response_body FROM idempotency_keys WHERE user_id = ? AND key = ?`,
		user, key).Scan(&kept)
	if read.Error == nil && read.RowsAffected == 0 && attempt < 3 {
		// The claim was released (its request failed) between the two statements.
		return s.claimKeyAttempt(ctx, user, key, method, path, hash, attempt+1)
	}
	return false, kept, postgres.Translate(read.Error)
}

// keepResponse stores the response of a claimed key.
func (s *Server) keepResponse(ctx context.Context, user uuid.UUID, key string, status int, contentType string, body []byte) error {
	if body == nil {
		body = []byte{}
	}
	return postgres.Translate(s.DB.Gorm(ctx).Exec(
		`UPDATE idempotency_keys SET status = ?, content_type = ?, response_body = ? WHERE user_id = ? AND key = ? AND status = 0`,
		status, contentType, body, user, key).Error)
}

// releaseKey forgets a claim whose request failed, so a retry runs again.
func (s *Server) releaseKey(ctx context.Context, user uuid.UUID, key string) {
	s.DB.Gorm(ctx).Exec(`DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND status = 0`, user, key)
}
