package providers

import (
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
)

// ContractStatus is the state of a provider's contract with the council.
// Only an active contract allows new placements. The matching engine keeps
// its own (matching.ContractStatus), which has no "none"; brokerage
// converts in one place.
type ContractStatus string

// The contract statuses. None is a provider the council has no contract
// with (the state of everything an import creates); the others are the
// matching engine's statuses.
const (
	ContractNone       ContractStatus = "none"
	ContractPending    ContractStatus = "pending"
	ContractActive     ContractStatus = "active"
	ContractSuspended  ContractStatus = "suspended"
	ContractTerminated ContractStatus = "terminated"
	ContractExpired    ContractStatus = "expired"
)

// ContractStatuses lists every contract status.
var ContractStatuses = []ContractStatus{ContractNone, ContractPending, ContractActive, ContractSuspended, ContractTerminated, ContractExpired}

// Valid reports whether c is one of the contract statuses.
func (c ContractStatus) Valid() bool {
	for _, x := range ContractStatuses {
		if c == x {
			return true
		}
	}
	return false
}

// Organisation is a provider: the company or charity that runs services.
type Organisation struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
	// NamedFromLocation means the source named no provider, so the
	// organisation carries its only location's name until one does.
	NamedFromLocation    bool           `json:"named_from_location"`
	CQCProviderID        string         `json:"cqc_provider_id,omitempty"`
	CompaniesHouseNumber string         `json:"companies_house_number,omitempty"`
	ContactName          string         `json:"contact_name,omitempty"`
	ContactEmail         string         `json:"contact_email,omitempty"`
	ContactPhone         string         `json:"contact_phone,omitempty"`
	Website              string         `json:"website,omitempty"`
	ContractStatus       ContractStatus `json:"contract_status"`
	ContractStatusReason string         `json:"contract_status_reason,omitempty"`
	CreatedAt            time.Time      `json:"created_at"`
	UpdatedAt            time.Time      `json:"updated_at"`
}

// NewOrganisation is what an administrator gives to add a provider.
type NewOrganisation struct {
	Name                 string `json:"name"`
	CQCProviderID        string `json:"cqc_provider_id,omitempty"`
	CompaniesHouseNumber string `json:"companies_house_number,omitempty"`
	ContactName          string `json:"contact_name,omitempty"`
	ContactEmail         string `json:"contact_email,omitempty"`
	ContactPhone         string `json:"contact_phone,omitempty"`
	Website              string `json:"website,omitempty"`
}

var (
	cqcID             = regexp.MustCompile(`^1-[0-9]{6,12}$`)
	companiesHouseNum = regexp.MustCompile(`^([0-9]{8}|[A-Z]{2}[0-9]{6})$`)
)

// Validate trims the input and returns Invalid naming the first wrong field.
func (n *NewOrganisation) Validate() error {
	n.Name = strings.TrimSpace(n.Name)
	n.CQCProviderID = strings.TrimSpace(n.CQCProviderID)
	n.CompaniesHouseNumber = strings.ToUpper(strings.TrimSpace(n.CompaniesHouseNumber))
	n.ContactName = strings.TrimSpace(n.ContactName)
	n.ContactEmail = strings.TrimSpace(n.ContactEmail)
	n.ContactPhone = strings.TrimSpace(n.ContactPhone)
	n.Website = strings.TrimSpace(n.Website)
	if n.Name == "" || len(n.Name) > 300 {
		return errs.InvalidField("name", "must be between 1 and 300 characters")
	}
	if n.CQCProviderID != "" && !cqcID.MatchString(n.CQCProviderID) {
		return errs.InvalidField("cqc_provider_id", "must be a CQC id like 1-101234567")
	}
	if n.CompaniesHouseNumber != "" && !companiesHouseNum.MatchString(n.CompaniesHouseNumber) {
		return errs.InvalidField("companies_house_number", "must be 8 digits, or 2 letters and 6 digits, like 01234567 or SC123456")
	}
	if len(n.ContactName) > 200 {
		return errs.InvalidField("contact_name", "must be at most 200 characters")
	}
	if n.ContactEmail != "" {
		if a, err := mail.ParseAddress(n.ContactEmail); err != nil || a.Address != n.ContactEmail {
			return errs.InvalidField("contact_email", "must be an email address like office@example.org")
		}
	}
	if n.ContactPhone != "" {
		p, ok := NormalisePhone(n.ContactPhone)
		if !ok {
			return errs.InvalidField("contact_phone", "must be a UK telephone number like 0161 123 4567")
		}
		n.ContactPhone = p
	}
	if n.Website != "" && !validWebsite(n.Website) {
		return errs.InvalidField("website", "must be a web address starting http:// or https://")
	}
	return nil
}

// NormalisePhone returns a UK telephone number as its 11 digits ("0161 123
// 4567" gives "01611234567"; "+44 161 123 4567" too), and whether it is one.
func NormalisePhone(s string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')':
		case r == '+' && b.Len() == 0:
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	d := b.String()
	if strings.HasPrefix(d, "+44") {
		d = "0" + d[3:]
	}
	if len(d) != 11 || d[0] != '0' || d[1] == '0' {
		return "", false
	}
	return d, true
}

func validWebsite(s string) bool {
	rest, ok := strings.CutPrefix(s, "https://")
	if !ok {
		rest, ok = strings.CutPrefix(s, "http://")
	}
	if !ok || rest == "" || len(s) > 500 || strings.ContainsAny(s, " \t\r\n\"<>") {
		return false
	}
	host, _, _ := strings.Cut(rest, "/")
	return strings.Contains(host, ".")
}
