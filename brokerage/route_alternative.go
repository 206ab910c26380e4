package brokerage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/plans"
)

// alternativeRoute is a need met by another service (housing, benefits,
// health, ...): sign-off records it to be confirmed by the practitioner's
// team (alternatives.go), and it is met only once confirmed in place.
type alternativeRoute struct{}

// alternativeServices are the kinds of alternative service, in the order
// error messages list them.
var alternativeServices = []string{"housing", "welfare_benefits", "health", "college", "transport", "community_group", "charity"}

func (alternativeRoute) HowMet() plans.HowMet { return plans.AlternativeService }
func (alternativeRoute) Label() string        { return "alternative service" }
func (alternativeRoute) Arranged() bool       { return false }

// Validate requires the kind of service, who arranges it and by when.
func (alternativeRoute) Validate(_ *plans.PlanContent, n *plans.NewNeed, at string, today day.Date) error {
	known := false
	for _, k := range alternativeServices {
		known = known || n.AlternativeService == k
	}
	switch {
	case !known:
		return errs.InvalidField(at+"alternative_service", "must be one of %s", strings.Join(alternativeServices, ", "))
	case n.AlternativeArrangedBy == "" || len(n.AlternativeArrangedBy) > 200:
		return errs.InvalidField(at+"alternative_arranged_by", "must say who arranges the service (the person, a family member, an advocate, the practitioner), in at most 200 characters")
	case n.AlternativeDueBy.IsZero():
		return errs.InvalidField(at+"alternative_due_by", "is required: the date by which the service should be in place, like 2026-12-01")
	case n.AlternativeDueBy.Before(today):
		return errs.InvalidField(at+"alternative_due_by", "must be today or later")
	}
	return nil
}

// start records the alternative service for the team to confirm.
func (alternativeRoute) start(ctx context.Context, s *Service, tx *Store, a accounts.Actor, p plans.Plan, n *plans.Need, now time.Time) (*Request, error) {
	if n.AlternativeDueBy.IsZero() {
		return nil, nil // signed off before who arranges it and by when were recorded
	}
	x := AlternativeArrangement{ID: n.ID, PlanID: p.ID, PersonID: p.PersonID, Team: p.Team, Service: n.AlternativeService,
		ArrangedBy: n.AlternativeArrangedBy, DueBy: n.AlternativeDueBy, CreatedAt: now}
	return nil, tx.insertAlternative(ctx, &x)
}

// describe: to be arranged by someone by a day (overdue, with any interim
// support raised meanwhile), confirmed in place, or ended.
func (alternativeRoute) describe(ctx context.Context, s *Service, v *NeedView, x arrangement) error {
	ref, id := x.Referral, x.Need.ID
	v.State = referralState(ref)
	v.AlternativeID = &id
	what := strings.ReplaceAll(x.Need.AlternativeService, "_", " ")
	switch ref.Status {
	case RouteAwaiting:
		v.Why = fmt.Sprintf("%s, to be arranged by %s by %s, not yet confirmed in place", what, x.Need.AlternativeArrangedBy, x.Need.AlternativeDueBy.UK())
		if x.Need.AlternativeDueBy.Before(s.today()) {
			v.Why += fmt.Sprintf("; overdue since %s: interim support can be arranged through brokerage", x.Need.AlternativeDueBy.AddDays(1).UK())
		}
		links, err := s.store.interimLinks(ctx, id)
		if err != nil {
			return err
		}
		for _, l := range links {
			v.Why += fmt.Sprintf("; interim support: brokerage request %s, %s", l.RequestReference, strings.ToLower(l.RequestStatus.Label()))
		}
	case RouteMet:
		v.Why = fmt.Sprintf("%s, confirmed in place on %s", what, ukDay(*ref.MetAt).UK())
	default:
		v.Why = what + ", ended: " + ref.EndReason
	}
	return nil
}

// ended: nothing else to stop.
func (alternativeRoute) ended(context.Context, *Service, *Store, accounts.Actor, uuid.UUID, string) error {
	return nil
}
