package providers

import (
	"fmt"
	"slices"
	"strings"

	"github.com/carebroker/carebroker/internal/day"
)

// LocationRecord is one location as a source file describes it, whatever
// the file's format: the importer's common language. Fields the source has
// no column for are marked absent in Has, so that importing such a file
// leaves what is stored for them alone.
type LocationRecord struct {
	Line int    // CSV line number, or
	Item string // the place in a JSON document

	CQCLocationID        string
	Name                 string
	Address              string
	Postcode             string   // normalised
	Latitude, Longitude  *float64 // as given; nil when absent or unreadable
	Telephone            string
	Website              string
	Email                string
	LocalAuthority       string
	ProviderName         string
	CompaniesHouseNumber string
	LastInspectedOn      day.Date
	Registration         RegistrationStatus // empty: leave as stored (new locations get NotRegistered)
	ServiceTypes         []ServiceType
	Has                  Has
}

// Has says which optional values a source carries.
type Has struct {
	Telephone, Website, Email, LocalAuthority, Provider, Inspection bool
}

// key identifies the location the record describes within one file.
func (r *LocationRecord) key() string {
	if r.CQCLocationID != "" {
		return "cqc:" + r.CQCLocationID
	}
	return "np:" + strings.ToLower(r.Name) + "|" + r.Postcode
}

func (r *LocationRecord) where() (int, string) { return r.Line, r.Item }

func (r *LocationRecord) describe() string {
	if r.Item != "" {
		return r.Item
	}
	return fmt.Sprintf("line %d", r.Line)
}

// ImportBatch is a parsed file: its records and what could not be read.
// Read counts every record in the file, readable or not.
type ImportBatch struct {
	Format  string
	Read    int
	Records []LocationRecord
	Issues  []ImportIssue
	// OnePerService means the format gives one record per service, so
	// several records for one location are expected rather than a repeat.
	OnePerService bool
}

// combine folds records describing the same location into the first of
// them: service types are added; other values come from the first, and a
// repeat whose values differ is reported. It returns the records to import
// and how many were folded away.
func (b *ImportBatch) combine() ([]LocationRecord, int) {
	out := make([]LocationRecord, 0, len(b.Records))
	index := map[string]int{}
	folded := 0
	for _, r := range b.Records {
		i, seen := index[r.key()]
		if !seen {
			index[r.key()] = len(out)
			out = append(out, r)
			continue
		}
		folded++
		first := &out[i]
		var added []string
		for _, t := range r.ServiceTypes {
			if !slices.Contains(first.ServiceTypes, t) {
				first.ServiceTypes = append(first.ServiceTypes, t)
				added = append(added, string(t))
			}
		}
		if b.OnePerService {
			continue
		}
		problem := "describes the same location as " + first.describe() + " (same " + sameWhat(first) + ")"
		if len(added) > 0 {
			problem += "; its service types were added: " + strings.Join(added, ", ")
		}
		if diff := differingValues(first, &r); len(diff) == 1 {
			problem += "; its " + diff[0] + " differs and was not used"
		} else if len(diff) > 1 {
			problem += "; its " + strings.Join(diff[:len(diff)-1], ", ") + " and " + diff[len(diff)-1] + " differ and were not used"
		}
		line, item := r.where()
		b.Issues = append(b.Issues, ImportIssue{Line: line, Item: item, Problem: problem, Outcome: OutcomeCombined})
	}
	return out, folded
}

func sameWhat(r *LocationRecord) string {
	if r.CQCLocationID != "" {
		return "CQC location id " + r.CQCLocationID
	}
	return "name and postcode"
}

func differingValues(a, b *LocationRecord) []string {
	var out []string
	check := func(name string, x, y string) {
		if x != y {
			out = append(out, name)
		}
	}
	check("address", a.Address, b.Address)
	check("telephone", a.Telephone, b.Telephone)
	check("website", a.Website, b.Website)
	check("provider", a.ProviderName, b.ProviderName)
	if (a.Latitude == nil) != (b.Latitude == nil) || (a.Latitude != nil && (*a.Latitude != *b.Latitude || *a.Longitude != *b.Longitude)) {
		out = append(out, "coordinates")
	}
	return out
}
