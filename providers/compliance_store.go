package providers

import (
	"context"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

// SetContractStatus records an organisation's contract status with a
// reason. Only brokers and administrators may. It returns Invalid naming
// the field and NotFound for an unknown organisation.
func (s *Store) SetContractStatus(ctx context.Context, a accounts.Actor, orgID uuid.UUID, c ContractChange) (Organisation, error) {
	if err := mayManage(a); err != nil {
		return Organisation{}, err
	}
	if err := c.Validate(); err != nil {
		return Organisation{}, err
	}
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		org, err := lockOrganisation(ctx, db, orgID)
		if err != nil {
			return err
		}
		now := s.clock()
		if err := db.Model(&orgRow{}).Where("id = ?", orgID).Updates(map[string]any{
			"contract_status": c.Status, "contract_status_reason": c.Reason, "contract_status_changed_at": now,
			"contract_status_changed_by": actorID(a), "updated_at": now,
		}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "provider_contract.set", ObjectType: "provider_organisation", ObjectID: orgID.String(),
			Summary: map[string]any{"before": org.ContractStatus, "after": c.Status, "reason": c.Reason}})
	})
	if err != nil {
		return Organisation{}, postgres.Translate(err)
	}
	return s.Organisation(ctx, orgID)
}

// Suspensions returns an organisation's suspensions and embargoes, past and
// present, if the actor may see the organisation.
func (s *Store) Suspensions(ctx context.Context, a accounts.Actor, orgID uuid.UUID) ([]Suspension, error) {
	if err := mayRead(a, orgID); err != nil {
		return nil, err
	}
	var rows []suspensionRow
	if err := s.db.Gorm(ctx).Where("organisation_id = ?", orgID).Order("starts_on, id").Find(&rows).Error; err != nil {
		return nil, postgres.Translate(err)
	}
	out := make([]Suspension, len(rows))
	for i, r := range rows {
		out[i] = r.suspension()
	}
	return out, nil
}

// Suspend records a suspension or embargo of an organisation, or of one of
// its services. Only brokers and administrators may. It returns Invalid
// naming the field (an end before the start, a service of another
// organisation) and NotFound for an unknown organisation.
func (s *Store) Suspend(ctx context.Context, a accounts.Actor, orgID uuid.UUID, n NewSuspension) (Suspension, error) {
	if err := mayManage(a); err != nil {
		return Suspension{}, err
	}
	if err := n.Validate(); err != nil {
		return Suspension{}, err
	}
	var row suspensionRow
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		if _, err := lockOrganisation(ctx, db, orgID); err != nil {
			return err
		}
		row = suspensionRow{OrganisationID: orgID, Kind: n.Kind, Reason: n.Reason, StartsOn: n.StartsOn, EndsOn: n.EndsOn,
			CreatedAt: s.clock(), CreatedBy: actorID(a), UpdatedBy: actorID(a)}
		if n.ServiceID != uuid.Nil {
			var count int64
			if err := db.Model(&serviceRow{}).Where("id = ? AND organisation_id = ?", n.ServiceID, orgID).Count(&count).Error; err != nil {
				return err
			}
			if count == 0 {
				return errs.InvalidField("service_id", "is not a service of this provider")
			}
			row.ServiceID = &n.ServiceID
		}
		if err := db.Omit("id", "updated_at").Create(&row).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "provider_suspension.add", ObjectType: "provider_organisation", ObjectID: orgID.String(),
			Summary: map[string]any{"suspension_id": row.ID, "service_id": n.ServiceID, "kind": n.Kind, "reason": n.Reason, "starts_on": n.StartsOn, "ends_on": n.EndsOn}})
	})
	if err != nil {
		return Suspension{}, postgres.Translate(err)
	}
	return row.suspension(), nil
}

// EndSuspension lifts a suspension or embargo: its last day becomes
// e.EndsOn. Only brokers and administrators may. It returns Invalid naming
// the field and NotFound for an unknown suspension.
func (s *Store) EndSuspension(ctx context.Context, a accounts.Actor, suspensionID uuid.UUID, e SpanEnd) (Suspension, error) {
	if err := mayManage(a); err != nil {
		return Suspension{}, err
	}
	if err := e.Validate(); err != nil {
		return Suspension{}, err
	}
	var row suspensionRow
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		if err := db.Raw(`SELECT * FROM provider_suspensions WHERE id = ? FOR UPDATE`, suspensionID).Scan(&row).Error; err != nil {
			return err
		}
		if row.ID == uuid.Nil {
			return errs.NotFoundf("no such suspension")
		}
		if e.EndsOn.Before(row.StartsOn) {
			return errs.InvalidField("ends_on", "must not be before the suspension starts (%s)", row.StartsOn)
		}
		before := row.EndsOn
		row.EndsOn = e.EndsOn
		if err := db.Model(&suspensionRow{}).Where("id = ?", row.ID).Updates(map[string]any{
			"ends_on": e.EndsOn, "updated_at": s.clock(), "updated_by": actorID(a),
		}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "provider_suspension.end", ObjectType: "provider_organisation", ObjectID: row.OrganisationID.String(),
			Summary: map[string]any{"suspension_id": row.ID, "ends_on_before": before, "ends_on": e.EndsOn, "reason": e.Reason}})
	})
	if err != nil {
		return Suspension{}, postgres.Translate(err)
	}
	return row.suspension(), nil
}
