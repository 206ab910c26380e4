package plans

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

// Arrange starts, inside the sign-off's transaction tx, what meets each
// need of plan p just signed off at now (brokerage's requests, each
// route's start), setting each arranged need's RequestID. An error rolls
// the sign-off back.
type Arrange func(ctx context.Context, tx *postgres.Tx, p *Plan, now time.Time) error

// SignOffPlan signs off a plan of the practitioner's team, freezing it,
// and in the same transaction calls arrange to start what meets each need
// (brokerage.Service.SignOffPlan passes its own). The plan is checked again as of today
// and for the signing practitioner's team (Invalid naming the field: a start
// date now in the past, a specialist service from a team that may not
// request one, a direct payment a legal restriction forbids).
//
// Four eyes: a draft whose weekly personal budget is above the council's
// Settings.SecondSignOffAboveWeeklyPence is only signed off the first time:
// it becomes awaiting_second_sign_off, frozen, and arrange is not called.
// A second, different practitioner of the team signs it off, and only then
// is it. The first signer trying again gets Forbidden.
//
// It returns NotFound for a plan the actor may not see, Forbidden for other
// roles, and Conflict when the plan is already signed off.
func (s *Service) SignOffPlan(ctx context.Context, a accounts.Actor, id uuid.UUID, arrange Arrange) (Plan, error) {
	return s.changePlan(ctx, a, id, func(tx *Store, p *Plan) error {
		before, first := p.Status, p.FirstSignedOffBy
		if p.Status == PlanSignedOff {
			return errs.Conflictf("the plan was already signed off on %s", p.SignedOffAt.Format("2 January 2006"))
		}
		content := p.Content()
		if err := content.Validate(a.Team, s.today()); err != nil {
			return err
		}
		if err := CheckLinks(ctx, tx, a, p.PersonID, &content, nil); err != nil {
			return err
		}
		set, err := tx.Settings(ctx, false)
		if err != nil {
			return err
		}
		now := s.clock()
		done, err := p.SignOff(a.UserID, now, set.needsSecondSignOff(*p))
		if err != nil {
			return err
		}
		if err := tx.MarkSignedOff(ctx, p); err != nil {
			return err
		}
		if !done {
			return audit.Record(ctx, tx.Conn(), audit.Entry{
				Actor: a, Action: "plan.first_sign_off", ObjectType: "plan", ObjectID: p.ID.String(), PersonID: p.PersonID,
				Summary: map[string]any{"before": map[string]any{"status": before}, "after": p.Summary(),
					"second_sign_off_above_weekly_pence": set.SecondSignOffAboveWeeklyPence, "why": secondSignOffNeeded(*p, set)},
			})
		}
		summary := map[string]any{"before": map[string]any{"status": before}, "after": p.Summary()}
		if first != nil {
			summary["first_signed_off_by"], summary["first_signed_off_at"] = first, p.FirstSignedOffAt
		}
		if err := audit.Record(ctx, tx.Conn(), audit.Entry{
			Actor: a, Action: "plan.sign_off", ObjectType: "plan", ObjectID: p.ID.String(), PersonID: p.PersonID, Summary: summary,
		}); err != nil {
			return err
		}
		return arrange(ctx, tx.tx, p, now)
	})
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
