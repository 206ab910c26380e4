package plans

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/money"
)

// Settings are what the council decides for its own brokerage.
type Settings struct {
	// SecondSignOffAboveWeeklyPence: a plan whose weekly personal budget is
	// above this needs a second practitioner's sign-off (four eyes) before
	// its requests open. 0: every plan with a budget does.
	SecondSignOffAboveWeeklyPence int64      `json:"second_sign_off_above_weekly_pence"`
	UpdatedBy                     *uuid.UUID `json:"updated_by,omitempty"`
	UpdatedAt                     time.Time  `json:"updated_at"`
}

// NewSettings are the settings an administrator sends.
type NewSettings struct {
	SecondSignOffAboveWeeklyPence *int64 `json:"second_sign_off_above_weekly_pence"`
}

// Validate names the field that is wrong.
func (n NewSettings) Validate() error {
	if n.SecondSignOffAboveWeeklyPence == nil {
		return errs.InvalidField("second_sign_off_above_weekly_pence", "is required: the weekly amount in pence above which a plan needs a second sign-off")
	}
	if *n.SecondSignOffAboveWeeklyPence < 0 {
		return errs.InvalidField("second_sign_off_above_weekly_pence", "must be 0 or more pence")
	}
	return nil
}

// needsSecondSignOff reports whether a plan needs two sign-offs under s.
func (s Settings) needsSecondSignOff(p Plan) bool {
	return p.BudgetWeeklyPence > s.SecondSignOffAboveWeeklyPence
}

// Settings returns the council's settings to an administrator or a
// practitioner (who may want to know when a plan needs a second sign-off);
// Forbidden for other roles.
func (s *Service) Settings(ctx context.Context, a accounts.Actor) (Settings, error) {
	if err := a.Require(accounts.Admin, accounts.Practitioner); err != nil {
		return Settings{}, err
	}
	return s.store.Settings(ctx, false)
}

// UpdateSettings changes the council's settings and records the change in
// the audit trail. It returns Forbidden for anyone but an administrator
// and Invalid naming the field.
func (s *Service) UpdateSettings(ctx context.Context, a accounts.Actor, n NewSettings) (Settings, error) {
	if err := a.Require(accounts.Admin); err != nil {
		return Settings{}, err
	}
	if err := n.Validate(); err != nil {
		return Settings{}, err
	}
	var out Settings
	err := s.store.inTx(ctx, func(tx *Store) error {
		before, err := tx.Settings(ctx, true)
		if err != nil {
			return err
		}
		out = before
		out.SecondSignOffAboveWeeklyPence, out.UpdatedBy, out.UpdatedAt = *n.SecondSignOffAboveWeeklyPence, userRef(a), s.clock()
		if err := tx.saveSettings(ctx, out); err != nil {
			return err
		}
		return audit.Record(ctx, tx.Conn(), audit.Entry{
			Actor: a, Action: "settings.update", ObjectType: "council_settings", ObjectID: "council",
			Summary: map[string]any{
				"before": map[string]any{"second_sign_off_above_weekly_pence": before.SecondSignOffAboveWeeklyPence},
				"after":  map[string]any{"second_sign_off_above_weekly_pence": out.SecondSignOffAboveWeeklyPence},
			},
		})
	})
	return out, err
}

// secondSignOffNeeded explains why a plan waits for a second sign-off.
func secondSignOffNeeded(p Plan, set Settings) string {
	return "its personal budget of " + money.Format(p.BudgetWeeklyPence) + " a week is above the council's " +
		money.Format(set.SecondSignOffAboveWeeklyPence) + ", so a second practitioner of the team must sign it off too"
}
