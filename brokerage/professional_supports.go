package brokerage

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/plans"
)

// supportReviewWindowDays is how early a review of professional support
// may be held before it is due.
const supportReviewWindowDays = 14

// RecordProfessionalSupport records professional support a practitioner
// gives a person of their team, and in the same transaction schedules its
// first review (a task for the team, due on ReviewBy) and writes the audit
// event. It returns Forbidden for other roles, NotFound for a person the
// actor may not see, and Invalid naming the field.
func (s *Service) RecordProfessionalSupport(ctx context.Context, a accounts.Actor, personID uuid.UUID, n NewProfessionalSupport) (ProfessionalSupport, error) {
	if err := a.Require(accounts.Practitioner); err != nil {
		return ProfessionalSupport{}, err
	}
	if err := n.Validate(s.today()); err != nil {
		return ProfessionalSupport{}, err
	}
	var p ProfessionalSupport
	err := s.store.inTx(ctx, func(tx *Store) error {
		person, err := tx.plans().Person(ctx, personID)
		if err != nil || !plans.CanSeePerson(a, person) {
			return plans.ErrNoPerson
		}
		p = ProfessionalSupport{PersonID: person.ID, Team: person.Team, Kind: n.Kind, Description: n.Description, AgreedWith: n.AgreedWith,
			ProvidedBy: a.UserID, StartsOn: n.StartsOn, Status: "active", CreatedAt: s.clock(), Records: []SupportRecord{}}
		if err := tx.insertSupport(ctx, &p); err != nil {
			return err
		}
		if _, err := s.agreements.ScheduleReview(ctx, tx.Tx(), a, agreements.NewReview{Subject: agreements.SubjectProfessionalSupport,
			SubjectID: p.ID, PersonID: person.ID, PersonName: person.Name, Team: person.Team, Kind: agreements.SupportReview,
			DueFrom: n.ReviewBy.AddDays(-supportReviewWindowDays), DueBy: n.ReviewBy,
			Reason: "Review the " + n.Kind.Label() + " you give: is it still needed, or better given by someone in the person's own network or with specialist skills?"}); err != nil {
			return err
		}
		return audit.Record(ctx, tx.Conn(), audit.Entry{Actor: a, Action: "support.record", ObjectType: "professional_support",
			ObjectID: p.ID.String(), PersonID: p.PersonID, Summary: map[string]any{"kind": p.Kind, "starts_on": p.StartsOn,
				"review_by": n.ReviewBy, "agreed_with": p.AgreedWith}})
	})
	return p, err
}

// ProfessionalSupportOf lists the professional support recorded against a
// person the actor may see (NotFound otherwise), newest first, with its
// records. The read is audited.
func (s *Service) ProfessionalSupportOf(ctx context.Context, a accounts.Actor, personID uuid.UUID) ([]ProfessionalSupport, error) {
	if _, err := s.plans.Person(ctx, a, personID); err != nil {
		return nil, err
	}
	ps, err := s.store.supportsOf(ctx, personID)
	if err != nil {
		return nil, err
	}
	return ps, audit.Record(ctx, s.store.Conn(), audit.Entry{Actor: a, Action: "support.list", ObjectType: "person",
		ObjectID: personID.String(), PersonID: personID})
}

// AddSupportRecord records support given, on a day from the start to
// today, by a practitioner of the person's team. It returns Forbidden for
// other roles, NotFound for support of another team, Invalid naming the
// field, and Conflict once the support has ended.
func (s *Service) AddSupportRecord(ctx context.Context, a accounts.Actor, id uuid.UUID, n NewSupportRecord) (SupportRecord, error) {
	if err := a.Require(accounts.Practitioner); err != nil {
		return SupportRecord{}, err
	}
	n.Note = strings.TrimSpace(n.Note)
	if n.Note == "" || len(n.Note) > 2000 {
		return SupportRecord{}, errs.InvalidField("note", "must say what support was given, in at most 2000 characters")
	}
	var r SupportRecord
	err := s.store.inTx(ctx, func(tx *Store) error {
		p, err := tx.support(ctx, id, true)
		if err != nil || !canWorkTeam(a, p.Team) {
			return errNoSupport
		}
		switch {
		case p.Status != "active":
			return errs.Conflictf("this professional support ended on %s", p.EndedAt.Format("2 January 2006"))
		case n.On.IsZero() || n.On.Before(p.StartsOn) || n.On.After(s.today()):
			return errs.InvalidField("on", "must be a day from the start of the support (%s) to today", p.StartsOn.UK())
		}
		r = SupportRecord{SupportID: p.ID, OnDate: n.On, Note: n.Note, RecordedBy: userRef(a), RecordedAt: s.clock()}
		if err := tx.insertSupportRecord(ctx, &r); err != nil {
			return err
		}
		return audit.Record(ctx, tx.Conn(), audit.Entry{Actor: a, Action: "support.note", ObjectType: "professional_support",
			ObjectID: p.ID.String(), PersonID: p.PersonID, Summary: map[string]any{"record_id": r.ID, "on": r.OnDate}})
	})
	return r, err
}

// EndProfessionalSupport ends professional support, with a reason, and in
// the same transaction cancels its open reviews and writes the audit event.
// It returns Forbidden for other roles, NotFound for support of another
// team, Invalid "reason", and Conflict if it already ended.
func (s *Service) EndProfessionalSupport(ctx context.Context, a accounts.Actor, id uuid.UUID, reason string) (ProfessionalSupport, error) {
	if err := a.Require(accounts.Practitioner); err != nil {
		return ProfessionalSupport{}, err
	}
	reason, err := requireReason(reason)
	if err != nil {
		return ProfessionalSupport{}, err
	}
	var p ProfessionalSupport
	err = s.store.inTx(ctx, func(tx *Store) error {
		if p, err = tx.support(ctx, id, true); err != nil || !canWorkTeam(a, p.Team) {
			return errNoSupport
		}
		if err := p.end(s.clock(), reason); err != nil {
			return err
		}
		if err := tx.saveSupportEnd(ctx, &p); err != nil {
			return err
		}
		if _, err := s.agreements.CancelReviews(ctx, tx.Tx(), a, agreements.SubjectProfessionalSupport, p.ID, "the professional support ended: "+reason); err != nil {
			return err
		}
		return audit.Record(ctx, tx.Conn(), audit.Entry{Actor: a, Action: "support.end", ObjectType: "professional_support",
			ObjectID: p.ID.String(), PersonID: p.PersonID, Summary: map[string]any{"before": map[string]any{"status": "active"},
				"after": map[string]any{"status": p.Status}, "reason": reason}})
	})
	return p, err
}
