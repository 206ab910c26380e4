package packages

import (
	"context"
	"errors"
	"slices"
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

// NewUplift is the council's annual uplift of a framework's prices:
// BasisPoints hundredths of a percent (250 is 2.5%) from From.
type NewUplift struct {
	BasisPoints int      `json:"basis_points"`
	From        day.Date `json:"from"`
	Reason      string   `json:"reason"`
}

// AppliedUplift is an uplift applied: how many packages moved, and which were left
// as they were and why.
type AppliedUplift struct {
	ID          uuid.UUID `json:"id"`
	FrameworkID uuid.UUID `json:"framework_id"`
	BasisPoints int       `json:"basis_points"`
	From        day.Date  `json:"from"`
	Reason      string    `json:"reason"`
	Applied     int       `json:"applied"`
	Skipped     []Skipped `json:"skipped"`
}

// Skipped is a package an uplift left as it was, and why.
type Skipped struct {
	AgreementID uuid.UUID `json:"agreement_id"`
	Reference   string    `json:"reference"`
	Why         string    `json:"why"`
}

type upliftRow struct {
	ID            uuid.UUID `gorm:"type:uuid;primaryKey"`
	FrameworkID   uuid.UUID `gorm:"type:uuid"`
	BasisPoints   int
	EffectiveFrom day.Date
	Reason        string
	Applied       int
	Skipped       int
	CreatedBy     *uuid.UUID `gorm:"type:uuid"`
	CreatedAt     time.Time
}

func (upliftRow) TableName() string { return "package_uplifts" }

// ApplyUplift applies the uplift to every active package of the
// framework's members (for the service types of their lots) in force on
// From, in one transaction: each gets a new line from From at the uplifted
// unit price (rounded to the nearest penny), its old line ending the day
// before, and finance hears of each once. A package paused, ended, with a
// provider's change waiting, or whose latest line starts after From is left
// as it was and listed. Administrators only. It returns Forbidden, Invalid
// naming the field, NotFound for an unknown framework, and Conflict when
// the framework already has an uplift from that day.
func (s *Store) ApplyUplift(ctx context.Context, a accounts.Actor, frameworkID uuid.UUID, n NewUplift) (AppliedUplift, error) {
	if err := a.Require(accounts.Admin); err != nil {
		return AppliedUplift{}, err
	}
	n.Reason = strings.TrimSpace(n.Reason)
	switch {
	case n.BasisPoints == 0 || n.BasisPoints < -5000 || n.BasisPoints > 10000:
		return AppliedUplift{}, errs.InvalidField("basis_points", "must be between -5000 and 10000, and not 0 (250 is 2.5%%)")
	case n.From.IsZero():
		return AppliedUplift{}, errs.InvalidField("from", "is required: the first day of the new prices")
	case n.Reason == "" || len(n.Reason) > 2000:
		return AppliedUplift{}, errs.InvalidField("reason", "is required (at most 2000 characters)")
	}
	if s.frameworks == nil {
		return AppliedUplift{}, errs.Internalf(nil, "packages has no provider directory configured")
	}
	members, err := s.frameworks.FrameworkMembersOn(ctx, frameworkID, n.From)
	if err != nil {
		return AppliedUplift{}, err
	}
	out := AppliedUplift{ID: uuid.New(), FrameworkID: frameworkID, BasisPoints: n.BasisPoints, From: n.From, Reason: n.Reason, Skipped: []Skipped{}}
	err = s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		now := s.now().UTC()
		row := upliftRow{ID: out.ID, FrameworkID: frameworkID, BasisPoints: n.BasisPoints, EffectiveFrom: n.From, Reason: n.Reason,
			CreatedBy: userRef(a), CreatedAt: now}
		if err := tx.Gorm(ctx).Create(&row).Error; errors.Is(err, gorm.ErrDuplicatedKey) {
			return errs.Conflictf("this framework already has an uplift from %s", n.From.UK())
		} else if err != nil {
			return postgres.Translate(err)
		}
		orgs := make([]uuid.UUID, 0, len(members))
		for id := range members {
			orgs = append(orgs, id)
		}
		ags, err := s.agreements.ActiveOfProviders(ctx, tx, orgs)
		if err != nil {
			return err
		}
		for _, ag := range ags {
			if !slices.Contains(members[ag.ProviderOrgID], ag.ServiceType) {
				continue
			}
			why, err := s.upliftOne(ctx, tx, a, ag, out, now)
			if err != nil {
				return err
			}
			if why != "" {
				out.Skipped = append(out.Skipped, Skipped{AgreementID: ag.ID, Reference: ag.Reference, Why: why})
				continue
			}
			out.Applied++
		}
		if err := tx.Gorm(ctx).Model(&upliftRow{}).Where("id = ?", out.ID).
			Updates(map[string]any{"applied": out.Applied, "skipped": len(out.Skipped)}).Error; err != nil {
			return postgres.Translate(err)
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "package.uplift", ObjectType: "framework", ObjectID: frameworkID.String(),
			Summary: map[string]any{"uplift_id": out.ID, "basis_points": n.BasisPoints, "from": n.From, "applied": out.Applied, "skipped": len(out.Skipped)}})
	})
	return out, err
}

// upliftOne applies the uplift to one package, or says why it cannot.
func (s *Store) upliftOne(ctx context.Context, tx *postgres.Tx, a accounts.Actor, ag agreements.Agreement, u AppliedUplift, now time.Time) (string, error) {
	p, err := lockPackage(ctx, tx, ag.ID, 0)
	if err != nil {
		return "it has no package", nil
	}
	if pending, err := pendingOf(ctx, tx, ag.ID); err != nil {
		return "", err
	} else if pending != nil {
		return "the provider's change (" + pending.Describe() + ") waits for a decision", nil
	}
	lines, err := linesOf(ctx, tx, ag.ID)
	if err != nil {
		return "", err
	}
	live := liveLines(lines)
	if len(live) == 0 {
		return "it has no lines", nil
	}
	tail := live[len(live)-1]
	price := (tail.UnitPricePence*int64(10000+u.BasisPoints) + 5000) / 10000
	id := u.ID
	c := Change{ID: uuid.New(), AgreementID: ag.ID, Kind: Uplift, Side: Council, Status: Applied, EffectiveFrom: u.From,
		UnitPricePence: &price, Reason: u.Reason, UpliftID: &id, AskedBy: userRef(a), AskedAt: now, DecidedBy: userRef(a), DecidedAt: &now}
	if _, err := apply(lines, c, DefaultTerms, s.today(), now); err != nil {
		if e := errs.As(err); e != nil && (e.Code == errs.Invalid || e.Code == errs.Conflict) {
			return e.Message, nil
		}
		return "", err
	}
	if err := insertChange(ctx, tx, c); err != nil {
		return "", err
	}
	if err := s.applyChange(ctx, tx, a, ag, c); err != nil {
		return "", err
	}
	return "", bump(ctx, tx, &p, now)
}
