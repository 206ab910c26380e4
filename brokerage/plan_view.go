package brokerage

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/plans"
)

// PlanNeeds is the plan view: each need, its route, its state and why,
// and whether the plan has reached "all needs met".
type PlanNeeds struct {
	PlanID   uuid.UUID      `json:"plan_id"`
	PersonID uuid.UUID      `json:"person_id"`
	Kind     plans.PlanKind `json:"kind"`
	Interim  bool           `json:"interim"`
	Status   string         `json:"status"` // draft, awaiting_second_sign_off, signed_off or superseded
	// Who signed the plan off and when; on a plan that needed two sign-offs
	// (four eyes), the first practitioner's too.
	FirstSignedOffBy *uuid.UUID `json:"first_signed_off_by,omitempty"`
	FirstSignedOffAt *time.Time `json:"first_signed_off_at,omitempty"`
	SignedOffBy      *uuid.UUID `json:"signed_off_by,omitempty"`
	SignedOffAt      *time.Time `json:"signed_off_at,omitempty"`
	SupersedesPlanID *uuid.UUID `json:"supersedes_plan_id,omitempty"`
	SupersededBy     *uuid.UUID `json:"superseded_by,omitempty"`
	CaredForPersonID *uuid.UUID `json:"cared_for_person_id,omitempty"`
	SelfFunded       bool       `json:"self_funded"`
	OutOfArea        bool       `json:"out_of_area"`
	HostArea         string     `json:"host_area,omitempty"`
	// AllNeedsMet: signed off, not superseded, and every need met by some
	// route (an active agreement, a direct payment set up, an alternative
	// service confirmed in place, own resources recorded).
	AllNeedsMet bool       `json:"all_needs_met"`
	Met         int        `json:"met"`
	NotYetMet   int        `json:"not_yet_met"`
	Needs       []NeedView `json:"needs"`
}

// PlanNeeds returns the plan view of a plan the actor may see (NotFound
// otherwise) and records the read in the audit trail.
func (s *Service) PlanNeeds(ctx context.Context, a accounts.Actor, id uuid.UUID) (PlanNeeds, error) {
	p, err := plans.VisiblePlan(ctx, s.store.plans(), a, id, false)
	if err != nil {
		return PlanNeeds{}, err
	}
	v, err := s.planNeeds(ctx, p)
	if err != nil {
		return PlanNeeds{}, err
	}
	return v, audit.Record(ctx, s.store.Conn(), audit.Entry{Actor: a, Action: "plan.view", ObjectType: "plan", ObjectID: p.ID.String(),
		PersonID: p.PersonID, Summary: map[string]any{"view": "needs"}})
}

func (s *Service) planNeeds(ctx context.Context, p plans.Plan) (PlanNeeds, error) {
	v := PlanNeeds{PlanID: p.ID, PersonID: p.PersonID, Kind: p.Kind, Interim: p.Interim, Status: string(p.Status),
		SupersedesPlanID: p.SupersedesPlanID, CaredForPersonID: p.CaredForPersonID, SelfFunded: p.SelfFunded,
		OutOfArea: p.OutOfArea, HostArea: p.HostArea, Needs: make([]NeedView, len(p.Needs)),
		FirstSignedOffBy: p.FirstSignedOffBy, FirstSignedOffAt: p.FirstSignedOffAt, SignedOffBy: p.SignedOffBy, SignedOffAt: p.SignedOffAt}
	var err error
	if v.SupersededBy, err = s.store.plans().Successor(ctx, p.ID); err != nil {
		return v, err
	}
	if v.SupersededBy != nil {
		v.Status = "superseded"
	}
	for i, n := range p.Needs {
		if v.Needs[i], err = s.needView(ctx, s.store, p, n); err != nil {
			return v, err
		}
		if v.Needs[i].State == Met {
			v.Met++
		} else {
			v.NotYetMet++
		}
	}
	v.AllNeedsMet = v.Status == string(plans.PlanSignedOff) && v.NotYetMet == 0 && len(p.Needs) > 0
	return v, nil
}

// PersonNeeds is where a person stands: their current plans (signed off,
// not superseded) with each need's state, and whether all their eligible
// needs are met.
type PersonNeeds struct {
	PersonID uuid.UUID `json:"person_id"`
	// AllNeedsMet: the person has a current plan (not an interim one) and
	// every current plan has all its needs met.
	AllNeedsMet bool   `json:"all_needs_met"`
	Why         string `json:"why"`
	// Plans are the current plans, and interim plans whose support is
	// still running or being found.
	Plans []PlanNeeds `json:"plans"`
}

// PersonNeeds returns where a person the actor may see stands (NotFound
// otherwise), and records the read in the audit trail.
func (s *Service) PersonNeeds(ctx context.Context, a accounts.Actor, personID uuid.UUID) (PersonNeeds, error) {
	if _, err := s.plans.Person(ctx, a, personID); err != nil {
		return PersonNeeds{}, err
	}
	headers, err := s.store.plans().PlansOf(ctx, personID)
	if err != nil {
		return PersonNeeds{}, err
	}
	out := PersonNeeds{PersonID: personID, Plans: []PlanNeeds{}}
	full, unmet := 0, 0
	for _, h := range headers {
		if h.Status != plans.PlanSignedOff {
			continue
		}
		p, err := s.store.plans().Plan(ctx, h.ID, false)
		if err != nil {
			return PersonNeeds{}, err
		}
		v, err := s.planNeeds(ctx, p)
		if err != nil {
			return PersonNeeds{}, err
		}
		if v.SupersededBy != nil || (p.Interim && !interimRunning(v)) {
			continue
		}
		out.Plans = append(out.Plans, v)
		if !p.Interim {
			full++
			unmet += v.NotYetMet
		}
	}
	switch {
	case full == 0:
		out.Why = "no care and support plan has been signed off yet"
	case unmet > 0:
		out.Why = fmt.Sprintf("%d eligible need(s) not yet met", unmet)
	default:
		out.AllNeedsMet, out.Why = true, "every eligible need of every current plan is met"
	}
	return out, audit.Record(ctx, s.store.Conn(), audit.Entry{Actor: a, Action: "plan.list", ObjectType: "person",
		ObjectID: personID.String(), PersonID: personID, Summary: map[string]any{"view": "needs"}})
}

// interimRunning reports whether an interim plan's support is in place or
// still being found.
func interimRunning(v PlanNeeds) bool {
	for _, n := range v.Needs {
		if n.State == Met || (n.RequestStatus != "" && !n.RequestStatus.Final()) {
			return true
		}
	}
	return false
}
