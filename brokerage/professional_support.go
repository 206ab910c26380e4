package brokerage

import (
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

// SupportKind is the kind of professional support a practitioner gives
// personally, outside arranging, monitoring and reviewing services (seed 000).
type SupportKind string

// The kinds of professional support.
const (
	LongTermPlanning SupportKind = "long_term_planning"
	WellbeingVisits  SupportKind = "wellbeing_visits"
	Advocacy         SupportKind = "advocacy"
	Counselling      SupportKind = "counselling"
)

func (k SupportKind) valid() bool {
	return k == LongTermPlanning || k == WellbeingVisits || k == Advocacy || k == Counselling
}

// Label is the kind as people read it.
func (k SupportKind) Label() string { return strings.ReplaceAll(string(k), "_", " ") }

// maxSupportReviewMonths: professional support is reviewed at least yearly,
// like any part of a plan.
const maxSupportReviewMonths = 12

// NewProfessionalSupport is professional support a practitioner records
// for a person, having agreed it with their line manager.
type NewProfessionalSupport struct {
	Kind        SupportKind `json:"kind"`
	Description string      `json:"description"`
	AgreedWith  string      `json:"agreed_with"` // the line manager who agreed it
	StartsOn    day.Date    `json:"starts_on"`
	ReviewBy    day.Date    `json:"review_by"` // when it is first reviewed
}

// Validate tidies and checks the support as recorded on day today, naming
// the field that is wrong (Invalid).
func (n *NewProfessionalSupport) Validate(today day.Date) error {
	n.Description, n.AgreedWith = strings.TrimSpace(n.Description), strings.TrimSpace(n.AgreedWith)
	switch {
	case !n.Kind.valid():
		return errs.InvalidField("kind", "must be long_term_planning, wellbeing_visits, advocacy or counselling")
	case n.Description == "" || len(n.Description) > 2000:
		return errs.InvalidField("description", "must say what support you give and why, in at most 2000 characters")
	case n.AgreedWith == "" || len(n.AgreedWith) > 200:
		return errs.InvalidField("agreed_with", "must name the line manager who agreed the support, in at most 200 characters")
	case n.StartsOn.IsZero():
		return errs.InvalidField("starts_on", "is required, like 2026-12-01")
	case n.StartsOn.Before(today.AddMonths(-12)):
		return errs.InvalidField("starts_on", "must be within the last year or later")
	case n.ReviewBy.IsZero() || !n.ReviewBy.After(n.StartsOn) || n.ReviewBy.Before(today):
		return errs.InvalidField("review_by", "must be a day after the start and not in the past")
	case n.ReviewBy.After(n.StartsOn.AddMonths(maxSupportReviewMonths)):
		return errs.InvalidField("review_by", "must be within %d months of the start: professional support is reviewed at least yearly", maxSupportReviewMonths)
	}
	return nil
}

// ProfessionalSupport is professional support recorded against a person,
// visible on their record, with the records of support given.
type ProfessionalSupport struct {
	ID          uuid.UUID       `json:"id"`
	PersonID    uuid.UUID       `json:"person_id"`
	Team        string          `json:"team"`
	Kind        SupportKind     `json:"kind"`
	Description string          `json:"description"`
	AgreedWith  string          `json:"agreed_with"`
	ProvidedBy  uuid.UUID       `json:"provided_by"`
	StartsOn    day.Date        `json:"starts_on"`
	Status      string          `json:"status"` // active or ended
	EndedAt     *time.Time      `json:"ended_at,omitempty"`
	EndReason   string          `json:"end_reason,omitempty"`
	CreatedAt   time.Time       `json:"created_at"`
	Records     []SupportRecord `json:"records"`
}

// end stops the support. Ending it twice is Conflict.
func (p *ProfessionalSupport) end(now time.Time, reason string) error {
	if p.Status != "active" {
		return errs.Conflictf("this professional support already ended on %s", p.EndedAt.Format("2 January 2006"))
	}
	p.Status, p.EndedAt, p.EndReason = "ended", &now, reason
	return nil
}

// NewSupportRecord is a proportionate record of support given.
type NewSupportRecord struct {
	On   day.Date `json:"on"`
	Note string   `json:"note"`
}

// SupportRecord is one record of professional support given.
type SupportRecord struct {
	ID         uuid.UUID  `json:"id"`
	SupportID  uuid.UUID  `json:"support_id"`
	OnDate     day.Date   `json:"on"`
	Note       string     `json:"note"`
	RecordedBy *uuid.UUID `json:"recorded_by,omitempty"`
	RecordedAt time.Time  `json:"recorded_at"`
}
