// Package openreferral speaks the Open Referral UK profile (HSDS 3) of the
// provider directory: it renders the directory as ORUK services for the
// council's published directory, and reads ORUK JSON into import records.
// The schemas the output is tested against are in schema/, with their
// licence.
package openreferral

// Page is a page of a paginated ORUK list (the API's Page schema) holding
// services in their list shape.
type Page struct {
	TotalItems int           `json:"total_items"`
	TotalPages int           `json:"total_pages"`
	PageNumber int           `json:"page_number"`
	Size       int           `json:"size"`
	FirstPage  bool          `json:"first_page"`
	LastPage   bool          `json:"last_page"`
	Empty      bool          `json:"empty"`
	Contents   []ServiceItem `json:"contents"`
}

// ServiceItem is a service in a list: its one-to-one fields and its
// organisation (schema/compiled/service_list.json).
type ServiceItem struct {
	ID             string        `json:"id"`
	OrganizationID string        `json:"organization_id,omitempty"`
	Name           string        `json:"name"`
	Description    string        `json:"description,omitempty"`
	URL            string        `json:"url,omitempty"`
	Email          string        `json:"email,omitempty"`
	Status         string        `json:"status"`
	LastModified   string        `json:"last_modified,omitempty"`
	Organization   *Organization `json:"organization,omitempty"`
}

// Service is a fully nested service (schema/compiled/service.json).
type Service struct {
	ServiceItem
	ServiceAreas       []ServiceArea       `json:"service_areas,omitempty"`
	ServiceAtLocations []ServiceAtLocation `json:"service_at_locations,omitempty"`
	Languages          []Language          `json:"languages,omitempty"`
	Attributes         []Attribute         `json:"attributes,omitempty"`
	Contacts           []Contact           `json:"contacts,omitempty"`
}

// Organization is a provider organisation.
type Organization struct {
	ID                      string                   `json:"id"`
	Name                    string                   `json:"name"`
	Description             string                   `json:"description"`
	Email                   string                   `json:"email,omitempty"`
	Website                 string                   `json:"website,omitempty"`
	OrganizationIdentifiers []OrganizationIdentifier `json:"organization_identifiers,omitempty"`
	Services                []Service                `json:"services,omitempty"`
}

// OrganizationIdentifier is a third-party identifier of an organisation,
// such as its Companies House number (scheme GB-COH).
type OrganizationIdentifier struct {
	ID               string `json:"id"`
	OrganizationID   string `json:"organization_id,omitempty"`
	IdentifierScheme string `json:"identifier_scheme,omitempty"`
	IdentifierType   string `json:"identifier_type"`
	Identifier       string `json:"identifier"`
}

// ServiceArea says where a service is available.
type ServiceArea struct {
	ID          string `json:"id"`
	ServiceID   string `json:"service_id,omitempty"`
	Name        string `json:"name,omitempty"`
	Extent      string `json:"extent,omitempty"`
	ExtentType  string `json:"extent_type,omitempty"`
	ServiceArea string `json:"service_area,omitempty"`
}

// ServiceAtLocation links a service to a location.
type ServiceAtLocation struct {
	ID         string    `json:"id"`
	ServiceID  string    `json:"service_id,omitempty"`
	LocationID string    `json:"location_id,omitempty"`
	Location   *Location `json:"location,omitempty"`
}

// Location is a place.
type Location struct {
	ID                     string    `json:"id"`
	LocationType           string    `json:"location_type"`
	Name                   string    `json:"name,omitempty"`
	Description            string    `json:"description,omitempty"`
	Latitude               *float64  `json:"latitude,omitempty"`
	Longitude              *float64  `json:"longitude,omitempty"`
	ExternalIdentifier     string    `json:"external_identifier,omitempty"`
	ExternalIdentifierType string    `json:"external_identifier_type,omitempty"`
	Addresses              []Address `json:"addresses,omitempty"`
}

// Address is a location's address.
type Address struct {
	ID            string `json:"id"`
	LocationID    string `json:"location_id,omitempty"`
	Address1      string `json:"address_1"`
	City          string `json:"city"`
	Region        string `json:"region,omitempty"`
	StateProvince string `json:"state_province"`
	PostalCode    string `json:"postal_code"`
	Country       string `json:"country"`
	AddressType   string `json:"address_type"`
}

// Language is a language a service is offered in. The UK profile's
// compiled schema lists only the ids; the name is HSDS 3's.
type Language struct {
	ID        string `json:"id"`
	ServiceID string `json:"service_id,omitempty"`
	Name      string `json:"name,omitempty"`
}

// Attribute tags a service with a taxonomy term.
type Attribute struct {
	ID             string        `json:"id"`
	LinkID         string        `json:"link_id,omitempty"`
	TaxonomyTermID string        `json:"taxonomy_term_id,omitempty"`
	LinkType       string        `json:"link_type,omitempty"`
	TaxonomyTerm   *TaxonomyTerm `json:"taxonomy_term,omitempty"`
}

// TaxonomyTerm is a term of a taxonomy.
type TaxonomyTerm struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Taxonomy    string `json:"taxonomy,omitempty"`
	TaxonomyID  string `json:"taxonomy_id,omitempty"`
	Term        string `json:"term,omitempty"`
}

// Contact is a named contact of a service.
type Contact struct {
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	Title string `json:"title,omitempty"`
}
