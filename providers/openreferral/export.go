package openreferral

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/providers"
)

// namespace makes the ids of the nested things the directory has no rows
// for (addresses, attributes, taxonomy terms) stable from one export to
// the next.
var namespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://carebroker.example/openreferral"))

func derivedID(parts ...string) string {
	return uuid.NewSHA1(namespace, []byte(strings.Join(parts, "/"))).String()
}

// The taxonomies the export tags services with.
const (
	TaxonomyServiceTypes = "carebroker-service-types"
	TaxonomySpecialisms  = "carebroker-specialisms"
	TaxonomyRegistration = "carebroker-cqc-registration"
	cqcIdentifierType    = "CQC location id"
)

// ServiceTypeTermID is the taxonomy term id of a service type, for
// filtering by taxonomy_term_id.
func ServiceTypeTermID(t providers.ServiceType) string {
	return derivedID("term", TaxonomyServiceTypes, string(t))
}

// NewPage renders one page of the directory. perPage is the page size
// asked for; total the number of services in all. Size is the number of
// services on this page, as the standard's Page defines it: fewer than
// perPage on the last page.
func NewPage(entries []providers.DirectoryEntry, page, perPage, total int) Page {
	p := Page{
		TotalItems: total, TotalPages: (total + perPage - 1) / perPage, PageNumber: page, Size: len(entries),
		FirstPage: page == 1, Contents: make([]ServiceItem, len(entries)),
	}
	p.LastPage = page >= p.TotalPages
	p.Empty = len(entries) == 0
	for i, e := range entries {
		p.Contents[i] = item(e)
	}
	return p
}

func item(e providers.DirectoryEntry) ServiceItem {
	svc, loc := e.Service, e.Service.Location
	status := "active"
	if svc.Status != providers.ServiceActive {
		status = "inactive"
	}
	modified := svc.UpdatedAt
	if loc.UpdatedAt.After(modified) {
		modified = loc.UpdatedAt
	}
	return ServiceItem{
		ID: svc.ID.String(), OrganizationID: svc.OrganisationID.String(),
		Name:        fmt.Sprintf("%s (%s)", loc.Name, svc.ServiceType.English()),
		Description: description(e), URL: uri(loc.Website), Email: loc.Email, Status: status,
		LastModified: modified.UTC().Format("2006-01-02T15:04:05.000Z"),
		Organization: organization(e.Organisation, false),
	}
}

// NewService renders one service fully nested.
func NewService(e providers.DirectoryEntry) Service {
	svc, loc := e.Service, e.Service.Location
	s := Service{ServiceItem: item(e)}
	s.Organization = organization(e.Organisation, true)
	sid, lid := svc.ID.String(), loc.ID.String()
	place := Location{
		ID: lid, LocationType: "physical", Name: loc.Name, Latitude: &loc.Latitude, Longitude: &loc.Longitude,
		Addresses: []Address{address(loc)},
	}
	if loc.CQCLocationID != "" {
		place.ExternalIdentifier, place.ExternalIdentifierType = loc.CQCLocationID, cqcIdentifierType
	}
	s.ServiceAtLocations = []ServiceAtLocation{{ID: derivedID("service_at_location", sid), ServiceID: sid, LocationID: lid, Location: &place}}
	if area := serviceArea(svc, loc); area != "" {
		s.ServiceAreas = []ServiceArea{{ID: derivedID("service_area", sid), ServiceID: sid, Name: area, ServiceArea: area}}
	}
	for _, lang := range svc.Languages {
		s.Languages = append(s.Languages, Language{ID: derivedID("language", sid, lang), ServiceID: sid, Name: lang})
	}
	s.Attributes = append(s.Attributes, attribute(sid, TaxonomyServiceTypes, string(svc.ServiceType), svc.ServiceType.English(),
		"A service type the council arranges under the Care Act 2014"))
	for _, sp := range svc.Specialisms {
		s.Attributes = append(s.Attributes, attribute(sid, TaxonomySpecialisms, sp, englishCode(sp), "A specialist need the service says it meets"))
	}
	s.Attributes = append(s.Attributes, attribute(sid, TaxonomyRegistration, string(loc.RegistrationStatus), englishCode(string(loc.RegistrationStatus)),
		"The location's registration with the Care Quality Commission"))
	return s
}

func attribute(serviceID, taxonomy, code, name, description string) Attribute {
	termID := derivedID("term", taxonomy, code)
	return Attribute{
		ID: derivedID("attribute", serviceID, taxonomy, code), LinkID: serviceID, LinkType: "service", TaxonomyTermID: termID,
		TaxonomyTerm: &TaxonomyTerm{ID: termID, Name: name, Description: description, Taxonomy: taxonomy,
			TaxonomyID: derivedID("taxonomy", taxonomy), Term: code},
	}
}

func englishCode(code string) string {
	s := strings.ReplaceAll(code, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func organization(o providers.Organisation, full bool) *Organization {
	org := &Organization{ID: o.ID.String(), Name: o.Name, Description: "Provider of care services", Website: uri(o.Website)}
	if o.NamedFromLocation {
		org.Description = "Provider of care services (the source named no provider, so this is the name of its location)"
	}
	if full && o.CompaniesHouseNumber != "" {
		org.OrganizationIdentifiers = []OrganizationIdentifier{{
			ID: derivedID("organization_identifier", org.ID, "GB-COH"), OrganizationID: org.ID,
			IdentifierScheme: "GB-COH", IdentifierType: "Company number", Identifier: o.CompaniesHouseNumber,
		}}
	}
	return org
}

func description(e providers.DirectoryEntry) string {
	svc, loc := e.Service, e.Service.Location
	var b strings.Builder
	fmt.Fprintf(&b, "%s at %s", svc.ServiceType.English(), loc.Name)
	if loc.Address != "" {
		fmt.Fprintf(&b, ", %s", loc.Address)
	}
	fmt.Fprintf(&b, ", %s, provided by %s.", loc.Postcode, e.Organisation.Name)
	switch {
	case loc.CQCLocationID != "" && loc.Rating != providers.NotYetRated:
		fmt.Fprintf(&b, " CQC location %s, rated %s on %s.", loc.CQCLocationID, loc.Rating.English(), loc.RatingDate.UK())
	case loc.CQCLocationID != "":
		fmt.Fprintf(&b, " CQC location %s.", loc.CQCLocationID)
	case loc.Rating != providers.NotYetRated:
		fmt.Fprintf(&b, " Rated %s by the CQC on %s.", loc.Rating.English(), loc.RatingDate.UK())
	}
	if svc.Description != "" {
		b.WriteString(" " + svc.Description)
	}
	return b.String()
}

// address splits the directory's one-line address: the last part is the
// town; the local authority stands for the county.
func address(loc providers.Location) Address {
	a := Address{ID: derivedID("address", loc.ID.String()), LocationID: loc.ID.String(), PostalCode: loc.Postcode,
		Country: "GB", AddressType: "physical", StateProvince: loc.LocalAuthority}
	parts := strings.Split(loc.Address, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	switch {
	case len(parts) > 1:
		a.Address1, a.City = strings.Join(parts[:len(parts)-1], ", "), parts[len(parts)-1]
	default:
		a.Address1, a.City = parts[0], loc.LocalAuthority
	}
	return a
}

func serviceArea(svc providers.Service, loc providers.Location) string {
	switch {
	case svc.Coverage.RadiusKm > 0:
		return fmt.Sprintf("Within %g km of %s", svc.Coverage.RadiusKm, loc.Postcode)
	case len(svc.Coverage.PostcodeDistricts) > 0:
		return "Postcode districts " + strings.Join(svc.Coverage.PostcodeDistricts, ", ")
	}
	return ""
}

// uri returns s if it is an absolute http(s) address, else "".
func uri(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return s
}
