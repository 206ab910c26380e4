package providers

import (
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

// FrameworkKind says what a framework is: a framework agreement, a dynamic
// purchasing system, or a block contract. The codes are the matching
// engine's membership kinds.
type FrameworkKind string

// The framework kinds.
const (
	KindFramework FrameworkKind = "framework"
	KindDPS       FrameworkKind = "dps"
	KindContract  FrameworkKind = "contract"
)

// Framework is an arrangement the council buys care under, split into lots
// by service type.
type Framework struct {
	ID       uuid.UUID     `json:"id"`
	Name     string        `json:"name"`
	Kind     FrameworkKind `json:"kind"`
	StartsOn day.Date      `json:"starts_on"`
	EndsOn   day.Date      `json:"ends_on"`
	Lots     []Lot         `json:"lots"`
}

// Lot is a part of a framework covering some service types.
type Lot struct {
	ID           uuid.UUID     `json:"id"`
	Name         string        `json:"name"`
	ServiceTypes []ServiceType `json:"service_types"`
}

// NewFramework is what an administrator gives to add a framework.
type NewFramework struct {
	Name     string        `json:"name"`
	Kind     FrameworkKind `json:"kind"`
	StartsOn day.Date      `json:"starts_on"`
	EndsOn   day.Date      `json:"ends_on"`
	Lots     []NewLot      `json:"lots"`
}

// NewLot is one lot of a new framework.
type NewLot struct {
	Name         string        `json:"name"`
	ServiceTypes []ServiceType `json:"service_types"`
}

// Validate returns Invalid naming the first wrong field.
func (f *NewFramework) Validate() error {
	f.Name = strings.TrimSpace(f.Name)
	if f.Name == "" || len(f.Name) > 300 {
		return errs.InvalidField("name", "must be between 1 and 300 characters")
	}
	if f.Kind != KindFramework && f.Kind != KindDPS && f.Kind != KindContract {
		return errs.InvalidField("kind", "must be one of framework, dps, contract")
	}
	if err := checkSpan("starts_on", "ends_on", f.StartsOn, f.EndsOn); err != nil {
		return err
	}
	if len(f.Lots) == 0 {
		return errs.InvalidField("lots", "must have at least one lot")
	}
	names := map[string]bool{}
	for i, l := range f.Lots {
		field := indexed("lots", i)
		l.Name = strings.TrimSpace(l.Name)
		f.Lots[i].Name = l.Name
		if l.Name == "" || len(l.Name) > 300 {
			return errs.InvalidField(field+".name", "must be between 1 and 300 characters")
		}
		if names[strings.ToLower(l.Name)] {
			return errs.InvalidField(field+".name", "%q names two lots", l.Name)
		}
		names[strings.ToLower(l.Name)] = true
		if len(l.ServiceTypes) == 0 {
			return errs.InvalidField(field+".service_types", "must name at least one service type")
		}
		for j, t := range l.ServiceTypes {
			if !t.Valid() {
				return errs.InvalidField(indexed(field+".service_types", j), "%q is not a service type; use one of %s", string(t), ServiceTypeCodes())
			}
		}
	}
	return nil
}

// Membership is an organisation's place on a framework lot for a span of
// days. ServiceTypes are the lot's.
type Membership struct {
	ID             uuid.UUID     `json:"id"`
	OrganisationID uuid.UUID     `json:"organisation_id"`
	FrameworkID    uuid.UUID     `json:"framework_id"`
	FrameworkName  string        `json:"framework_name"`
	Kind           FrameworkKind `json:"kind"`
	LotID          uuid.UUID     `json:"lot_id"`
	LotName        string        `json:"lot_name"`
	ServiceTypes   []ServiceType `json:"service_types"`
	// StartsOn and EndsOn are the membership's own days; it is in force only
	// where they overlap the framework's.
	StartsOn          day.Date `json:"starts_on"`
	EndsOn            day.Date `json:"ends_on"`
	FrameworkStartsOn day.Date `json:"framework_starts_on"`
	FrameworkEndsOn   day.Date `json:"framework_ends_on"`
	EndReason         string   `json:"end_reason,omitempty"`
}

// InForce reports whether the membership and its framework both cover d.
func (m Membership) InForce(d day.Date) bool {
	return covers(m.StartsOn, m.EndsOn, d) && covers(m.FrameworkStartsOn, m.FrameworkEndsOn, d)
}

// Covers reports whether the membership's lot includes service type t.
func (m Membership) Covers(t ServiceType) bool {
	for _, x := range m.ServiceTypes {
		if x == t {
			return true
		}
	}
	return false
}

// NewMembership puts an organisation on a lot.
type NewMembership struct {
	LotID    uuid.UUID `json:"lot_id"`
	StartsOn day.Date  `json:"starts_on"`
	EndsOn   day.Date  `json:"ends_on"`
}

// Validate returns Invalid naming the first wrong field.
func (m NewMembership) Validate() error {
	if m.LotID == uuid.Nil {
		return errs.InvalidField("lot_id", "is required")
	}
	return checkSpan("starts_on", "ends_on", m.StartsOn, m.EndsOn)
}

// SpanEnd ends a membership or a suspension on a day (its last day), with
// a reason.
type SpanEnd struct {
	EndsOn day.Date `json:"ends_on"`
	Reason string   `json:"reason"`
}

// Validate returns Invalid naming the first wrong field.
func (e *SpanEnd) Validate() error {
	e.Reason = strings.TrimSpace(e.Reason)
	if e.EndsOn.IsZero() {
		return errs.InvalidField("ends_on", "is required, like 2026-12-31")
	}
	if e.Reason == "" || len(e.Reason) > 2000 {
		return errs.InvalidField("reason", "must be between 1 and 2000 characters")
	}
	return nil
}

// Suspension is a span of days in which the council will not place with an
// organisation (or one of its services, when ServiceID is set).
type Suspension struct {
	ID             uuid.UUID `json:"id"`
	OrganisationID uuid.UUID `json:"organisation_id"`
	ServiceID      uuid.UUID `json:"service_id,omitzero"`
	Kind           string    `json:"kind"` // "suspension" or "embargo"
	Reason         string    `json:"reason"`
	StartsOn       day.Date  `json:"starts_on"`
	EndsOn         day.Date  `json:"ends_on"`
	CreatedAt      time.Time `json:"created_at"`
}

// NewSuspension is what a broker or administrator records.
type NewSuspension struct {
	ServiceID uuid.UUID `json:"service_id,omitzero"`
	Kind      string    `json:"kind"`
	Reason    string    `json:"reason"`
	StartsOn  day.Date  `json:"starts_on"`
	EndsOn    day.Date  `json:"ends_on"`
}

// Validate returns Invalid naming the first wrong field.
func (n *NewSuspension) Validate() error {
	n.Reason = strings.TrimSpace(n.Reason)
	if n.Kind != "suspension" && n.Kind != "embargo" {
		return errs.InvalidField("kind", "must be suspension or embargo")
	}
	if n.Reason == "" || len(n.Reason) > 2000 {
		return errs.InvalidField("reason", "must be between 1 and 2000 characters")
	}
	return checkSpan("starts_on", "ends_on", n.StartsOn, n.EndsOn)
}

// DocumentKinds are the kinds of compliance evidence a provider uploads.
var DocumentKinds = []string{"insurance", "cqc_certificate", "safeguarding_policy", "business_continuity_plan", "other"}

// Document is the metadata of a piece of compliance evidence. Only accepted
// insurance evidence counts towards compliance.
type Document struct {
	ID             uuid.UUID  `json:"id"`
	OrganisationID uuid.UUID  `json:"organisation_id"`
	Kind           string     `json:"kind"`
	Name           string     `json:"name"`
	ValidFrom      day.Date   `json:"valid_from"`
	ExpiresOn      day.Date   `json:"expires_on"`
	Status         string     `json:"status"` // submitted, accepted, rejected
	ReviewNote     string     `json:"review_note,omitempty"`
	UploadedAt     time.Time  `json:"uploaded_at"`
	ReviewedAt     *time.Time `json:"reviewed_at,omitempty"`
}

// NewDocument is what a provider uploads about a piece of evidence.
type NewDocument struct {
	Kind      string   `json:"kind"`
	Name      string   `json:"name"`
	ValidFrom day.Date `json:"valid_from"`
	ExpiresOn day.Date `json:"expires_on"`
}

// Validate returns Invalid naming the first wrong field.
func (n *NewDocument) Validate() error {
	n.Name = strings.TrimSpace(n.Name)
	ok := false
	for _, k := range DocumentKinds {
		ok = ok || n.Kind == k
	}
	if !ok {
		return errs.InvalidField("kind", "must be one of %s", strings.Join(DocumentKinds, ", "))
	}
	if n.Name == "" || len(n.Name) > 300 {
		return errs.InvalidField("name", "must be between 1 and 300 characters")
	}
	if n.ValidFrom.IsZero() {
		return errs.InvalidField("valid_from", "is required, like 2026-04-01")
	}
	if n.Kind == "insurance" && n.ExpiresOn.IsZero() {
		return errs.InvalidField("expires_on", "is required for insurance")
	}
	if !n.ExpiresOn.IsZero() && n.ExpiresOn.Before(n.ValidFrom) {
		return errs.InvalidField("expires_on", "must not be before valid_from (%s)", n.ValidFrom)
	}
	return nil
}

// DocumentReview is a broker's or administrator's decision on evidence.
type DocumentReview struct {
	Decision string `json:"decision"` // accepted or rejected
	Note     string `json:"note"`
}

// Validate returns Invalid naming the first wrong field.
func (r *DocumentReview) Validate() error {
	r.Note = strings.TrimSpace(r.Note)
	if r.Decision != "accepted" && r.Decision != "rejected" {
		return errs.InvalidField("decision", "must be accepted or rejected")
	}
	if r.Decision == "rejected" && r.Note == "" {
		return errs.InvalidField("note", "is required to say why the evidence was rejected")
	}
	if len(r.Note) > 2000 {
		return errs.InvalidField("note", "must be at most 2000 characters")
	}
	return nil
}

// ContractChange sets an organisation's contract status.
type ContractChange struct {
	Status ContractStatus `json:"status"`
	Reason string         `json:"reason"`
}

// Validate returns Invalid naming the first wrong field.
func (c *ContractChange) Validate() error {
	c.Reason = strings.TrimSpace(c.Reason)
	if !c.Status.Valid() {
		return errs.InvalidField("status", "must be one of none, pending, active, suspended, terminated, expired")
	}
	if c.Reason == "" || len(c.Reason) > 2000 {
		return errs.InvalidField("reason", "must be between 1 and 2000 characters")
	}
	return nil
}

func checkSpan(fromField, toField string, from, to day.Date) error {
	if from.IsZero() {
		return errs.InvalidField(fromField, "is required, like 2026-12-01")
	}
	if !to.IsZero() && to.Before(from) {
		return errs.InvalidField(toField, "must not be before %s (%s)", fromField, from)
	}
	return nil
}
