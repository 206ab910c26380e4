package providers

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

// orgRow is a row of provider_organisations.
type orgRow struct {
	ID                      uuid.UUID  `gorm:"column:id;type:uuid;primaryKey;default:gen_random_uuid()"`
	Name                    string     `gorm:"column:name"`
	NamedFromLocation       bool       `gorm:"column:named_from_location"`
	CQCProviderID           *string    `gorm:"column:cqc_provider_id"`
	CompaniesHouseNumber    *string    `gorm:"column:companies_house_number"`
	ContactName             string     `gorm:"column:contact_name"`
	ContactEmail            string     `gorm:"column:contact_email"`
	ContactPhone            string     `gorm:"column:contact_phone"`
	Website                 string     `gorm:"column:website"`
	ContractStatus          string     `gorm:"column:contract_status"`
	ContractStatusReason    string     `gorm:"column:contract_status_reason"`
	ContractStatusChangedAt *time.Time `gorm:"column:contract_status_changed_at"`
	ContractStatusChangedBy *uuid.UUID `gorm:"column:contract_status_changed_by;type:uuid"`
	CreatedAt               time.Time  `gorm:"column:created_at"`
	UpdatedAt               time.Time  `gorm:"column:updated_at"`
}

func (orgRow) TableName() string { return "provider_organisations" }

func (r orgRow) organisation() Organisation {
	return Organisation{
		ID: r.ID, Name: r.Name, NamedFromLocation: r.NamedFromLocation, CQCProviderID: deref(r.CQCProviderID),
		CompaniesHouseNumber: deref(r.CompaniesHouseNumber), ContactName: r.ContactName, ContactEmail: r.ContactEmail,
		ContactPhone: r.ContactPhone, Website: r.Website, ContractStatus: ContractStatus(r.ContractStatus),
		ContractStatusReason: r.ContractStatusReason, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
}

// Organisation returns the organisation with the given id, or NotFound. It
// does not check who is asking: use OrganisationFor on behalf of a person.
func (s *Store) Organisation(ctx context.Context, id uuid.UUID) (Organisation, error) {
	var r orgRow
	if err := s.db.Gorm(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return Organisation{}, notFound(err, "no such provider")
	}
	return r.organisation(), nil
}

// OrganisationFor returns the organisation if the actor may see it; another
// provider's organisation is NotFound.
func (s *Store) OrganisationFor(ctx context.Context, a accounts.Actor, id uuid.UUID) (Organisation, error) {
	if err := mayRead(a, id); err != nil {
		return Organisation{}, err
	}
	return s.Organisation(ctx, id)
}

// Organisations lists organisations whose name contains search (all when
// empty), by name, at most limit (1 to 500) from offset. Only council staff
// may list.
func (s *Store) Organisations(ctx context.Context, a accounts.Actor, search string, limit, offset int) ([]Organisation, error) {
	if !a.Is(accounts.Broker, accounts.Admin, accounts.Practitioner, accounts.BudgetApprover, accounts.System) {
		return nil, errs.Forbiddenf("a %s cannot list providers", a.Role)
	}
	if limit < 1 || limit > 500 {
		limit = 100
	}
	// A list to look through: the read replica may serve it.
	q := s.db.Gorm(postgres.TolerateLag(ctx)).Order("lower(name), id").Limit(limit).Offset(max(offset, 0))
	if search = strings.TrimSpace(search); search != "" {
		q = q.Where("name ILIKE ?", "%"+escapeLike(search)+"%")
	}
	var rows []orgRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, postgres.Translate(err)
	}
	out := make([]Organisation, len(rows))
	for i, r := range rows {
		out[i] = r.organisation()
	}
	return out, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// CreateOrganisation adds a provider. Only brokers and administrators may.
// It returns Invalid naming the field, or Conflict when the name, CQC
// provider id or Companies House number is already taken.
func (s *Store) CreateOrganisation(ctx context.Context, a accounts.Actor, n NewOrganisation) (Organisation, error) {
	if err := mayManage(a); err != nil {
		return Organisation{}, err
	}
	if err := n.Validate(); err != nil {
		return Organisation{}, err
	}
	row := orgRow{
		Name: n.Name, CQCProviderID: nullIfEmpty(n.CQCProviderID), CompaniesHouseNumber: nullIfEmpty(n.CompaniesHouseNumber),
		ContactName: n.ContactName, ContactEmail: n.ContactEmail, ContactPhone: n.ContactPhone, Website: n.Website,
		ContractStatus: string(ContractNone),
	}
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		if err := db.Omit("id", "created_at", "updated_at", "contract_status_changed_at", "contract_status_changed_by").Create(&row).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "provider_organisation.create", ObjectType: "provider_organisation", ObjectID: row.ID.String(), Summary: n})
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		field := "name"
		switch postgres.ConstraintName(err) {
		case "provider_organisations_cqc_key":
			field = "cqc_provider_id"
		case "provider_organisations_ch_key":
			field = "companies_house_number"
		}
		return Organisation{}, &errs.Error{Code: errs.Conflict, Field: field, Message: "another provider already has this " + strings.ReplaceAll(field, "_", " ")}
	}
	if err != nil {
		return Organisation{}, postgres.Translate(err)
	}
	return s.Organisation(ctx, row.ID)
}
