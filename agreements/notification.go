package agreements

import (
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
)

// AudienceKind says who a notification is for.
type AudienceKind string

// The audience kinds.
const (
	AudienceFinance     AudienceKind = "finance"      // the financial assessment team
	AudienceProviderOrg AudienceKind = "provider_org" // every user of one provider organisation
	AudiencePerson      AudienceKind = "person"       // the person (client users bound to them)
	AudienceRole        AudienceKind = "role"         // everyone with one role, e.g. all brokers
	AudienceTeam        AudienceKind = "team"         // the practitioners of one council team
	AudienceUser        AudienceKind = "user"         // one user
)

// Audience is who a notification is for: a kind and, except for the
// finance team, which one.
type Audience struct {
	Kind AudienceKind `json:"kind"`
	ID   string       `json:"id,omitempty"`
}

// ToFinance is the financial assessment team.
func ToFinance() Audience { return Audience{Kind: AudienceFinance} }

// ToProviderOrg is every user of the provider organisation.
func ToProviderOrg(id uuid.UUID) Audience { return Audience{AudienceProviderOrg, id.String()} }

// ToPerson is the person care is arranged for (and their representative).
func ToPerson(id uuid.UUID) Audience { return Audience{AudiencePerson, id.String()} }

// ToRole is everyone with the role.
func ToRole(r accounts.Role) Audience { return Audience{AudienceRole, string(r)} }

// ToTeam is the practitioners of a council team.
func ToTeam(team string) Audience { return Audience{AudienceTeam, team} }

// ToUser is one user.
func ToUser(id uuid.UUID) Audience { return Audience{AudienceUser, id.String()} }

func (a Audience) validate() error {
	bad := func() error { return errs.InvalidField("audience", "%s %q is not a valid audience", a.Kind, a.ID) }
	switch a.Kind {
	case AudienceFinance:
		if a.ID != "" {
			return bad()
		}
	case AudienceProviderOrg, AudiencePerson, AudienceUser:
		if id, err := uuid.Parse(a.ID); err != nil || id == uuid.Nil || id.String() != a.ID {
			return bad()
		}
	case AudienceRole:
		if !accounts.Role(a.ID).Valid() {
			return bad()
		}
	case AudienceTeam:
		if !accounts.ValidTeam(a.ID) {
			return bad()
		}
	default:
		return bad()
	}
	return nil
}

// Includes reports whether the actor is (one of) the audience.
func (a Audience) Includes(actor accounts.Actor) bool {
	for _, x := range AudiencesOf(actor) {
		if x == a {
			return true
		}
	}
	return false
}

// AudiencesOf lists every audience the actor belongs to: their own user,
// their role, and their team, organisation or person; finance users are
// also the finance team.
func AudiencesOf(actor accounts.Actor) []Audience {
	if actor.UserID == uuid.Nil || !actor.Role.Valid() {
		return nil
	}
	as := []Audience{ToUser(actor.UserID), ToRole(actor.Role)}
	switch actor.Role {
	case accounts.Finance:
		as = append(as, ToFinance())
	case accounts.ProviderUser:
		if actor.ProviderOrgID != uuid.Nil {
			as = append(as, ToProviderOrg(actor.ProviderOrgID))
		}
	case accounts.Client:
		if actor.PersonID != uuid.Nil {
			as = append(as, ToPerson(actor.PersonID))
		}
	case accounts.Practitioner:
		if actor.Team != "" {
			as = append(as, ToTeam(actor.Team))
		}
	}
	return as
}

// Notification is a message that must reach its audience. Callers fill the
// first group of fields and pass it to Notify; the rest is delivery state.
type Notification struct {
	ID             uuid.UUID `json:"id"`
	Audience       Audience  `json:"audience"`
	Kind           string    `json:"kind"` // what happened, e.g. "agreement.created", "invitation.sent"
	Subject        string    `json:"subject"`
	Body           string    `json:"body"`
	ObjectType     string    `json:"object_type,omitempty"` // the object it is about, e.g. "agreement"
	ObjectID       string    `json:"object_id,omitempty"`
	Link           string    `json:"link,omitempty"` // where to look, e.g. "/api/v1/agreements/<id>"
	IdempotencyKey string    `json:"idempotency_key"`
	// AgreementID names the agreement the notification is about, if any.
	AgreementID *uuid.UUID `json:"agreement_id,omitempty"`
	// Data is sent to the webhook as the "data" member; any JSON value.
	Data any `json:"data,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	Delivery  Delivery  `json:"delivery"`
	// Read reports whether the actor who listed the inbox has read it.
	Read           bool       `json:"read"`
	AcknowledgedAt *time.Time `json:"acknowledged_at,omitempty"`
	AcknowledgedBy *uuid.UUID `json:"acknowledged_by,omitempty"`
}

// DeliveryStatus is where a notification is in delivery.
type DeliveryStatus string

// The delivery statuses.
const (
	Pending   DeliveryStatus = "pending"   // waiting for the worker, or for a retry
	Delivered DeliveryStatus = "delivered" // in the inbox and, if due one, at the webhook
	Dead      DeliveryStatus = "dead"      // gave up after the last attempt; an admin can retry
)

// Delivery is a notification's delivery state.
type Delivery struct {
	Status        DeliveryStatus `json:"status"`
	Attempts      int            `json:"attempts"`
	NextAttemptAt *time.Time     `json:"next_attempt_at,omitempty"`
	LastAttemptAt *time.Time     `json:"last_attempt_at,omitempty"`
	LastError     string         `json:"last_error,omitempty"`
	InboxAt       *time.Time     `json:"inbox_at,omitempty"`
	WebhookAt     *time.Time     `json:"webhook_at,omitempty"`
	DeliveredAt   *time.Time     `json:"delivered_at,omitempty"`
	DeadAt        *time.Time     `json:"dead_at,omitempty"`
}

var kindShape = regexp.MustCompile(`^[a-z][a-z0-9_.]{0,99}$`)

func (n *Notification) validate() error {
	if err := n.Audience.validate(); err != nil {
		return err
	}
	if !kindShape.MatchString(n.Kind) {
		return errs.InvalidField("kind", "must be lower-case words joined by dots, like agreement.created")
	}
	if err := text("subject", &n.Subject, true, 300); err != nil {
		return err
	}
	if err := text("body", &n.Body, false, 10000); err != nil {
		return err
	}
	n.IdempotencyKey = strings.TrimSpace(n.IdempotencyKey)
	if n.IdempotencyKey == "" || len(n.IdempotencyKey) > 200 {
		return errs.InvalidField("idempotency_key", "is required (at most 200 characters): it is how receivers drop duplicates")
	}
	for _, x := range []struct {
		name  string
		value *string
	}{{"object_type", &n.ObjectType}, {"object_id", &n.ObjectID}, {"link", &n.Link}} {
		if err := text(x.name, x.value, false, 500); err != nil {
			return err
		}
	}
	return nil
}
