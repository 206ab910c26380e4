package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/idempotency"
	"github.com/carebroker/carebroker/internal/postgres"
)

// Idempotency-Key handling for mutating endpoints (POST, PUT, PATCH,
// DELETE), per signed-in user, in the foundation's idempotency_keys table:
//
//   - the first request with a key claims it (status 0 while it runs), runs,
//     and its response (status, content type, body) is kept;
//   - a replay with the same key and the same request (method, path, body)
//     gets the kept response, marked Idempotent-Replayed: true, and changes
//     nothing;
//   - the same key with a different request is 422 (errs.Mismatch);
//   - a replay while the first is still running is 409, with Retry-After;
//   - 5xx and 429 answers are not kept: the claim is released so a retry
//     runs again;
//   - a key is forgotten after 24 hours, and a claim left running for 5
//     minutes (a crashed process) may be taken over by a retry;
//   - a handler whose use case keeps its answer in its own transaction
//     (keepInTx, internal/idempotency) has the answer stored with the
//     effect, so a crash after the effect commits and before the middleware
//     stores the answer still leaves the first answer for the retry.
const (
	idempotencyHeader   = "Idempotency-Key"
	idempotencyLifetime = 24 * time.Hour
	idempotencyStale    = 5 * time.Minute
)

func mutating(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// idempotent is the middleware; it runs after authenticate.
func (s *Server) idempotent(c *gin.Context) {
	key := c.GetHeader(idempotencyHeader)
	who := actor(c).UserID
	if key == "" || !mutating(c.Request.Method) || s.DB == nil {
		c.Next()
		return
	}
	if len(key) > 200 || strings.TrimSpace(key) != key {
		fail(c, errs.InvalidField(idempotencyHeader, "must be 1 to 200 characters with no surrounding spaces"))
		return
	}
	body, err := readBody(c)
	if err != nil {
		fail(c, err)
		return
	}
	hash := requestHash(c.Request.Method, c.Request.URL.RequestURI(), body)
	ctx := context.WithoutCancel(c.Request.Context()) // the claim must be settled even if the caller goes away
	claimed, kept, err := s.claimKey(ctx, who, key, c.Request.Method, c.Request.URL.Path, hash)
	if err != nil {
		fail(c, err)
		return
	}
	if !claimed {
		switch {
		case !bytes.Equal(kept.RequestHash, hash):
			fail(c, &errs.Error{Code: errs.Mismatch, Field: idempotencyHeader,
				Message: "this Idempotency-Key was already used for a different request; use a new key for a new request"})
		case kept.Status == 0:
			c.Header("Retry-After", "1")
			fail(c, &errs.Error{Code: errs.Conflict, Field: idempotencyHeader,
				Message: "a request with this Idempotency-Key is still being processed; try again in a moment"})
		default:
			c.Header("Idempotent-Replayed", "true")
			c.Data(kept.Status, kept.ContentType, kept.ResponseBody)
			c.Abort()
		}
		return
	}
	c.Set(claimedKey, claim{user: who, key: key})
	w := &capturingWriter{ResponseWriter: c.Writer}
	c.Writer = w
	settled := false
	defer func() {
		if !settled { // a panic: release the claim, let recoverProblem answer
			s.releaseKey(ctx, who, key)
		}
	}()
	c.Next()
	if s.Failpoints.BeforeKeepingAnswer != nil {
		s.Failpoints.BeforeKeepingAnswer()
	}
	status := c.Writer.Status()
	if status >= 500 || status == http.StatusTooManyRequests {
		s.releaseKey(ctx, who, key)
	} else if err := s.keepResponse(ctx, who, key, status, c.Writer.Header().Get("Content-Type"), w.body.Bytes()); err != nil {
		slog.ErrorContext(ctx, "idempotency: the response could not be kept; a replay will get 409 until the claim is stale",
			"request_id", requestID(c), "error", err.Error())
	}
	settled = true
}

// claimedKey is the gin context key of the request's claim.
const claimedKey = "idempotency.claim"

// claim is the Idempotency-Key a request has claimed, for keepInTx.
type claim struct {
	user uuid.UUID
	key  string
}

// keepInTx returns the request's context for a use case that keeps its
// answer in its own transaction (idempotency.Keep): when the request
// claimed an Idempotency-Key, the use case's result is stored there as the
// answer, status and the JSON the handler will send, with the effect. The
// handler must then answer render(c, status, result) on success, exactly,
// as answerKept does.
func keepInTx(c *gin.Context, status int) context.Context {
	ctx := c.Request.Context()
	v, ok := c.Get(claimedKey)
	if !ok {
		return ctx
	}
	cl := v.(claim)
	return idempotency.WithKeeper(ctx, func(ctx context.Context, tx *postgres.Tx, result any) error {
		body, err := json.Marshal(answerBody(result))
		if err != nil {
			return errs.Internalf(err, "the answer could not be written as JSON")
		}
		return postgres.Translate(tx.Gorm(ctx).Exec(
			`UPDATE idempotency_keys SET status = ?, content_type = ?, response_body = ? WHERE user_id = ? AND key = ? AND status = 0`,
			status, jsonContentType, body, cl.user, cl.key).Error)
	})
}

// jsonContentType is what render sends.
const jsonContentType = "application/json; charset=utf-8"

// readBody reads the request body (capped by limitBody) and puts it back
// for the handler.
func readBody(c *gin.Context) ([]byte, error) {
	if c.Request.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, errs.InvalidField("body", "is larger than the %d bytes allowed", tooBig.Limit)
		}
		return nil, errs.InvalidField("body", "could not be read")
	}
	c.Request.Body = io.NopCloser(bytes.NewReader(body))
	return body, nil
}

// requestHash identifies a request: method, path with query, and body, with
// JSON whitespace ignored.
func requestHash(method, uri string, body []byte) []byte {
	var compact bytes.Buffer
	if json.Compact(&compact, body) == nil {
		body = compact.Bytes()
	}
	h := sha256.New()
	io.WriteString(h, method+"\n"+uri+"\n")
	h.Write(body)
	return h.Sum(nil)
}

// capturingWriter keeps a copy of the response body as it is written.
type capturingWriter struct {
	gin.ResponseWriter
	body bytes.Buffer
}

func (w *capturingWriter) Write(b []byte) (int, error) {
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

func (w *capturingWriter) WriteString(s string) (int, error) {
	w.body.WriteString(s)
	return w.ResponseWriter.WriteString(s)
}
