// Package audit owns the audit trail: who changed what, and who looked at
// which person's records. Writers pass the transaction of the change they
// record, so the event commits (or rolls back) with it. The table refuses
// updates and deletes.
package audit

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/internal/postgres"
)

// Event is one line of the audit trail.
type Event struct {
	ID          int64           `gorm:"primaryKey" json:"id"`
	At          time.Time       `json:"at"`
	ActorUserID *uuid.UUID      `gorm:"type:uuid" json:"actor_user_id,omitempty"`
	ActorRole   string          `json:"actor_role"`
	OnBehalfOf  *string         `json:"on_behalf_of,omitempty"`
	Action      string          `json:"action"`
	ObjectType  string          `json:"object_type"`
	ObjectID    string          `json:"object_id"`
	PersonID    *uuid.UUID      `gorm:"type:uuid" json:"person_id,omitempty"`
	Summary     json.RawMessage `gorm:"type:jsonb" json:"summary"`
	RequestID   *string         `json:"request_id,omitempty"`
}

// TableName is the table audit owns.
func (Event) TableName() string { return "audit_events" }

// Entry is what a caller records.
type Entry struct {
	Actor      accounts.Actor
	OnBehalfOf string // e.g. "person" when a broker records a person's choice
	Action     string // verb.object, e.g. "plan.sign_off", "plan.view"
	ObjectType string
	ObjectID   string
	PersonID   uuid.UUID // the person whose record this is, if any
	Summary    any       // before/after or other facts; marshalled to JSON
}

type requestIDKey struct{}

// WithRequestID returns ctx carrying the request id recorded with events.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// Record writes e on db: the transaction of the change being recorded
// (a *postgres.Tx), or the database itself for a read that changes nothing.
func Record(ctx context.Context, db postgres.Conn, e Entry) error {
	summary := []byte("{}")
	if e.Summary != nil {
		b, err := json.Marshal(e.Summary)
		if err != nil {
			return err
		}
		summary = b
	}
	ev := Event{
		At: time.Now().UTC(), ActorRole: string(e.Actor.Role), Action: e.Action,
		ObjectType: e.ObjectType, ObjectID: e.ObjectID, Summary: summary,
	}
	if e.Actor.UserID != uuid.Nil {
		id := e.Actor.UserID
		ev.ActorUserID = &id
	}
	if e.PersonID != uuid.Nil {
		p := e.PersonID
		ev.PersonID = &p
	}
	if e.OnBehalfOf != "" {
		ev.OnBehalfOf = &e.OnBehalfOf
	}
	if id, ok := ctx.Value(requestIDKey{}).(string); ok && id != "" {
		ev.RequestID = &id
	}
	return postgres.Translate(db.Gorm(ctx).Omit("id").Create(&ev).Error)
}

// Filter narrows a Query. Zero fields do not filter.
type Filter struct {
	PersonID    uuid.UUID
	ActorUserID uuid.UUID
	ObjectType  string
	ObjectID    string
	Action      string
	BeforeID    int64 // only events written before the one with this id (paging)
	Limit       int
}

// Query returns events matching f, newest first in the order they were
// written (at most 500).
func Query(ctx context.Context, db postgres.Conn, f Filter) ([]Event, error) {
	q := db.Gorm(ctx).Order("id DESC")
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	if f.PersonID != uuid.Nil {
		q = q.Where("person_id = ?", f.PersonID)
	}
	if f.ActorUserID != uuid.Nil {
		q = q.Where("actor_user_id = ?", f.ActorUserID)
	}
	if f.ObjectType != "" {
		q = q.Where("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		q = q.Where("object_id = ?", f.ObjectID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 500
	}
	var evs []Event
	return evs, postgres.Translate(q.Limit(f.Limit).Find(&evs).Error)
}
