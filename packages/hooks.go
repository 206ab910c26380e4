package packages

import (
	"context"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
)

// Open makes the package of a new agreement, in tx (the brokerage's
// transaction that made it): its first line, from the start date, at the
// agreement's units, unit price and weekly cost. Finance is told of the
// agreement itself by agreements.Create.
func Open(ctx context.Context, tx *postgres.Tx, ag agreements.Agreement) error {
	p := packageRow{AgreementID: ag.ID, Version: 1, UpdatedAt: ag.CreatedAt}
	if err := tx.Gorm(ctx).Create(&p).Error; err != nil {
		return postgres.Translate(err)
	}
	c := Change{AgreementID: ag.ID, Kind: Start, Side: Council, Status: Applied, EffectiveFrom: ag.StartDate,
		Reason: "The service agreement " + ag.Reference + " starts", AskedBy: ag.CreatedBy, AskedAt: ag.CreatedAt,
		DecidedBy: ag.CreatedBy, DecidedAt: &ag.CreatedAt}
	c.ID = uuid.New()
	if err := insertChange(ctx, tx, c); err != nil {
		return err
	}
	unit := ag.HourlyRatePence
	if ag.Places > 0 {
		unit = ag.WeeklyCostPence / int64(ag.Places)
	}
	l := Line{ID: uuid.New(), AgreementID: ag.ID, ChangeID: c.ID, Kind: ServiceLine, ServiceID: ag.ServiceID,
		HoursPerWeek: ag.HoursPerWeek, Places: ag.Places, UnitPricePence: unit, WeeklyCostPence: ag.WeeklyCostPence,
		From: ag.StartDate, Reason: c.Reason, CreatedBy: ag.CreatedBy, CreatedAt: ag.CreatedAt}
	return write(ctx, tx, edit{add: []Line{l}}, c.ID, ag.CreatedAt)
}

// Close ends the package of an agreement that ended by another road (a
// review removed the need, a new arrangement replaced it), in tx, the
// caller's transaction, after agreements.End or Vary: its lines stop after
// the agreement's last day, and finance is told once with the per-day
// amounts. A package already stopped by then is left as it is.
func Close(ctx context.Context, tx *postgres.Tx, a accounts.Actor, ag agreements.Agreement) error {
	p, err := lockPackage(ctx, tx, ag.ID, 0)
	if e := errs.As(err); e != nil && e.Code == errs.NotFound {
		return nil // an agreement made without a package (by a test's own hand): nothing to close
	} else if err != nil {
		return err
	}
	before, err := linesOf(ctx, tx, ag.ID)
	if err != nil {
		return err
	}
	live := liveLines(before)
	if len(live) == 0 || !live[len(live)-1].To.IsZero() && !live[len(live)-1].To.After(ag.EndsOn) {
		return nil
	}
	now := ag.CreatedAt
	if ag.EndedAt != nil {
		now = *ag.EndedAt
	}
	c := Change{AgreementID: ag.ID, Kind: End, Side: Council, Status: Applied, EffectiveFrom: ag.EndsOn.AddDays(1),
		LastDay: ag.EndsOn, Cause: "other", Reason: ag.EndReason, AskedBy: userRef(a), AskedAt: now, DecidedBy: userRef(a), DecidedAt: &now}
	c.ID = uuid.New()
	if c.Reason == "" {
		c.Reason = "the agreement ended"
	}
	if err := insertChange(ctx, tx, c); err != nil {
		return err
	}
	e := edit{ends: map[uuid.UUID]day.Date{}}
	e.cut(live, c.EffectiveFrom)
	if err := write(ctx, tx, e, c.ID, now); err != nil {
		return err
	}
	if err := bump(ctx, tx, &p, now); err != nil {
		return err
	}
	return agreements.Notify(ctx, tx, financeNotice(ag, c, before, e.applyTo(before, c.ID, now)))
}
