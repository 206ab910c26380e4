package providers

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
)

type documentRow struct {
	ID             uuid.UUID  `gorm:"column:id;type:uuid;primaryKey;default:gen_random_uuid()"`
	OrganisationID uuid.UUID  `gorm:"column:organisation_id;type:uuid"`
	Kind           string     `gorm:"column:kind"`
	Name           string     `gorm:"column:name"`
	ValidFrom      day.Date   `gorm:"column:valid_from"`
	ExpiresOn      day.Date   `gorm:"column:expires_on"`
	Status         string     `gorm:"column:status"`
	ReviewNote     string     `gorm:"column:review_note"`
	ReviewedAt     *time.Time `gorm:"column:reviewed_at"`
	ReviewedBy     *uuid.UUID `gorm:"column:reviewed_by;type:uuid"`
	UploadedAt     time.Time  `gorm:"column:uploaded_at"`
	UploadedBy     *uuid.UUID `gorm:"column:uploaded_by;type:uuid"`
}

func (documentRow) TableName() string { return "provider_documents" }

func (r documentRow) document() Document {
	d := Document{ID: r.ID, OrganisationID: r.OrganisationID, Kind: r.Kind, Name: r.Name, ValidFrom: r.ValidFrom,
		ExpiresOn: r.ExpiresOn, Status: r.Status, ReviewNote: r.ReviewNote, UploadedAt: r.UploadedAt.UTC()}
	if r.ReviewedAt != nil {
		t := r.ReviewedAt.UTC()
		d.ReviewedAt = &t
	}
	return d
}

// Documents returns an organisation's compliance evidence, newest first, if
// the actor may see the organisation (another provider's is NotFound).
func (s *Store) Documents(ctx context.Context, a accounts.Actor, orgID uuid.UUID) ([]Document, error) {
	if err := mayRead(a, orgID); err != nil {
		return nil, err
	}
	var rows []documentRow
	if err := s.db.Gorm(ctx).Where("organisation_id = ?", orgID).Order("uploaded_at DESC, id").Find(&rows).Error; err != nil {
		return nil, postgres.Translate(err)
	}
	out := make([]Document, len(rows))
	for i, r := range rows {
		out[i] = r.document()
	}
	return out, nil
}

// AddDocument records the metadata of a piece of compliance evidence for an
// organisation; it waits for a broker or administrator to review it. A
// provider user may add only to its own organisation. It returns Invalid
// naming the field (an expiry before the start), NotFound for an
// organisation the actor may not see.
func (s *Store) AddDocument(ctx context.Context, a accounts.Actor, orgID uuid.UUID, n NewDocument) (Document, error) {
	if err := mayEdit(a, orgID); err != nil {
		return Document{}, err
	}
	if err := n.Validate(); err != nil {
		return Document{}, err
	}
	row := documentRow{OrganisationID: orgID, Kind: n.Kind, Name: n.Name, ValidFrom: n.ValidFrom, ExpiresOn: n.ExpiresOn,
		Status: "submitted", UploadedAt: s.clock(), UploadedBy: actorID(a)}
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		if _, err := lockOrganisation(ctx, db, orgID); err != nil {
			return err
		}
		if err := db.Omit("id").Create(&row).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "provider_document.add", ObjectType: "provider_organisation", ObjectID: orgID.String(),
			Summary: map[string]any{"document_id": row.ID, "kind": n.Kind, "name": n.Name, "valid_from": n.ValidFrom, "expires_on": n.ExpiresOn}})
	})
	if err != nil {
		return Document{}, postgres.Translate(err)
	}
	return row.document(), nil
}

// ReviewDocument accepts or rejects a piece of evidence. Only brokers and
// administrators may; only submitted evidence can be reviewed. It returns
// Invalid naming the field, NotFound for unknown evidence and Conflict for
// evidence already reviewed.
func (s *Store) ReviewDocument(ctx context.Context, a accounts.Actor, documentID uuid.UUID, r DocumentReview) (Document, error) {
	if err := mayManage(a); err != nil {
		return Document{}, err
	}
	if err := r.Validate(); err != nil {
		return Document{}, err
	}
	var row documentRow
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		if err := db.Raw(`SELECT * FROM provider_documents WHERE id = ? FOR UPDATE`, documentID).Scan(&row).Error; err != nil {
			return err
		}
		if row.ID == uuid.Nil {
			return errs.NotFoundf("no such document")
		}
		if row.Status != "submitted" {
			return errs.Conflictf("this evidence was already %s", row.Status)
		}
		now := s.clock()
		row.Status, row.ReviewNote, row.ReviewedAt, row.ReviewedBy = r.Decision, r.Note, &now, actorID(a)
		if err := db.Model(&documentRow{}).Where("id = ?", row.ID).Updates(map[string]any{
			"status": r.Decision, "review_note": r.Note, "reviewed_at": now, "reviewed_by": actorID(a),
		}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "provider_document.review", ObjectType: "provider_organisation", ObjectID: row.OrganisationID.String(),
			Summary: map[string]any{"document_id": row.ID, "decision": r.Decision, "note": r.Note}})
	})
	if err != nil {
		return Document{}, postgres.Translate(err)
	}
	return row.document(), nil
}
