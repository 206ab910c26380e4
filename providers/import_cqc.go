package providers

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

// FormatCQC is the CQC-style CSV layout of the Greater Manchester care
// directories: a header row, then one location per row. Both layouts are
// read: with cqc_id, provider and inspection_date columns, and without.
const FormatCQC = "cqc-csv"

// cqcColumns are the columns a CQC-style file may have; others (such as
// area_code or cqc_webpage) are ignored.
var cqcColumns = []string{"name", "cqc_id", "type", "address", "postcode", "telephone", "website", "provider", "inspection_date", "area_name", "lon", "lat"}

var scientific = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?[eE][+-]?[0-9]+$`)

// ParseCQC reads a CQC-style CSV file. `NA` and empty cells are missing
// values. A row it cannot use is reported with its line number and reason
// and left out; a value it cannot read (a telephone number a spreadsheet
// turned into scientific notation, a CQC service type the council does not
// broker) is reported and the row kept without it. Telephone numbers
// written without their leading 0 (1616275874) get it back, and say so:
// UK national numbers have 11 digits and start with 0. A telephone of NA
// is stored empty, and said to be. It returns Invalid naming
// "file" only when the file cannot be read at all (no header, or no name,
// type or postcode column).
func ParseCQC(r io.Reader) (ImportBatch, error) {
	b := ImportBatch{Format: FormatCQC}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return b, errs.InvalidField("file", "has no CSV header row: %v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, need := range []string{"name", "type", "postcode"} {
		if _, ok := col[need]; !ok {
			return b, errs.InvalidField("file", "the header has no %q column; a CQC-style file has %s", need, strings.Join(cqcColumns, ", "))
		}
	}
	_, hasCQCID := col["cqc_id"]
	has := Has{Telephone: hasCol(col, "telephone"), Website: hasCol(col, "website"), LocalAuthority: hasCol(col, "area_name"),
		Provider: hasCol(col, "provider"), Inspection: hasCol(col, "inspection_date")}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		b.Read++
		var parseErr *csv.ParseError
		if errors.As(err, &parseErr) {
			b.Issues = append(b.Issues, ImportIssue{Line: parseErr.StartLine, Problem: "the row is not valid CSV: " + parseErr.Err.Error(), Outcome: OutcomeRowSkipped})
			continue
		} else if err != nil {
			return b, errs.InvalidField("file", "could not be read: %v", err)
		}
		line, _ := cr.FieldPos(0) // only after a record was read: it panics after an error
		if len(rec) != len(header) {
			b.Issues = append(b.Issues, ImportIssue{Line: line, Problem: fmt.Sprintf("the row has %d fields; the header has %d", len(rec), len(header)), Outcome: OutcomeRowSkipped})
			continue
		}
		row := cqcRow{line: line, rec: rec, col: col, batch: &b}
		if lr, ok := row.parse(hasCQCID, has); ok {
			b.Records = append(b.Records, lr)
		}
	}
	return b, nil
}

func hasCol(col map[string]int, name string) bool { _, ok := col[name]; return ok }

// cqcRow parses one row, adding its issues to the batch.
type cqcRow struct {
	line  int
	rec   []string
	col   map[string]int
	batch *ImportBatch
}

// get returns the cell of a column, "" when the column is absent or the
// cell is NA.
func (r *cqcRow) get(name string) string {
	i, ok := r.col[name]
	if !ok {
		return ""
	}
	v := strings.TrimSpace(r.rec[i])
	if v == "NA" {
		return ""
	}
	return v
}

// cell is a column's value as written, NA included ("" for a column the
// file does not have).
func (r *cqcRow) cell(name string) string {
	i, ok := r.col[name]
	if !ok {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

func (r *cqcRow) issue(field, value, problem string, outcome Outcome) {
	r.batch.Issues = append(r.batch.Issues, ImportIssue{Line: r.line, Field: field, Value: value, Problem: problem, Outcome: outcome})
}

func (r *cqcRow) parse(hasCQCID bool, has Has) (LocationRecord, bool) {
	lr := LocationRecord{Line: r.line, Has: has, Registration: Registered}
	lr.Name = strings.Join(strings.Fields(r.get("name")), " ")
	if lr.Name == "" || len(lr.Name) > 300 {
		r.issue("name", r.get("name"), "the name is missing or longer than 300 characters", OutcomeRowSkipped)
		return lr, false
	}
	if hasCQCID {
		lr.CQCLocationID = r.get("cqc_id")
		if lr.CQCLocationID != "" && !cqcID.MatchString(lr.CQCLocationID) {
			r.issue("cqc_id", lr.CQCLocationID, "is not a CQC location id like 1-123456789, so the location cannot be identified", OutcomeRowSkipped)
			return lr, false
		}
	}
	pc, ok := NormalisePostcode(r.get("postcode"))
	if !ok {
		r.issue("postcode", r.get("postcode"), "is not a UK postcode", OutcomeRowSkipped)
		return lr, false
	}
	lr.Postcode = pc
	var skippedTypes, reasons []string
	for _, name := range strings.Split(r.get("type"), "|") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		t, brokered, known := FromCQC(name)
		switch {
		case brokered:
			if !containsType(lr.ServiceTypes, t) {
				lr.ServiceTypes = append(lr.ServiceTypes, t)
			}
		case known:
			skippedTypes, reasons = append(skippedTypes, name), append(reasons, "is not adult social care the council brokers")
		default:
			skippedTypes, reasons = append(skippedTypes, name), append(reasons, "is not a CQC service type this importer knows")
		}
	}
	if len(lr.ServiceTypes) == 0 {
		what := "no service type is given"
		if len(skippedTypes) > 0 {
			what = "none of its service types (" + strings.Join(skippedTypes, ", ") + ") is one the council brokers"
		}
		r.issue("type", r.get("type"), what, OutcomeRowSkipped)
		return lr, false
	}
	for i, name := range skippedTypes {
		r.issue("type", name, reasons[i], OutcomeValueSkipped)
	}
	lr.Address = normaliseAddress(r.get("address"))
	lr.LocalAuthority = r.get("area_name")
	lr.ProviderName = strings.Join(strings.Fields(r.get("provider")), " ")
	lr.Telephone = r.telephone()
	if w := r.get("website"); w != "" {
		if validWebsite(w) {
			lr.Website = w
		} else {
			r.issue("website", w, "is not a web address starting http:// or https://", OutcomeValueSkipped)
		}
	}
	if d := r.get("inspection_date"); d != "" {
		if parsed, err := day.Parse(d); err == nil {
			lr.LastInspectedOn = parsed
		} else {
			r.issue("inspection_date", d, "is not a date like 2024-11-19", OutcomeValueSkipped)
		}
	}
	lr.Latitude, lr.Longitude = r.coordinates()
	return lr, true
}

// telephone reads the telephone cell, reporting every value not stored as
// written: NA (stored empty), one that cannot be read (left out), and a
// 10-digit number given back its leading 0.
func (r *cqcRow) telephone() string {
	raw := r.get("telephone")
	switch {
	case raw == "" && r.cell("telephone") == "NA":
		r.issue("telephone", "NA", "is NA (not available); stored empty", OutcomeValueSkipped)
		return ""
	case raw == "":
		return ""
	case scientific.MatchString(raw):
		r.issue("telephone", raw, "is in scientific notation (a spreadsheet rounded it), so its last digits are lost", OutcomeValueSkipped)
		return ""
	}
	digits, zeroAdded := raw, false
	if len(digits) == 10 && digits[0] != '0' && isDigits(digits) {
		digits, zeroAdded = "0"+digits, true // written as a number, the leading 0 was dropped
	}
	p, ok := NormalisePhone(digits)
	if !ok {
		r.issue("telephone", raw, "is not a UK telephone number", OutcomeValueSkipped)
		return ""
	}
	if zeroAdded {
		r.issue("telephone", raw, "has 10 digits and no leading 0 (a spreadsheet read it as a number); stored as "+p, OutcomeValueCorrected)
	}
	return p
}

func (r *cqcRow) coordinates() (*float64, *float64) {
	latS, lonS := r.get("lat"), r.get("lon")
	if latS == "" && lonS == "" {
		return nil, nil
	}
	lat, errLat := strconv.ParseFloat(latS, 64)
	lon, errLon := strconv.ParseFloat(lonS, 64)
	if errLat != nil || errLon != nil {
		r.issue("lat,lon", latS+","+lonS, "are not numbers; the postcode lookup is used instead", OutcomeValueSkipped)
		return nil, nil
	}
	if err := checkCoordinates("lat", "lon", lat, lon); err != nil {
		e := errs.As(err)
		r.issue(e.Field, latS+","+lonS, e.Message+"; the postcode lookup is used instead", OutcomeValueSkipped)
		return nil, nil
	}
	return &lat, &lon
}

// normaliseAddress writes an address's parts with one comma and space
// between them ("1 Road,Sale" and "1 Road, Sale" are the same address).
func normaliseAddress(s string) string {
	var parts []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func containsType(ts []ServiceType, t ServiceType) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}
