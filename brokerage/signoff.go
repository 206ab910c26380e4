package brokerage

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
)

// SignOffPlan signs off a plan of the practitioner's team, freezing it,
// and in the same transaction makes a request (status open) for each
// council_arranged or individual_service_fund need (for the person cared
// for, on a carer's support plan) and a referral for each other need, which
// starts its route (the direct payment team's queue, the alternative service
// to confirm; own resources are met). A need replacing one of an interim
// plan is linked to it (see arrange). The plan is checked again as of today
// and for the signing practitioner's team (Invalid naming the field: a start
// date now in the past, a specialist service from a team that may not
// request one, a direct payment a legal restriction forbids).
//
// Four eyes: a draft whose weekly personal budget is above the council's
// Settings.SecondSignOffAboveWeeklyPence is only signed off the first time:
// it becomes awaiting_second_sign_off, frozen, with no requests yet. A second,
// different practitioner of the team signs it off, and only then do its
// requests open. The first signer trying again gets Forbidden.
//
// It returns NotFound for a plan the actor may not see, Forbidden for other
// roles, and Conflict when the plan is already signed off.
func (s *Service) SignOffPlan(ctx context.Context, a accounts.Actor, id uuid.UUID) (Plan, []Request, error) {
	if err := a.Require(accounts.Practitioner); err != nil {
		return Plan{}, nil, err
	}
	var (
		p    Plan
		made []Request
	)
	err := s.store.inTx(ctx, func(tx *Store) error {
		var err error
		if p, err = s.visiblePlan(ctx, tx, a, id, true); err != nil {
			return err
		}
		before, first := p.Status, p.FirstSignedOffBy
		if p.Status == PlanSignedOff {
			return errs.Conflictf("the plan was already signed off on %s", p.SignedOffAt.Format("2 January 2006"))
		}
		content := p.content()
		if err := content.Validate(a.Team, s.today()); err != nil {
			return err
		}
		if err := s.checkLinks(ctx, tx, a, p.PersonID, &content, nil); err != nil {
			return err
		}
		set, err := tx.settings(ctx, false)
		if err != nil {
			return err
		}
		now := s.clock()
		done, err := p.SignOff(a.UserID, now, set.needsSecondSignOff(p))
		if err != nil {
			return err
		}
		if err := tx.markSignedOff(ctx, &p); err != nil {
			return err
		}
		if !done {
			return audit.Record(ctx, tx.Conn(), audit.Entry{
				Actor: a, Action: "plan.first_sign_off", ObjectType: "plan", ObjectID: p.ID.String(), PersonID: p.PersonID,
				Summary: map[string]any{"before": map[string]any{"status": before}, "after": p.summary(),
					"second_sign_off_above_weekly_pence": set.SecondSignOffAboveWeeklyPence, "why": secondSignOffNeeded(p, set)},
			})
		}
		summary := map[string]any{"before": map[string]any{"status": before}, "after": p.summary()}
		if first != nil {
			summary["first_signed_off_by"], summary["first_signed_off_at"] = first, p.FirstSignedOffAt
		}
		if err := audit.Record(ctx, tx.Conn(), audit.Entry{
			Actor: a, Action: "plan.sign_off", ObjectType: "plan", ObjectID: p.ID.String(), PersonID: p.PersonID, Summary: summary,
		}); err != nil {
			return err
		}
		made, err = s.arrange(ctx, tx, a, &p, now, nil)
		return err
	})
	if err != nil {
		return Plan{}, nil, err
	}
	return p, made, nil
}

// AwaitingPlan is a plan waiting for its second sign-off, with whose it is.
type AwaitingPlan struct {
	Plan
	PersonName string `json:"person_name"`
}

// PlansAwaitingSecondSignOff lists the practitioner's team's plans that wait
// for a second sign-off, the longest waiting first, without their needs.
// The read is audited. It returns Forbidden for other roles.
func (s *Service) PlansAwaitingSecondSignOff(ctx context.Context, a accounts.Actor) ([]AwaitingPlan, error) {
	if err := a.Require(accounts.Practitioner); err != nil {
		return nil, err
	}
	plans, err := s.store.awaitingSecondSignOff(ctx, a.Team)
	if err != nil {
		return nil, err
	}
	return plans, audit.Record(ctx, s.store.Conn(), audit.Entry{
		Actor: a, Action: "plan.list", ObjectType: "team", ObjectID: a.Team, Summary: map[string]any{"view": "awaiting_second_sign_off"},
	})
}

// newRequest is the request for an arranged need of p, for person (the
// plan's person, or on a carer's plan the person cared for).
func newRequest(p Plan, n Need, person Person, now time.Time) Request {
	funding := CouncilFunded
	if n.HowMet == ISF {
		funding = IndividualServiceFund
	}
	if p.SelfFunded {
		funding = SelfFunded
	}
	return Request{
		PlanID: p.ID, NeedID: n.ID, PersonID: person.ID, Team: p.Team, ServiceType: n.ServiceType, Specialist: n.Specialist,
		HoursPerWeek: n.HoursPerWeek, Places: n.Places, StartDate: n.StartDate, BudgetWeeklyPence: n.WeeklyBudgetPence,
		Funding: funding, Urgency: n.Urgency, Postcode: person.Postcode, Latitude: person.Latitude, Longitude: person.Longitude,
		Preferences: n.Preferences, OutOfArea: p.OutOfArea, HostArea: p.HostArea, Status: Open, CreatedAt: now, UpdatedAt: now,
	}
}

// openRequest writes a new request with its first transition and audit event.
func (s *Service) openRequest(ctx context.Context, tx *Store, a accounts.Actor, r *Request) error {
	if err := tx.insertRequest(ctx, r); err != nil {
		return err
	}
	fresh, err := tx.request(ctx, r.ID, false)
	if err != nil {
		return err
	}
	r.Reference = fresh.Reference
	t := &Transition{RequestID: r.ID, To: Open, At: r.CreatedAt, Reason: "plan signed off"}
	return s.record(ctx, tx, a, "", r, t, "request.open", map[string]any{
		"plan_id": r.PlanID, "need_id": r.NeedID, "service_type": r.ServiceType, "specialist": r.Specialist,
		"hours_per_week": r.HoursPerWeek, "places": r.Places, "budget_weekly_pence": r.BudgetWeeklyPence,
		"urgency": r.Urgency, "funding": r.Funding, "start_date": r.StartDate,
	})
}

// refer records a need that brokerage does not arrange, for the process
// that does (direct payments, own resources, alternative services).
func (s *Service) refer(ctx context.Context, tx *Store, a accounts.Actor, p Plan, n Need, now time.Time) error {
	if err := tx.insertReferral(ctx, needReferral{NeedID: n.ID, PlanID: p.ID, PersonID: p.PersonID, Route: n.HowMet, Status: "awaiting", CreatedAt: now}); err != nil {
		return err
	}
	if err := audit.Record(ctx, tx.Conn(), audit.Entry{
		Actor: a, Action: "need.refer", ObjectType: "plan_need", ObjectID: n.ID.String(), PersonID: p.PersonID,
		Summary: map[string]any{"route": n.HowMet, "alternative_service": n.AlternativeService, "plan_id": p.ID},
	}); err != nil {
		return err
	}
	return s.startRoute(ctx, tx, a, p, n, now)
}

// record writes a request's new state, its transition (if any) and the
// audit event, all in tx. onBehalfOf says whom the actor acted for.
func (s *Service) record(ctx context.Context, tx *Store, a accounts.Actor, onBehalfOf string, r *Request, t *Transition, action string, summary map[string]any) error {
	if t != nil {
		if t.From != "" { // a new request was inserted whole
			if err := tx.saveRequest(ctx, r); err != nil {
				return err
			}
		}
		t.ActorUserID, t.ActorRole, t.OnBehalfOf = userRef(a), string(a.Role), onBehalfOf
		if err := tx.insertTransition(ctx, t); err != nil {
			return err
		}
		if summary == nil {
			summary = map[string]any{}
		}
		summary["before"] = map[string]any{"status": t.From}
		summary["after"] = map[string]any{"status": t.To}
		if t.Reason != "" {
			summary["reason"] = t.Reason
		}
	} else if err := tx.saveRequest(ctx, r); err != nil {
		return err
	}
	return audit.Record(ctx, tx.Conn(), audit.Entry{
		Actor: a, OnBehalfOf: onBehalfOf, Action: action, ObjectType: "request", ObjectID: r.ID.String(),
		PersonID: r.PersonID, Summary: summary,
	})
}
