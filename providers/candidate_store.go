package providers

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/postgres"
)

// scope is a condition on provider_services (aliased s) with its arguments,
// shared by every query that loads one set of candidates.
type scope struct {
	where string
	args  []any
}

// Candidates returns every active service of the given types with
// everything matching needs, in six queries whatever their number: the
// services with their locations and organisations, then the capacity
// calendars, rates, framework memberships, suspensions and accepted
// insurance evidence of all of them. Candidates come in a stable order (by
// service id). It returns Invalid naming "types" for an unknown type.
func (s *Store) Candidates(ctx context.Context, types []ServiceType) ([]Candidate, error) {
	codes := make([]string, 0, len(types))
	for i, t := range types {
		if !t.Valid() {
			return nil, errs.InvalidField(indexed("types", i), "%q is not a service type; use one of %s", string(t), ServiceTypeCodes())
		}
		codes = append(codes, string(t))
	}
	if len(codes) == 0 {
		return []Candidate{}, nil
	}
	sc := scope{where: "s.status = 'active' AND s.service_type IN ?", args: []any{codes}}
	return s.loadCandidates(ctx, s.db.Gorm(ctx), sc, true)
}

// CandidatesByID returns the services with the given ids, whatever their
// status, with their compliance facts but without capacity and rates,
// which compliance does not need: what brokerage asks the matcher's rules
// about when it says whether a service is eligible. It reads in five
// queries whatever the number of services. Ids that name no service are
// left out.
func (s *Store) CandidatesByID(ctx context.Context, serviceIDs []uuid.UUID) ([]Candidate, error) {
	if len(serviceIDs) == 0 {
		return []Candidate{}, nil
	}
	ids := make(textArray, len(serviceIDs))
	for i, id := range serviceIDs {
		ids[i] = id.String()
	}
	// One array parameter, not one per id: hundreds of ids plan faster so.
	return s.loadCandidates(ctx, s.db.Gorm(ctx), scope{where: "s.id = ANY(?::uuid[])", args: []any{ids}}, false)
}

// loadCandidates reads the services in sc and their facts. withCalendar
// adds capacity and rates, which compliance does not need.
func (s *Store) loadCandidates(ctx context.Context, db *gorm.DB, sc scope, withCalendar bool) ([]Candidate, error) {
	db = db.WithContext(ctx)
	var recs []serviceRecord
	if err := db.Raw(serviceSelect+" WHERE "+sc.where+" ORDER BY s.id", sc.args...).Scan(&recs).Error; err != nil {
		return nil, postgres.Translate(err)
	}
	cands := make([]Candidate, len(recs))
	byService := make(map[uuid.UUID]*Candidate, len(recs))
	byOrg := map[uuid.UUID][]*Candidate{}
	for i := range recs {
		cands[i] = recs[i].candidate()
		c := &cands[i]
		byService[c.ServiceID] = c
		byOrg[c.OrganisationID] = append(byOrg[c.OrganisationID], c)
	}
	if len(cands) == 0 {
		return cands, nil
	}
	if withCalendar {
		if err := loadCapacity(db, sc, byService); err != nil {
			return nil, err
		}
		if err := loadRates(db, sc, byService); err != nil {
			return nil, err
		}
	}
	if err := loadMemberships(db, sc, byOrg); err != nil {
		return nil, err
	}
	if err := loadSuspensions(db, sc, byOrg); err != nil {
		return nil, err
	}
	if err := loadInsurance(db, sc, byOrg); err != nil {
		return nil, err
	}
	return cands, nil
}

// orgsIn is the organisations of the services in a scope, as a subquery.
const orgsIn = `(SELECT s.organisation_id FROM provider_services s WHERE `

func loadCapacity(db *gorm.DB, sc scope, byService map[uuid.UUID]*Candidate) error {
	var rows []capacityRow
	err := db.Raw(`SELECT c.service_id, c.from_date, c.units, c.reserved_units FROM provider_capacity c
		JOIN provider_services s ON s.id = c.service_id WHERE `+sc.where+` ORDER BY c.service_id, c.from_date`, sc.args...).Scan(&rows).Error
	if err != nil {
		return postgres.Translate(err)
	}
	for _, r := range rows {
		if c := byService[r.ServiceID]; c != nil {
			c.Capacity = append(c.Capacity, r.step())
		}
	}
	return nil
}

func loadRates(db *gorm.DB, sc scope, byService map[uuid.UUID]*Candidate) error {
	var rows []rateRow
	err := db.Raw(`SELECT r.id, r.service_id, r.pence, r.valid_from, r.valid_to, r.created_at, s.service_type FROM provider_rates r
		JOIN provider_services s ON s.id = r.service_id WHERE `+sc.where+` ORDER BY r.service_id, r.valid_from`, sc.args...).Scan(&rows).Error
	if err != nil {
		return postgres.Translate(err)
	}
	for _, r := range rows {
		if c := byService[r.ServiceID]; c != nil {
			c.Rates = append(c.Rates, r.rate())
		}
	}
	return nil
}

// membershipRecord is a membership joined with its lot and framework.
type membershipRecord struct {
	ID                uuid.UUID `gorm:"column:id"`
	OrganisationID    uuid.UUID `gorm:"column:organisation_id"`
	FrameworkID       uuid.UUID `gorm:"column:framework_id"`
	FrameworkName     string    `gorm:"column:framework_name"`
	Kind              string    `gorm:"column:kind"`
	LotID             uuid.UUID `gorm:"column:lot_id"`
	LotName           string    `gorm:"column:lot_name"`
	ServiceTypes      textArray `gorm:"column:service_types"`
	StartsOn          day.Date  `gorm:"column:starts_on"`
	EndsOn            day.Date  `gorm:"column:ends_on"`
	FrameworkStartsOn day.Date  `gorm:"column:framework_starts_on"`
	FrameworkEndsOn   day.Date  `gorm:"column:framework_ends_on"`
	EndReason         string    `gorm:"column:end_reason"`
}

const membershipSelect = `SELECT m.id, m.organisation_id, f.id AS framework_id, f.name AS framework_name, f.kind,
	l.id AS lot_id, l.name AS lot_name, l.service_types, m.starts_on, m.ends_on,
	f.starts_on AS framework_starts_on, f.ends_on AS framework_ends_on, m.end_reason
	FROM framework_memberships m JOIN framework_lots l ON l.id = m.lot_id JOIN frameworks f ON f.id = l.framework_id`

func (r membershipRecord) membership() Membership {
	return Membership{
		ID: r.ID, OrganisationID: r.OrganisationID, FrameworkID: r.FrameworkID, FrameworkName: r.FrameworkName,
		Kind: FrameworkKind(r.Kind), LotID: r.LotID, LotName: r.LotName, ServiceTypes: serviceTypesOf(r.ServiceTypes),
		StartsOn: r.StartsOn, EndsOn: r.EndsOn, FrameworkStartsOn: r.FrameworkStartsOn, FrameworkEndsOn: r.FrameworkEndsOn,
		EndReason: r.EndReason,
	}
}

func loadMemberships(db *gorm.DB, sc scope, byOrg map[uuid.UUID][]*Candidate) error {
	var recs []membershipRecord
	err := db.Raw(membershipSelect+` WHERE m.organisation_id IN `+orgsIn+sc.where+`) ORDER BY m.organisation_id, m.starts_on, m.id`, sc.args...).Scan(&recs).Error
	if err != nil {
		return postgres.Translate(err)
	}
	for _, r := range recs {
		m := r.membership()
		for _, c := range byOrg[r.OrganisationID] {
			if m.Covers(c.ServiceType) {
				c.Compliance.Memberships = append(c.Compliance.Memberships, m)
			}
		}
	}
	return nil
}

func loadSuspensions(db *gorm.DB, sc scope, byOrg map[uuid.UUID][]*Candidate) error {
	var rows []suspensionRow
	err := db.Raw(`SELECT * FROM provider_suspensions WHERE organisation_id IN `+orgsIn+sc.where+`) ORDER BY organisation_id, starts_on, id`, sc.args...).Scan(&rows).Error
	if err != nil {
		return postgres.Translate(err)
	}
	for _, r := range rows {
		sus := r.suspension()
		for _, c := range byOrg[r.OrganisationID] {
			if sus.ServiceID == uuid.Nil || sus.ServiceID == c.ServiceID {
				c.Compliance.Suspensions = append(c.Compliance.Suspensions, sus)
			}
		}
	}
	return nil
}

func loadInsurance(db *gorm.DB, sc scope, byOrg map[uuid.UUID][]*Candidate) error {
	var rows []struct {
		OrganisationID uuid.UUID `gorm:"column:organisation_id"`
		ValidFrom      day.Date  `gorm:"column:valid_from"`
		ExpiresOn      day.Date  `gorm:"column:expires_on"`
	}
	err := db.Raw(`SELECT organisation_id, valid_from, expires_on FROM provider_documents
		WHERE kind = 'insurance' AND status = 'accepted' AND organisation_id IN `+orgsIn+sc.where+`)
		ORDER BY organisation_id, valid_from`, sc.args...).Scan(&rows).Error
	if err != nil {
		return postgres.Translate(err)
	}
	for _, r := range rows {
		for _, c := range byOrg[r.OrganisationID] {
			c.Compliance.InsuranceCover = append(c.Compliance.InsuranceCover, InsuranceCover{From: r.ValidFrom, To: r.ExpiresOn})
		}
	}
	return nil
}

// suspensionRow is a row of provider_suspensions.
type suspensionRow struct {
	ID             uuid.UUID  `gorm:"column:id;type:uuid;primaryKey;default:gen_random_uuid()"`
	OrganisationID uuid.UUID  `gorm:"column:organisation_id"`
	ServiceID      *uuid.UUID `gorm:"column:service_id;type:uuid"`
	Kind           string     `gorm:"column:kind"`
	Reason         string     `gorm:"column:reason"`
	StartsOn       day.Date   `gorm:"column:starts_on"`
	EndsOn         day.Date   `gorm:"column:ends_on"`
	CreatedAt      time.Time  `gorm:"column:created_at"`
	CreatedBy      *uuid.UUID `gorm:"column:created_by;type:uuid"`
	UpdatedAt      time.Time  `gorm:"column:updated_at"`
	UpdatedBy      *uuid.UUID `gorm:"column:updated_by;type:uuid"`
}

func (suspensionRow) TableName() string { return "provider_suspensions" }

func (r suspensionRow) suspension() Suspension {
	sus := Suspension{ID: r.ID, OrganisationID: r.OrganisationID, Kind: r.Kind, Reason: r.Reason,
		StartsOn: r.StartsOn, EndsOn: r.EndsOn, CreatedAt: r.CreatedAt.UTC()}
	if r.ServiceID != nil {
		sus.ServiceID = *r.ServiceID
	}
	return sus
}
