package packages

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
)

// handbackReasons are why a provider may hand a package back.
var handbackReasons = []string{"staffing", "travel", "risk", "needs_changed", "price"}

// NewHandback is a provider's notice that it will stop a package after
// LastDay, for Reason (staffing, travel, risk, needs_changed, price).
type NewHandback struct {
	Version int      `json:"version"`
	LastDay day.Date `json:"last_day"`
	Reason  string   `json:"reason"`
	Detail  string   `json:"detail"`
}

// Handback is a provider's notice, recorded.
type Handback struct {
	ID            uuid.UUID `json:"id"`
	AgreementID   uuid.UUID `json:"agreement_id"`
	ProviderOrgID uuid.UUID `json:"provider_org_id"`
	Reason        string    `json:"reason"`
	Detail        string    `json:"detail,omitempty"`
	LastDay       day.Date  `json:"last_day"`
	HoursPerWeek  int       `json:"hours_per_week"`
	Places        int       `json:"places"`
	GivenAt       time.Time `json:"given_at"`
}

type handbackRow struct {
	ID            uuid.UUID `gorm:"type:uuid;primaryKey"`
	AgreementID   uuid.UUID `gorm:"type:uuid"`
	ProviderOrgID uuid.UUID `gorm:"type:uuid"`
	ProviderName  string
	Reason        string
	Detail        string
	LastDay       day.Date
	HoursPerWeek  int
	Places        int
	ChangeID      uuid.UUID  `gorm:"type:uuid"`
	GivenBy       *uuid.UUID `gorm:"type:uuid"`
	GivenAt       time.Time
}

func (handbackRow) TableName() string { return "package_handbacks" }

// HandBack records a provider's notice that it will stop a package: the
// package ends after LastDay (no earlier than the contract's notice), the
// agreement ends and the capacity comes back, finance is told once with the
// per-day amounts, and the person, the practitioners of the team and the
// brokers are told so the need can be arranged again. Provider users of the
// agreement's organisation only. It returns Forbidden, NotFound, Invalid
// naming the field ("reason", "last_day", "version"), and Conflict when the
// package changed since the provider looked, an ask waits, or it has ended.
func (s *Store) HandBack(ctx context.Context, a accounts.Actor, agreementID uuid.UUID, n NewHandback) (Handback, error) {
	if err := a.Require(accounts.ProviderUser); err != nil {
		return Handback{}, err
	}
	n.Reason, n.Detail = strings.TrimSpace(n.Reason), strings.TrimSpace(n.Detail)
	switch {
	case n.Version < 1:
		return Handback{}, errs.InvalidField("version", "is required: the package's version you are handing back")
	case !oneOf(n.Reason, handbackReasons):
		return Handback{}, errs.InvalidField("reason", "must be one of %s", strings.Join(handbackReasons, ", "))
	case n.LastDay.IsZero():
		return Handback{}, errs.InvalidField("last_day", "is required: the last day you will provide the care")
	case len(n.Detail) > 2000:
		return Handback{}, errs.InvalidField("detail", "must be at most 2000 characters")
	}
	ag, err := s.agreements.Agreement(ctx, a, agreementID)
	if err != nil {
		return Handback{}, err
	}
	var out Handback
	err = s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		p, err := lockPackage(ctx, tx, agreementID, n.Version)
		if err != nil {
			return err
		}
		if pending, err := pendingOf(ctx, tx, agreementID); err != nil {
			return err
		} else if pending != nil {
			return errs.Conflictf("your change (%s) waits for the council's decision: it must be decided first", pending.Describe())
		}
		now := s.now().UTC()
		reason := "handed back (" + strings.ReplaceAll(n.Reason, "_", " ") + ")"
		if n.Detail != "" {
			reason += ": " + n.Detail
		}
		c := newChange(agreementID, NewChange{Kind: End, LastDay: n.LastDay, Cause: "handed_back", Reason: reason}, Provider, userRef(a), now)
		if err := c.decide(Applied, userRef(a), now, "a provider's notice takes effect"); err != nil {
			return err
		}
		if err := insertChange(ctx, tx, c); err != nil {
			return err
		}
		if err := s.applyChange(ctx, tx, a, ag, c); err != nil {
			return err
		}
		out = Handback{ID: uuid.New(), AgreementID: ag.ID, ProviderOrgID: ag.ProviderOrgID, Reason: n.Reason, Detail: n.Detail,
			LastDay: n.LastDay, HoursPerWeek: ag.HoursPerWeek, Places: ag.Places, GivenAt: now}
		row := handbackRow{ID: out.ID, AgreementID: out.AgreementID, ProviderOrgID: out.ProviderOrgID, ProviderName: ag.ProviderName, Reason: out.Reason, Detail: out.Detail,
			LastDay: out.LastDay, HoursPerWeek: out.HoursPerWeek, Places: out.Places, ChangeID: c.ID, GivenBy: userRef(a), GivenAt: now}
		if err := tx.Gorm(ctx).Create(&row).Error; errors.Is(err, gorm.ErrDuplicatedKey) {
			return errs.Conflictf("this package was already handed back")
		} else if err != nil {
			return postgres.Translate(err)
		}
		if err := bump(ctx, tx, &p, now); err != nil {
			return err
		}
		for _, nt := range handbackNotices(ag, out) {
			if err := agreements.Notify(ctx, tx, nt); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "package.handback", ObjectType: "agreement", ObjectID: ag.ID.String(),
			PersonID: ag.PersonID, Summary: map[string]any{"handback_id": out.ID, "reason": out.Reason, "last_day": out.LastDay, "change_id": c.ID}})
	})
	return out, err
}

// handbackNotices tell the brokers (to arrange the need again), the team's
// practitioners and the person.
func handbackNotices(ag agreements.Agreement, h Handback) []agreements.Notification {
	id, link := ag.ID, "/api/v1/agreements/"+ag.ID.String()+"/package"
	what := fmt.Sprintf("%s hands back %s (%s for %s): the last day of care is %s. Reason: %s.",
		ag.ProviderName, ag.Reference, ag.ServiceName, ag.PersonName, h.LastDay.UK(), strings.ReplaceAll(h.Reason, "_", " "))
	key := "package.handback:" + h.ID.String() + ":"
	return []agreements.Notification{
		{Audience: agreements.ToRole(accounts.Broker), Kind: "package.handback", AgreementID: &id, IdempotencyKey: key + "brokers",
			Subject: "Handed back: " + ag.Reference + " ends on " + h.LastDay.UK(), Body: what + " Arrange the care again before then.",
			ObjectType: "agreement", ObjectID: ag.ID.String(), Link: link},
		{Audience: agreements.ToTeam(ag.Team), Kind: "package.handback", AgreementID: &id, IdempotencyKey: key + "team",
			Subject: "Handed back: " + ag.Reference + " ends on " + h.LastDay.UK(), Body: what, ObjectType: "agreement", ObjectID: ag.ID.String(), Link: link},
		{Audience: agreements.ToPerson(ag.PersonID), Kind: "package.handback", AgreementID: &id, IdempotencyKey: key + "person",
			Subject:    ag.ProviderName + " will stop your care after " + h.LastDay.UK(),
			Body:       fmt.Sprintf("%s has told us it will stop your care after %s. The council is arranging your care again and will tell you who will provide it.", ag.ProviderName, h.LastDay.UK()),
			ObjectType: "agreement", ObjectID: ag.ID.String(), Link: link},
	}
}

// ProviderHandbacks counts one provider organisation's handbacks.
type ProviderHandbacks struct {
	ProviderOrgID uuid.UUID `json:"provider_org_id"`
	ProviderName  string    `json:"provider_name"`
	Handbacks     int       `json:"handbacks"`
	HoursPerWeek  int       `json:"hours_per_week"`
	Places        int       `json:"places"`
}

// HandbacksByProvider counts the handbacks of each provider organisation,
// most first, with the hours a week and places handed back. Brokers and
// administrators only (Forbidden for others).
func (s *Store) HandbacksByProvider(ctx context.Context, a accounts.Actor) ([]ProviderHandbacks, error) {
	if err := a.Require(accounts.Broker, accounts.Admin); err != nil {
		return nil, err
	}
	out := []ProviderHandbacks{}
	err := s.db.Gorm(ctx).Raw(`SELECT provider_org_id, max(provider_name) AS provider_name, count(*) AS handbacks,
		sum(hours_per_week) AS hours_per_week, sum(places) AS places
		FROM package_handbacks GROUP BY provider_org_id ORDER BY count(*) DESC, provider_org_id`).Scan(&out).Error
	return out, postgres.Translate(err)
}
