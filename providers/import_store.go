package providers

import (
	"context"
	"errors"
	"log/slog"
	"sort"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/audit"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

// analyzeAfter is how many locations an import must create or change
// before it refreshes the directory tables' statistics.
const analyzeAfter = 50

const analyzeDirectory = `ANALYZE provider_organisations, provider_locations, provider_services, provider_capacity, provider_rates,
	framework_memberships, provider_suspensions, provider_documents`

type importOutcome int

const (
	importUnchanged importOutcome = iota
	importCreated
	importUpdated
)

// Import writes a parsed batch into the directory. Locations are found by
// CQC location id, or by name and postcode where there is none, so
// importing the same file twice changes nothing and a newer file updates
// in place. Each location is written in its own savepoint inside one
// transaction: a location that cannot be stored is reported and the rest
// still import. Only administrators may import. It returns Forbidden for
// other roles; a failure of the database itself rolls everything back.
func (s *Store) Import(ctx context.Context, a accounts.Actor, b ImportBatch) (ImportReport, error) {
	rep := ImportReport{Format: b.Format, Read: b.Read, Issues: []ImportIssue{}}
	if !a.Is(accounts.Admin, accounts.System) {
		return rep, errs.Forbiddenf("only administrators import the provider directory")
	}
	records, combined := b.combine()
	rep.Combined = combined
	issues := b.Issues
	skip := func(r *LocationRecord, field, value, problem string) {
		// Nothing of the row was imported, so its value-level notes now
		// describe a skipped row too.
		line, item := r.where()
		for i := range issues {
			if issues[i].Line == line && issues[i].Item == item && issues[i].Outcome == OutcomeValueSkipped {
				issues[i].Outcome = OutcomeRowSkipped
			}
		}
		issues = append(issues, ImportIssue{Line: line, Item: item, Field: field, Value: value, Problem: problem, Outcome: OutcomeRowSkipped})
	}
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		// One import at a time: two would race to create the same locations.
		if err := db.Exec(`SELECT pg_advisory_xact_lock(727274010)`).Error; err != nil {
			return err
		}
		for i := range records {
			r := &records[i]
			var outcome importOutcome
			err := tx.Transaction(ctx, func(sp *postgres.Tx) error {
				var err error
				outcome, err = s.importLocation(ctx, sp, a, r)
				return err
			})
			if e := errs.As(err); e != nil && e.Code == errs.Invalid {
				skip(r, e.Field, "", e.Message)
				continue
			}
			if err != nil && postgres.IsUnavailable(err) {
				return err
			}
			if err != nil {
				slog.ErrorContext(ctx, "import: location not stored", "where", r.describe(), "error", err)
				skip(r, "", "", "could not be stored: "+err.Error())
				continue
			}
			switch outcome {
			case importCreated:
				rep.Created++
			case importUpdated:
				rep.Updated++
			default:
				rep.Unchanged++
			}
		}
		if rep.Created+rep.Updated == 0 {
			return nil // nothing changed, so there is nothing to record
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: a, Action: "provider_directory.import", ObjectType: "provider_directory", ObjectID: b.Format,
			Summary: map[string]int{"read": rep.Read, "created": rep.Created, "updated": rep.Updated, "unchanged": rep.Unchanged,
				"combined": rep.Combined, "skipped": skippedRows(issues)}})
	})
	if err != nil {
		return ImportReport{Format: b.Format, Read: b.Read, Issues: []ImportIssue{}}, postgres.Translate(err)
	}
	if rep.Created+rep.Updated >= analyzeAfter {
		// A large import changes the tables' make-up; fresh statistics keep
		// the planner from nested loops sized for an empty directory.
		if err := s.db.Gorm(ctx).Exec(analyzeDirectory).Error; err != nil {
			slog.WarnContext(ctx, "import: could not analyze the directory tables", "error", err)
		}
	}
	sort.SliceStable(issues, func(i, j int) bool {
		return issues[i].Line < issues[j].Line || issues[i].Line == issues[j].Line && issues[i].Item < issues[j].Item
	})
	rep.Issues = issues
	rep.Skipped = skippedRows(issues)
	return rep, nil
}

// skippedRows counts the rows with a row_skipped issue (a row may have
// several).
func skippedRows(issues []ImportIssue) int {
	rows := map[string]bool{}
	for _, is := range issues {
		if is.Outcome == OutcomeRowSkipped {
			rows[is.Where()] = true
		}
	}
	return len(rows)
}

// importLocation writes one record inside savepoint tx and says whether it
// created, updated or left alone its location. Invalid errors skip the
// record with their message.
func (s *Store) importLocation(ctx context.Context, tx *postgres.Tx, a accounts.Actor, r *LocationRecord) (importOutcome, error) {
	db := tx.Gorm(ctx)
	lat, lon, source, err := locate(ctx, db, r.Postcode, r.Latitude, r.Longitude)
	if err != nil {
		if errs.Is(err, errs.Invalid) {
			return 0, errs.InvalidField("postcode", "%s is not in the postcode lookup and the row gives no usable coordinates", r.Postcode)
		}
		return 0, err
	}
	existing, err := findLocation(db, r)
	if err != nil {
		return 0, err
	}
	orgID, orgChanged, err := s.importOrganisation(db, r, existing)
	if err != nil {
		return 0, err
	}
	changes := map[string]any{}
	var loc locationRow
	outcome := importUnchanged
	if existing == nil {
		loc = locationRow{OrganisationID: orgID, Name: r.Name, CQCLocationID: nullIfEmpty(r.CQCLocationID), Address: r.Address,
			Postcode: r.Postcode, Latitude: lat, Longitude: lon, CoordinatesSource: source, Telephone: r.Telephone,
			Website: r.Website, Email: r.Email, LocalAuthority: r.LocalAuthority, RegistrationStatus: string(NotRegistered),
			Rating: string(NotYetRated), LastInspectedOn: r.LastInspectedOn}
		if r.Registration != "" {
			loc.RegistrationStatus = string(r.Registration)
		}
		if err := db.Omit("id", "created_at", "updated_at").Create(&loc).Error; err != nil {
			return 0, err
		}
		outcome = importCreated
	} else {
		loc = *existing
		changes = locationChanges(&loc, r, lat, lon, source)
		if orgChanged {
			changes["organisation_id"] = orgID
		}
		if len(changes) > 0 {
			changes["updated_at"] = gorm.Expr("now()")
			if err := db.Model(&locationRow{}).Where("id = ?", loc.ID).Updates(changes).Error; err != nil {
				return 0, err
			}
			loc.OrganisationID = orgID
			outcome = importUpdated
		}
		if orgChanged {
			if err := dropEmptyStandIn(db, existing.OrganisationID); err != nil {
				return 0, err
			}
		}
	}
	serviceChanges, err := importServices(db, loc, r.ServiceTypes)
	if err != nil {
		return 0, err
	}
	if outcome == importUnchanged && len(serviceChanges) > 0 {
		outcome = importUpdated
	}
	if outcome == importUnchanged {
		return outcome, nil
	}
	delete(changes, "updated_at")
	action := "provider_location.import_update"
	if outcome == importCreated {
		action = "provider_location.import_create"
	}
	line, item := r.where()
	return outcome, audit.Record(ctx, tx, audit.Entry{Actor: a, Action: action, ObjectType: "provider_location", ObjectID: loc.ID.String(),
		Summary: map[string]any{"line": line, "item": item, "changes": changes, "services": serviceChanges}})
}

// findLocation finds the stored location a record describes, locked:
// by CQC location id, else by name and postcode. A record with a CQC id
// adopts a location known so far only by name and postcode. A record
// without one does not change a location identified by its CQC id: such a
// file is the weaker source, and letting both win would flip the location
// back and forth on every import.
func findLocation(tx *gorm.DB, r *LocationRecord) (*locationRow, error) {
	var rows []locationRow
	if r.CQCLocationID != "" {
		if err := tx.Raw(`SELECT * FROM provider_locations WHERE cqc_location_id = ? FOR UPDATE`, r.CQCLocationID).Scan(&rows).Error; err != nil {
			return nil, err
		}
		if len(rows) == 0 {
			err := tx.Raw(`SELECT * FROM provider_locations WHERE cqc_location_id IS NULL AND lower(name) = lower(?) AND postcode = ? FOR UPDATE`,
				r.Name, r.Postcode).Scan(&rows).Error
			if err != nil {
				return nil, err
			}
		}
	} else {
		err := tx.Raw(`SELECT * FROM provider_locations WHERE lower(name) = lower(?) AND postcode = ? ORDER BY cqc_location_id NULLS FIRST FOR UPDATE`,
			r.Name, r.Postcode).Scan(&rows).Error
		if err != nil {
			return nil, err
		}
		if len(rows) > 0 && rows[0].CQCLocationID != nil {
			return nil, errs.InvalidField("name", "%s at %s is in the directory as CQC location %s; a row without a CQC location id does not change it",
				r.Name, r.Postcode, *rows[0].CQCLocationID)
		}
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// locationChanges compares a stored location with a record and returns the
// columns to update, applying them to loc.
func locationChanges(loc *locationRow, r *LocationRecord, lat, lon float64, source string) map[string]any {
	ch := map[string]any{}
	set := func(col string, stored *string, value string) {
		if *stored != value {
			ch[col], *stored = value, value
		}
	}
	set("name", &loc.Name, r.Name)
	set("address", &loc.Address, r.Address)
	set("postcode", &loc.Postcode, r.Postcode)
	set("coordinates_source", &loc.CoordinatesSource, source)
	if loc.Latitude != lat || loc.Longitude != lon {
		ch["latitude"], ch["longitude"], loc.Latitude, loc.Longitude = lat, lon, lat, lon
	}
	if r.CQCLocationID != "" && deref(loc.CQCLocationID) != r.CQCLocationID {
		ch["cqc_location_id"], loc.CQCLocationID = r.CQCLocationID, &r.CQCLocationID
	}
	if r.Has.Telephone {
		set("telephone", &loc.Telephone, r.Telephone)
	}
	if r.Has.Website {
		set("website", &loc.Website, r.Website)
	}
	if r.Has.Email {
		set("email", &loc.Email, r.Email)
	}
	if r.Has.LocalAuthority {
		set("local_authority", &loc.LocalAuthority, r.LocalAuthority)
	}
	if r.Registration != "" {
		set("registration_status", &loc.RegistrationStatus, string(r.Registration))
	}
	if r.Has.Inspection && loc.LastInspectedOn != r.LastInspectedOn {
		ch["last_inspected_on"], loc.LastInspectedOn = r.LastInspectedOn, r.LastInspectedOn
	}
	return ch
}

// importServices makes the location offer exactly the record's service
// types: missing ones are added, inactive ones offered again, and ones the
// record no longer lists become inactive (never deleted: capacity, rates
// and agreements refer to them). It returns what changed.
func importServices(tx *gorm.DB, loc locationRow, types []ServiceType) (map[string]string, error) {
	var rows []serviceRow
	if err := tx.Where("location_id = ?", loc.ID).Find(&rows).Error; err != nil {
		return nil, err
	}
	byType := map[ServiceType]serviceRow{}
	for _, row := range rows {
		byType[ServiceType(row.ServiceType)] = row
	}
	changed := map[string]string{}
	for _, t := range types {
		row, ok := byType[t]
		switch {
		case !ok:
			row = newServiceRow(loc, t)
			if err := createService(tx, &row); err != nil {
				return nil, err
			}
			changed[string(t)] = "added"
		case row.Status != string(ServiceActive):
			if err := tx.Model(&serviceRow{}).Where("id = ?", row.ID).Updates(map[string]any{"status": ServiceActive, "status_reason": "", "updated_at": gorm.Expr("now()")}).Error; err != nil {
				return nil, err
			}
			changed[string(t)] = "offered again"
		}
	}
	for t, row := range byType {
		if row.Status == string(ServiceActive) && !containsType(types, t) {
			if err := tx.Model(&serviceRow{}).Where("id = ?", row.ID).Updates(map[string]any{
				"status": ServiceInactive, "status_reason": "no longer listed by the imported directory", "updated_at": gorm.Expr("now()")}).Error; err != nil {
				return nil, err
			}
			changed[string(t)] = "no longer offered"
		}
	}
	return changed, nil
}

// importOrganisation finds (or creates) the organisation a record's
// location belongs to: the named provider; else the location's current
// one; else a stand-in carrying the location's name. changed reports a
// move of an existing location to another organisation.
func (s *Store) importOrganisation(tx *gorm.DB, r *LocationRecord, existing *locationRow) (id uuid.UUID, changed bool, err error) {
	if !r.Has.Provider || r.ProviderName == "" {
		if existing != nil {
			return existing.OrganisationID, false, nil
		}
		org := orgRow{Name: r.Name, NamedFromLocation: true, ContractStatus: string(ContractNone), CompaniesHouseNumber: nullIfEmpty(r.CompaniesHouseNumber)}
		err := tx.Omit("id", "created_at", "updated_at", "contract_status_changed_at", "contract_status_changed_by").Create(&org).Error
		return org.ID, false, err
	}
	var rows []orgRow
	if err := tx.Raw(`SELECT * FROM provider_organisations WHERE NOT named_from_location AND lower(name) = lower(?)`, r.ProviderName).Scan(&rows).Error; err != nil {
		return uuid.Nil, false, err
	}
	if len(rows) == 0 {
		org := orgRow{Name: r.ProviderName, ContractStatus: string(ContractNone), CompaniesHouseNumber: nullIfEmpty(r.CompaniesHouseNumber)}
		if err := tx.Omit("id", "created_at", "updated_at", "contract_status_changed_at", "contract_status_changed_by").Create(&org).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return uuid.Nil, false, errs.InvalidField("provider", "another provider already has Companies House number %s", r.CompaniesHouseNumber)
			}
			return uuid.Nil, false, err
		}
		rows = append(rows, org)
	} else if r.CompaniesHouseNumber != "" && rows[0].CompaniesHouseNumber == nil {
		if err := tx.Model(&orgRow{}).Where("id = ?", rows[0].ID).Update("companies_house_number", r.CompaniesHouseNumber).Error; err != nil {
			return uuid.Nil, false, err
		}
	}
	return rows[0].ID, existing != nil && existing.OrganisationID != rows[0].ID, nil
}

// dropEmptyStandIn deletes an organisation that only stood in for a
// location's unnamed provider, once nothing refers to it any more.
func dropEmptyStandIn(tx *gorm.DB, orgID uuid.UUID) error {
	return tx.Exec(`DELETE FROM provider_organisations o WHERE o.id = ? AND o.named_from_location
		AND NOT EXISTS (SELECT 1 FROM provider_locations WHERE organisation_id = o.id)
		AND NOT EXISTS (SELECT 1 FROM provider_services WHERE organisation_id = o.id)
		AND NOT EXISTS (SELECT 1 FROM users WHERE provider_org_id = o.id)
		AND NOT EXISTS (SELECT 1 FROM framework_memberships WHERE organisation_id = o.id)
		AND NOT EXISTS (SELECT 1 FROM provider_suspensions WHERE organisation_id = o.id)
		AND NOT EXISTS (SELECT 1 FROM provider_documents WHERE organisation_id = o.id)`, orgID).Error
}
