package brokerage

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/plans"
)

// SignOffPlan signs off a plan (plans.Service.SignOffPlan: the checks,
// four eyes, the freeze) and, in the same transaction, starts what meets
// each need (arrange): a request (status open) for each council_arranged
// or individual_service_fund need, for the person cared for on a carer's
// support plan, and each other route's own start. It returns the requests
// opened, none while the plan awaits its second sign-off, and the errors of
// plans.Service.SignOffPlan and of arranging.
func (s *Service) SignOffPlan(ctx context.Context, a accounts.Actor, id uuid.UUID) (plans.Plan, []Request, error) {
	var made []Request
	p, err := s.plans.SignOffPlan(ctx, a, id, func(ctx context.Context, tx *postgres.Tx, p *plans.Plan, now time.Time) error {
		var err error
		made, err = s.arrange(ctx, s.store.bind(tx), a, p, now, nil)
		return err
	})
	if err != nil {
		return plans.Plan{}, nil, err
	}
	return p, made, nil
}

// newRequest is the request for an arranged need of p, for person (the
// plan's person, or on a carer's plan the person cared for).
func newRequest(p plans.Plan, n plans.Need, person plans.Person, funding Funding, now time.Time) Request {
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

// refer records a need that brokerage does not arrange as awaiting its
// route (need_referrals), before the route starts.
func (s *Service) refer(ctx context.Context, tx *Store, a accounts.Actor, p plans.Plan, n plans.Need, now time.Time) error {
	if err := tx.insertReferral(ctx, needReferral{NeedID: n.ID, PlanID: p.ID, PersonID: p.PersonID, Route: n.HowMet, Status: "awaiting", CreatedAt: now}); err != nil {
		return err
	}
	return audit.Record(ctx, tx.Conn(), audit.Entry{
		Actor: a, Action: "need.refer", ObjectType: "plan_need", ObjectID: n.ID.String(), PersonID: p.PersonID,
		Summary: map[string]any{"route": n.HowMet, "alternative_service": n.AlternativeService, "plan_id": p.ID},
	})
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
