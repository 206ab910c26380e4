package providers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
)

type frameworkRow struct {
	ID        uuid.UUID  `gorm:"column:id;type:uuid;primaryKey;default:gen_random_uuid()"`
	Name      string     `gorm:"column:name"`
	Kind      string     `gorm:"column:kind"`
	StartsOn  day.Date   `gorm:"column:starts_on"`
	EndsOn    day.Date   `gorm:"column:ends_on"`
	CreatedAt time.Time  `gorm:"column:created_at"`
	CreatedBy *uuid.UUID `gorm:"column:created_by;type:uuid"`
}

func (frameworkRow) TableName() string { return "frameworks" }

type lotRow struct {
	ID           uuid.UUID `gorm:"column:id;type:uuid;primaryKey;default:gen_random_uuid()"`
	FrameworkID  uuid.UUID `gorm:"column:framework_id;type:uuid"`
	Name         string    `gorm:"column:name"`
	ServiceTypes textArray `gorm:"column:service_types"`
}

func (lotRow) TableName() string { return "framework_lots" }

type membershipRow struct {
	ID             uuid.UUID  `gorm:"column:id;type:uuid;primaryKey;default:gen_random_uuid()"`
	LotID          uuid.UUID  `gorm:"column:lot_id;type:uuid"`
	OrganisationID uuid.UUID  `gorm:"column:organisation_id;type:uuid"`
	StartsOn       day.Date   `gorm:"column:starts_on"`
	EndsOn         day.Date   `gorm:"column:ends_on"`
	EndReason      string     `gorm:"column:end_reason"`
	CreatedBy      *uuid.UUID `gorm:"column:created_by;type:uuid"`
	UpdatedBy      *uuid.UUID `gorm:"column:updated_by;type:uuid"`
}

func (membershipRow) TableName() string { return "framework_memberships" }

// CreateFramework adds a framework with its lots. Only brokers and
// administrators may. It returns Invalid naming the field, or Conflict
// (field "name") when a framework has that name.
func (s *Store) CreateFramework(ctx context.Context, a accounts.Actor, n NewFramework) (Framework, error) {
	if err := mayManage(a); err != nil {
		return Framework{}, err
	}
	if err := n.Validate(); err != nil {
		return Framework{}, err
	}
	row := frameworkRow{Name: n.Name, Kind: string(n.Kind), StartsOn: n.StartsOn, EndsOn: n.EndsOn, CreatedBy: actorID(a)}
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		if err := db.Omit("id", "created_at").Create(&row).Error; err != nil {
			return err
		}
		for _, l := range n.Lots {
			lot := lotRow{FrameworkID: row.ID, Name: l.Name, ServiceTypes: textArrayOf(l.ServiceTypes)}
			if err := db.Omit("id").Create(&lot).Error; err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "framework.create", ObjectType: "framework", ObjectID: row.ID.String(), Summary: n})
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return Framework{}, &errs.Error{Code: errs.Conflict, Field: "name", Message: "a framework with this name already exists"}
	}
	if err != nil {
		return Framework{}, postgres.Translate(err)
	}
	return s.Framework(ctx, row.ID)
}

// Framework returns a framework with its lots, or NotFound.
func (s *Store) Framework(ctx context.Context, id uuid.UUID) (Framework, error) {
	fs, err := s.frameworks(ctx, "id = ?", id)
	if err != nil {
		return Framework{}, err
	}
	if len(fs) == 0 {
		return Framework{}, errs.NotFoundf("no such framework")
	}
	return fs[0], nil
}

// Frameworks lists every framework with its lots, by name.
func (s *Store) Frameworks(ctx context.Context) ([]Framework, error) {
	return s.frameworks(ctx, "true")
}

// FrameworkByName returns the framework with the given name (any case), or
// NotFound.
func (s *Store) FrameworkByName(ctx context.Context, name string) (Framework, error) {
	fs, err := s.frameworks(ctx, "lower(name) = lower(?)", strings.TrimSpace(name))
	if err != nil {
		return Framework{}, err
	}
	if len(fs) == 0 {
		return Framework{}, errs.NotFoundf("no framework is called %q", name)
	}
	return fs[0], nil
}

func (s *Store) frameworks(ctx context.Context, where string, args ...any) ([]Framework, error) {
	db := s.db.Gorm(ctx)
	var rows []frameworkRow
	if err := db.Where(where, args...).Order("lower(name), id").Find(&rows).Error; err != nil {
		return nil, postgres.Translate(err)
	}
	out := make([]Framework, len(rows))
	index := map[uuid.UUID]int{}
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		out[i] = Framework{ID: r.ID, Name: r.Name, Kind: FrameworkKind(r.Kind), StartsOn: r.StartsOn, EndsOn: r.EndsOn, Lots: []Lot{}}
		index[r.ID], ids[i] = i, r.ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	var lots []lotRow
	if err := db.Where("framework_id IN ?", ids).Order("name, id").Find(&lots).Error; err != nil {
		return nil, postgres.Translate(err)
	}
	for _, l := range lots {
		f := &out[index[l.FrameworkID]]
		f.Lots = append(f.Lots, Lot{ID: l.ID, Name: l.Name, ServiceTypes: serviceTypesOf(l.ServiceTypes)})
	}
	return out, nil
}

// lockOrganisation locks an organisation's row: every compliance change to
// an organisation takes it first.
func lockOrganisation(ctx context.Context, tx *gorm.DB, id uuid.UUID) (orgRow, error) {
	var rows []orgRow
	if err := tx.WithContext(ctx).Raw(`SELECT * FROM provider_organisations WHERE id = ? FOR UPDATE`, id).Scan(&rows).Error; err != nil {
		return orgRow{}, postgres.Translate(err)
	}
	if len(rows) == 0 {
		return orgRow{}, errs.NotFoundf("no such provider")
	}
	return rows[0], nil
}

// Memberships returns an organisation's framework memberships, if the
// actor may see the organisation.
func (s *Store) Memberships(ctx context.Context, a accounts.Actor, orgID uuid.UUID) ([]Membership, error) {
	if err := mayRead(a, orgID); err != nil {
		return nil, err
	}
	return s.memberships(ctx, s.db.Gorm(ctx), "m.organisation_id = ?", orgID)
}

func (s *Store) memberships(ctx context.Context, db *gorm.DB, where string, args ...any) ([]Membership, error) {
	var recs []membershipRecord
	if err := db.WithContext(ctx).Raw(membershipSelect+" WHERE "+where+" ORDER BY m.starts_on, m.id", args...).Scan(&recs).Error; err != nil {
		return nil, postgres.Translate(err)
	}
	out := make([]Membership, len(recs))
	for i, r := range recs {
		out[i] = r.membership()
	}
	return out, nil
}

// AddMembership puts an organisation on a framework lot. Only brokers and
// administrators may. It returns Invalid naming the field (an end before
// the start, an unknown lot), NotFound for an unknown organisation, and
// Conflict when it overlaps the organisation's membership of the same lot.
func (s *Store) AddMembership(ctx context.Context, a accounts.Actor, orgID uuid.UUID, n NewMembership) (Membership, error) {
	if err := mayManage(a); err != nil {
		return Membership{}, err
	}
	if err := n.Validate(); err != nil {
		return Membership{}, err
	}
	var id uuid.UUID
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		if _, err := lockOrganisation(ctx, db, orgID); err != nil {
			return err
		}
		var lot lotRow
		if err := db.Where("id = ?", n.LotID).Take(&lot).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return errs.InvalidField("lot_id", "names no framework lot")
			}
			return err
		}
		existing, err := s.memberships(ctx, db, "m.organisation_id = ? AND m.lot_id = ?", orgID, n.LotID)
		if err != nil {
			return err
		}
		for _, m := range existing {
			if spansOverlap(m.StartsOn, m.EndsOn, n.StartsOn, n.EndsOn) {
				return &errs.Error{Code: errs.Conflict, Field: "starts_on", Message: fmt.Sprintf(
					"the provider is already on %s, %s %s", m.FrameworkName, m.LotName, spanText(m.StartsOn, m.EndsOn))}
			}
		}
		row := membershipRow{LotID: n.LotID, OrganisationID: orgID, StartsOn: n.StartsOn, EndsOn: n.EndsOn, CreatedBy: actorID(a), UpdatedBy: actorID(a)}
		if err := db.Omit("id").Create(&row).Error; err != nil {
			return err
		}
		id = row.ID
		return audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "framework_membership.add", ObjectType: "provider_organisation", ObjectID: orgID.String(),
			Summary: map[string]any{"membership_id": id, "lot_id": n.LotID, "starts_on": n.StartsOn, "ends_on": n.EndsOn}})
	})
	if err != nil {
		return Membership{}, postgres.Translate(err)
	}
	ms, err := s.memberships(ctx, s.db.Gorm(ctx), "m.id = ?", id)
	if err != nil || len(ms) == 0 {
		return Membership{}, err
	}
	return ms[0], nil
}

// EndMembership ends a membership on a day, with a reason. Only brokers and
// administrators may. It returns Invalid naming the field (an end before
// the start) and NotFound for an unknown membership.
func (s *Store) EndMembership(ctx context.Context, a accounts.Actor, membershipID uuid.UUID, e SpanEnd) (Membership, error) {
	if err := mayManage(a); err != nil {
		return Membership{}, err
	}
	if err := e.Validate(); err != nil {
		return Membership{}, err
	}
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		var m membershipRow
		if err := db.Raw(`SELECT * FROM framework_memberships WHERE id = ? FOR UPDATE`, membershipID).Scan(&m).Error; err != nil {
			return err
		}
		if m.ID == uuid.Nil {
			return errs.NotFoundf("no such membership")
		}
		if e.EndsOn.Before(m.StartsOn) {
			return errs.InvalidField("ends_on", "must not be before the membership starts (%s)", m.StartsOn)
		}
		if err := db.Model(&membershipRow{}).Where("id = ?", m.ID).Updates(map[string]any{
			"ends_on": e.EndsOn, "end_reason": e.Reason, "updated_at": s.clock(), "updated_by": actorID(a),
		}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "framework_membership.end", ObjectType: "provider_organisation", ObjectID: m.OrganisationID.String(),
			Summary: map[string]any{"membership_id": m.ID, "ends_on_before": m.EndsOn, "ends_on": e.EndsOn, "reason": e.Reason}})
	})
	if err != nil {
		return Membership{}, postgres.Translate(err)
	}
	ms, err := s.memberships(ctx, s.db.Gorm(ctx), "m.id = ?", membershipID)
	if err != nil || len(ms) == 0 {
		return Membership{}, err
	}
	return ms[0], nil
}
