package packages

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

// Decision is the council's answer to a change a provider asked for.
type Decision struct {
	Approve bool   `json:"approve"`
	Reason  string `json:"reason"`
}

// Decide approves (the change is applied as the council's would be) or
// refuses (with a reason) a change a provider asked for. Brokers and the
// team's practitioners decide. It returns Forbidden for other roles, NotFound
// for a change the actor cannot see, Invalid naming "reason" for a refusal
// without one, and Conflict when the change was already decided or can no
// longer be applied.
func (s *Store) Decide(ctx context.Context, a accounts.Actor, changeID uuid.UUID, d Decision) (Package, error) {
	if err := a.Require(accounts.Broker, accounts.Practitioner); err != nil {
		return Package{}, err
	}
	d.Reason = strings.TrimSpace(d.Reason)
	if !d.Approve && d.Reason == "" || len(d.Reason) > 2000 {
		return Package{}, errs.InvalidField("reason", "is required to refuse (at most 2000 characters): the provider sees it")
	}
	var r changeRow
	err := s.db.Gorm(ctx).Where("id = ?", changeID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Package{}, errs.NotFoundf("there is no package change %s that you can see", changeID)
	} else if err != nil {
		return Package{}, postgres.Translate(err)
	}
	ag, err := s.agreements.Agreement(ctx, a, r.AgreementID)
	if err != nil {
		return Package{}, errs.NotFoundf("there is no package change %s that you can see", changeID)
	}
	var out Package
	err = s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		p, err := lockPackage(ctx, tx, ag.ID, 0)
		if err != nil {
			return err
		}
		c, err := lockChange(ctx, tx, changeID)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		to := Refused
		if d.Approve {
			to = Applied
		}
		if err := c.decide(to, userRef(a), now, d.Reason); err != nil {
			return err
		}
		if err := saveDecision(ctx, tx, c); err != nil {
			return err
		}
		if d.Approve {
			if err := s.applyChange(ctx, tx, a, ag, c); err != nil {
				return err
			}
			if c.Kind == End {
				ag.Status = agreements.Ended
			}
		}
		if err := bump(ctx, tx, &p, now); err != nil {
			return err
		}
		if err := agreements.Notify(ctx, tx, decidedNotice(ag, c)); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "package.change_" + string(c.Status), ObjectType: "agreement",
			ObjectID: ag.ID.String(), PersonID: ag.PersonID, Summary: map[string]any{"change_id": c.ID, "kind": c.Kind,
				"what": c.Describe(), "decision_reason": d.Reason, "version": p.Version}}); err != nil {
			return err
		}
		out, err = s.packageOf(ctx, tx, ag)
		return err
	})
	return out, err
}

// AskedChange is a provider's change waiting for the council, with what it
// is about.
type AskedChange struct {
	Change
	Reference    string `json:"agreement_reference"`
	PersonName   string `json:"person_name"`
	ProviderName string `json:"provider_name"`
	Team         string `json:"team"`
}

// Asked lists the changes providers asked for that wait for a decision,
// oldest first: every one for brokers, the team's for a practitioner, the
// organisation's own for a provider user. It returns Forbidden for others.
func (s *Store) Asked(ctx context.Context, a accounts.Actor) ([]AskedChange, error) {
	if err := a.Require(accounts.Broker, accounts.Practitioner, accounts.ProviderUser); err != nil {
		return nil, err
	}
	var rows []changeRow
	if err := s.db.Gorm(ctx).Where("status = 'asked'").Order("asked_at, id").Limit(500).Find(&rows).Error; err != nil {
		return nil, postgres.Translate(err)
	}
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.AgreementID
	}
	ags, err := s.agreements.ByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := []AskedChange{}
	for _, r := range rows {
		ag, ok := ags[r.AgreementID]
		if !ok || (a.Role == accounts.Practitioner && ag.Team != a.Team) || (a.Role == accounts.ProviderUser && ag.ProviderOrgID != a.ProviderOrgID) {
			continue
		}
		out = append(out, AskedChange{Change: r.change(), Reference: ag.Reference, PersonName: ag.PersonName,
			ProviderName: ag.ProviderName, Team: ag.Team})
	}
	return out, nil
}
