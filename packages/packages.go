package packages

import (
	"context"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

// Package returns the agreement's package if the actor may see the
// agreement (the agreements' rules: a person their own, a provider its
// organisation's, a practitioner their team's, finance those it was told of,
// brokers and admins all). It returns NotFound otherwise.
func (s *Store) Package(ctx context.Context, a accounts.Actor, agreementID uuid.UUID) (Package, error) {
	ag, err := s.agreements.Agreement(ctx, a, agreementID)
	if err != nil {
		return Package{}, err
	}
	return s.packageOf(ctx, s.db, ag)
}

func (s *Store) packageOf(ctx context.Context, db postgres.Conn, ag agreements.Agreement) (Package, error) {
	var p packageRow
	if err := db.Gorm(ctx).Where("agreement_id = ?", ag.ID).Take(&p).Error; err != nil {
		return Package{}, errs.NotFoundf("there is no care package for agreement %s", ag.Reference)
	}
	lines, err := linesOf(ctx, db, ag.ID)
	if err != nil {
		return Package{}, err
	}
	changes, err := changesOf(ctx, db, ag.ID)
	if err != nil {
		return Package{}, err
	}
	out := Package{Agreement: ag, Version: p.Version, Lines: lines, Changes: changes}
	if l, ok := InForce(lines, s.today()); ok {
		out.WeeklyCostToday = l.WeeklyCostPence
	}
	return out, nil
}

// Change makes a change to the package (council staff: applied at once) or
// asks for one (a provider user: applied only when council staff approve).
// In one transaction it locks the package, checks the version the caller
// saw, works out the new lines, writes them (the old line ends the day
// before), tells finance once with the per-day amounts, and for an end ends
// the agreement. It returns Forbidden for other roles, NotFound for a package
// the actor cannot see, Invalid naming the field, and Conflict when the
// package changed since the caller saw it, a provider's change waits for a
// decision, or the package's state refuses the change.
func (s *Store) Change(ctx context.Context, a accounts.Actor, agreementID uuid.UUID, n NewChange) (Package, error) {
	sd, err := side(a)
	if err != nil {
		return Package{}, err
	}
	if err := n.Validate(); err != nil {
		return Package{}, err
	}
	ag, err := s.agreements.Agreement(ctx, a, agreementID)
	if err != nil {
		return Package{}, err
	}
	var out Package
	err = s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		p, err := lockPackage(ctx, tx, agreementID, n.Version)
		if err != nil {
			return err
		}
		if pending, err := pendingOf(ctx, tx, agreementID); err != nil {
			return err
		} else if pending != nil {
			return errs.Conflictf("the provider asked on %s for a change (%s): it must be approved or refused first",
				pending.AskedAt.Format("2 January 2006"), pending.Describe())
		}
		now := s.now().UTC()
		c := newChange(agreementID, n, sd, userRef(a), now)
		if sd == Council {
			if err := c.decide(Applied, userRef(a), now, ""); err != nil {
				return err
			}
		}
		if err := insertChange(ctx, tx, c); err != nil {
			return err
		}
		if sd == Council {
			err = s.applyChange(ctx, tx, a, ag, c)
		} else {
			err = s.checkAsk(ctx, tx, ag, c)
		}
		if err != nil {
			return err
		}
		if err := bump(ctx, tx, &p, now); err != nil {
			return err
		}
		if sd == Provider {
			if err := agreements.Notify(ctx, tx, askedNotice(ag, c)); err != nil {
				return err
			}
		}
		if err := audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "package." + string(c.Status), ObjectType: "agreement",
			ObjectID: ag.ID.String(), PersonID: ag.PersonID, Summary: map[string]any{"change_id": c.ID, "kind": c.Kind,
				"side": c.Side, "effective_from": c.EffectiveFrom, "what": c.Describe(), "reason": c.Reason, "version": p.Version}}); err != nil {
			return err
		}
		if c.Kind == End && sd == Council {
			ag.Status = agreements.Ended
		}
		out, err = s.packageOf(ctx, tx, ag)
		return err
	})
	return out, err
}

// checkAsk refuses, at once, what could never be approved: the same checks
// an approval makes, on today's lines, without writing them.
func (s *Store) checkAsk(ctx context.Context, tx *postgres.Tx, ag agreements.Agreement, c Change) error {
	if ag.Status != agreements.Active {
		return errs.Conflictf("agreement %s already %s", ag.Reference, ag.Status)
	}
	lines, err := linesOf(ctx, tx, ag.ID)
	if err != nil {
		return err
	}
	t, err := termsOf(ctx, tx, ag.ProviderOrgID)
	if err != nil {
		return err
	}
	_, err = apply(lines, c, t, s.today(), s.now().UTC())
	return err
}

// applyChange writes what the applied change c does to the package's lines,
// tells finance (once: the key is the change's), and for an end ends the
// agreement.
func (s *Store) applyChange(ctx context.Context, tx *postgres.Tx, a accounts.Actor, ag agreements.Agreement, c Change) error {
	if ag.Status != agreements.Active {
		return errs.Conflictf("agreement %s already %s", ag.Reference, ag.Status)
	}
	before, err := linesOf(ctx, tx, ag.ID)
	if err != nil {
		return err
	}
	t, err := termsOf(ctx, tx, ag.ProviderOrgID)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	e, err := apply(before, c, t, s.today(), now)
	if err != nil {
		return err
	}
	if err := write(ctx, tx, e, c.ID, now); err != nil {
		return err
	}
	after := e.applyTo(before, c.ID, now)
	if err := agreements.Notify(ctx, tx, financeNotice(ag, c, before, after)); err != nil {
		return err
	}
	for _, n := range partyNotices(ag, c) {
		if err := agreements.Notify(ctx, tx, n); err != nil {
			return err
		}
	}
	if c.Kind != End {
		return nil
	}
	ended, err := s.agreements.End(ctx, tx, a, ag.ID, agreements.Ending{EndsOn: c.LastDay, Reason: c.Describe() + ": " + c.Reason})
	if err != nil || s.capacity == nil {
		return err
	}
	// As brokerage does when it ends an agreement: the units the agreement
	// reserved come back from the day after its last day.
	from := ended.EndsOn.AddDays(1)
	if from.Before(ended.StartDate) {
		from = ended.StartDate
	}
	err = s.capacity.ReleaseCapacity(ctx, tx, ended.ServiceID, from, ended.HoursPerWeek+ended.Places)
	if e := errs.As(err); e != nil && e.Code == errs.NotFound {
		return nil // a service the directory does not hold had nothing reserved
	}
	return err
}

// Live lists the active agreements whose packages the actor may see (a
// provider its organisation's, a person their own, a practitioner the team's,
// brokers and admins the newest 200).
func (s *Store) Live(ctx context.Context, a accounts.Actor) ([]agreements.Agreement, error) {
	if err := a.Require(accounts.Broker, accounts.Admin, accounts.Practitioner, accounts.ProviderUser, accounts.Client); err != nil {
		return nil, err
	}
	return s.agreements.ActiveVisible(ctx, a, 200)
}
