package openreferral

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"regexp"
	"strings"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/providers"
)

// Format names Open Referral UK JSON for the importer.
const Format = "openreferral"

// maxImportBytes bounds an import file.
const maxImportBytes = 64 << 20

// Parse reads Open Referral UK JSON: a service, a page of services
// ({"contents": [...]}), a list of services, or an organisation with its
// services. Each service becomes one record (one service type at one
// location). A service it cannot use is reported by its place in the
// document (such as "contents[3]") with the reason, and left out. It
// returns Invalid naming "file" only when the document is not JSON or has
// none of those shapes.
func Parse(r io.Reader) (providers.ImportBatch, error) {
	b := providers.ImportBatch{Format: Format, OnePerService: true}
	data, err := io.ReadAll(io.LimitReader(r, maxImportBytes+1))
	if err != nil {
		return b, errs.InvalidField("file", "could not be read: %v", err)
	}
	if len(data) > maxImportBytes {
		return b, errs.InvalidField("file", "is larger than %d bytes", maxImportBytes)
	}
	items, parent, err := serviceItems(data)
	if err != nil {
		return b, err
	}
	for _, it := range items {
		b.Read++
		var svc Service
		if err := json.Unmarshal(it.raw, &svc); err != nil {
			b.Issues = append(b.Issues, providers.ImportIssue{Item: it.path, Field: jsonField(err), Problem: "cannot be read: " + strings.TrimPrefix(err.Error(), "json: "), Outcome: providers.OutcomeRowSkipped})
			continue
		}
		rd := reader{path: it.path, batch: &b}
		if rec, ok := rd.record(svc, parent); ok {
			b.Records = append(b.Records, rec)
		}
	}
	return b, nil
}

type rawItem struct {
	path string
	raw  json.RawMessage
}

// serviceItems finds the services in the document, whatever its shape,
// and the organisation they sit in, if any.
func serviceItems(data []byte) ([]rawItem, *Organization, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var list []json.RawMessage
		if err := json.Unmarshal(trimmed, &list); err != nil {
			return nil, nil, errs.InvalidField("file", "is not valid JSON: %v", err)
		}
		return indexedItems("", list), nil, nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &top); err != nil {
		return nil, nil, errs.InvalidField("file", "is not valid JSON: %v", err)
	}
	if raw, ok := top["contents"]; ok {
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, nil, errs.InvalidField("file", "contents is not a list of services")
		}
		return indexedItems("contents", list), nil, nil
	}
	if raw, ok := top["services"]; ok {
		var org Organization
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, nil, errs.InvalidField("file", "services is not a list of services")
		}
		delete(top, "services")
		rest, _ := json.Marshal(top)
		if err := json.Unmarshal(rest, &org); err != nil {
			return nil, nil, errs.InvalidField("file", "the organisation cannot be read: %v", err)
		}
		return indexedItems("services", list), &org, nil
	}
	if _, ok := top["id"]; ok {
		return []rawItem{{path: "service", raw: trimmed}}, nil, nil
	}
	return nil, nil, errs.InvalidField("file", "is not an Open Referral UK service, page of services, list of services or organisation with services")
}

func indexedItems(prefix string, list []json.RawMessage) []rawItem {
	out := make([]rawItem, len(list))
	for i, raw := range list {
		out[i] = rawItem{path: fmt.Sprintf("%s[%d]", prefix, i), raw: raw}
	}
	return out
}

func jsonField(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return typeErr.Field
	}
	return ""
}

// reader turns one service into a record, noting its issues. It reads on
// past a problem that skips the service, so the report names every one.
type reader struct {
	path    string
	batch   *providers.ImportBatch
	issues  []providers.ImportIssue
	skipped bool
}

func (r *reader) issue(field, value, problem string, outcome providers.Outcome) {
	r.skipped = r.skipped || outcome == providers.OutcomeRowSkipped
	r.issues = append(r.issues, providers.ImportIssue{Item: r.path, Field: field, Value: value, Problem: problem, Outcome: outcome})
}

var cqcLocationID = regexp.MustCompile(`^1-[0-9]{6,12}$`)

func (r *reader) record(svc Service, parent *Organization) (providers.LocationRecord, bool) {
	rec := r.read(svc, parent)
	for _, is := range r.issues {
		if r.skipped {
			is.Outcome = providers.OutcomeRowSkipped
		}
		r.batch.Issues = append(r.batch.Issues, is)
	}
	return rec, !r.skipped
}

func (r *reader) read(svc Service, parent *Organization) providers.LocationRecord {
	rec := providers.LocationRecord{Item: r.path, Has: providers.Has{Website: true, Email: true, Provider: true}}
	if svc.Status != "active" {
		r.issue("status", svc.Status, "only active services are imported", providers.OutcomeRowSkipped)
	}
	rec.ServiceTypes = r.serviceTypes(svc.Attributes)
	if len(rec.ServiceTypes) == 0 {
		r.issue("attributes", "", "no attribute's taxonomy term names a service type the council brokers (such as residential_care or Residential homes)", providers.OutcomeRowSkipped)
	}
	var place *Location
	var field string
	for i, sal := range svc.ServiceAtLocations {
		if sal.Location != nil && sal.Location.LocationType == "physical" {
			place, field = sal.Location, fmt.Sprintf("service_at_locations[%d].location", i)
			break
		}
	}
	if place == nil {
		r.issue("service_at_locations", "", "the service has no physical location", providers.OutcomeRowSkipped)
		return rec
	}
	rec.Name = strings.Join(strings.Fields(place.Name), " ")
	if rec.Name == "" {
		rec.Name = strings.Join(strings.Fields(svc.Name), " ")
	}
	if rec.Name == "" || len(rec.Name) > 300 {
		r.issue(field+".name", rec.Name, "the location has no name (or one longer than 300 characters)", providers.OutcomeRowSkipped)
	}
	if len(place.Addresses) == 0 {
		r.issue(field+".addresses", "", "the location has no address, so no postcode", providers.OutcomeRowSkipped)
	} else {
		addr := place.Addresses[0]
		if pc, ok := providers.NormalisePostcode(addr.PostalCode); ok {
			rec.Postcode = pc
		} else {
			r.issue(field+".addresses[0].postal_code", addr.PostalCode, "is not a UK postcode", providers.OutcomeRowSkipped)
		}
		rec.Address = joinNonEmpty(addr.Address1, addr.City)
		rec.LocalAuthority, rec.Has.LocalAuthority = strings.TrimSpace(addr.StateProvince), true
	}
	if strings.Contains(strings.ToLower(place.ExternalIdentifierType), "cqc") {
		if id := strings.TrimSpace(place.ExternalIdentifier); cqcLocationID.MatchString(id) {
			rec.CQCLocationID, rec.Registration = id, providers.Registered
		} else {
			r.issue(field+".external_identifier", id, "is not a CQC location id like 1-123456789", providers.OutcomeRowSkipped)
		}
	}
	rec.Latitude, rec.Longitude = r.coordinates(field, place)
	r.organisation(&rec, svc.Organization, parent)
	if u := uri(svc.URL); u != "" {
		rec.Website = u
	} else if svc.URL != "" {
		r.issue("url", svc.URL, "is not a web address starting http:// or https://", providers.OutcomeValueSkipped)
	}
	if email := strings.TrimSpace(svc.Email); email != "" {
		if a, err := mail.ParseAddress(email); err == nil && a.Address == email {
			rec.Email = email
		} else {
			r.issue("email", email, "is not an email address", providers.OutcomeValueSkipped)
		}
	}
	if reg := registration(svc.Attributes); reg != "" {
		rec.Registration = reg
	}
	return rec
}

func (r *reader) coordinates(field string, place *Location) (*float64, *float64) {
	if place.Latitude == nil || place.Longitude == nil {
		return nil, nil
	}
	lat, lon := *place.Latitude, *place.Longitude
	switch {
	case lat < -90 || lat > 90:
		r.issue(field+".latitude", fmt.Sprint(lat), "must be between -90 and 90 degrees; the postcode lookup is used instead", providers.OutcomeValueSkipped)
	case lon < -180 || lon > 180:
		r.issue(field+".longitude", fmt.Sprint(lon), "must be between -180 and 180 degrees; the postcode lookup is used instead", providers.OutcomeValueSkipped)
	case lat < 49 || lat > 61 || lon < -9 || lon > 2:
		r.issue(field+".latitude", fmt.Sprintf("%g,%g", lat, lon), "is not in the United Kingdom; the postcode lookup is used instead", providers.OutcomeValueSkipped)
	default:
		return &lat, &lon
	}
	return nil, nil
}

func (r *reader) organisation(rec *providers.LocationRecord, org, parent *Organization) {
	if org == nil {
		org = parent
	}
	if org == nil {
		rec.Has.Provider = false
		return
	}
	rec.ProviderName = strings.Join(strings.Fields(org.Name), " ")
	if strings.EqualFold(rec.ProviderName, rec.Name) {
		// The export names an organisation after its location when no
		// source named the provider; such a name says nothing new.
		rec.Has.Provider, rec.ProviderName = false, ""
	}
	for i, id := range org.OrganizationIdentifiers {
		if id.IdentifierScheme != "GB-COH" {
			continue
		}
		n := strings.ToUpper(strings.TrimSpace(id.Identifier))
		if companiesHouse.MatchString(n) {
			rec.CompaniesHouseNumber = n
		} else {
			r.issue(fmt.Sprintf("organization.organization_identifiers[%d].identifier", i), id.Identifier,
				"is not a Companies House number (8 digits, or 2 letters and 6 digits)", providers.OutcomeValueSkipped)
		}
	}
}

var companiesHouse = regexp.MustCompile(`^([0-9]{8}|[A-Z]{2}[0-9]{6})$`)

// serviceTypes reads the service types from taxonomy terms: our codes
// (the export's carebroker-service-types taxonomy) or CQC service type
// names. Terms of other taxonomies that match neither are ignored.
func (r *reader) serviceTypes(attrs []Attribute) []providers.ServiceType {
	var out []providers.ServiceType
	add := func(t providers.ServiceType) {
		for _, x := range out {
			if x == t {
				return
			}
		}
		out = append(out, t)
	}
	for _, a := range attrs {
		term := a.TaxonomyTerm
		if term == nil {
			continue
		}
		for _, candidate := range []string{term.Term, term.Name} {
			if t, ok := providers.ParseServiceType(candidate); ok {
				add(t)
				break
			}
			if t, brokered, _ := providers.FromCQC(candidate); brokered {
				add(t)
				break
			}
		}
	}
	return out
}

func registration(attrs []Attribute) providers.RegistrationStatus {
	for _, a := range attrs {
		if a.TaxonomyTerm != nil && a.TaxonomyTerm.Taxonomy == TaxonomyRegistration {
			if st := providers.RegistrationStatus(a.TaxonomyTerm.Term); st.Valid() {
				return st
			}
		}
	}
	return ""
}

func joinNonEmpty(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ", ")
}
