package providers

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

const (
	gmFile       = "../demo/data/gm_care_homes.csv"
	traffordFile = "../demo/data/trafford_care_homes.csv"
	lookupFile   = "../demo/data/postcode_lookup.csv"
)

func loadLookup(t *testing.T, s *Store) {
	t.Helper()
	rep := must[PostcodeReport](t)(s.ImportPostcodes(ctx, admin, bytes.NewReader(readFile(t, lookupFile))))
	if rep.Skipped != 0 || rep.Loaded < 500 {
		t.Fatalf("postcode lookup: %+v", rep)
	}
}

func importFile(t *testing.T, s *Store, path string) ImportReport {
	t.Helper()
	return importCSV(t, s, readFile(t, path))
}

func importCSV(t *testing.T, s *Store, data []byte) ImportReport {
	t.Helper()
	batch, err := ParseCQC(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rep := must[ImportReport](t)(s.Import(ctx, admin, batch))
	if sum := rep.Created + rep.Updated + rep.Unchanged + rep.Combined + rep.Skipped; sum != rep.Read {
		t.Fatalf("counts do not add up to %d read: %+v", rep.Read, rep)
	}
	return rep
}

func counts(r ImportReport) string {
	return fmt.Sprintf("read %d created %d updated %d unchanged %d combined %d skipped %d", r.Read, r.Created, r.Updated, r.Unchanged, r.Combined, r.Skipped)
}

func countRows(t *testing.T, db *postgres.DB, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Gorm(context.Background()).Raw(sql, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportingTheGreaterManchesterFiles(t *testing.T) {
	t.Parallel()
	s, db := newStore(t)
	loadLookup(t, s)

	gm := importFile(t, s, gmFile)
	if got := counts(gm); got != "read 559 created 555 updated 0 unchanged 0 combined 4 skipped 0" {
		t.Fatalf("gm_care_homes.csv: %s", got)
	}
	// Each value not imported is named with its line: six telephone numbers
	// in scientific notation, three too short, fourteen NA (stored empty),
	// and eight CQC types not brokered; and each of the 536 telephone
	// numbers written without its leading 0 is named as corrected.
	byProblem, corrected := map[string][]string{}, 0
	for _, is := range gm.Issues {
		switch is.Outcome {
		case OutcomeValueSkipped:
			byProblem[is.Field] = append(byProblem[is.Field], fmt.Sprintf("%d:%s", is.Line, is.Value))
		case OutcomeValueCorrected:
			if is.Field == "telephone" && strings.HasSuffix(is.Problem, "stored as 0"+is.Value) {
				corrected++
			}
		}
	}
	if len(byProblem["telephone"]) != 23 || len(byProblem["type"]) != 8 || corrected != 536 {
		t.Fatalf("value issues: %v; %d telephones given back their leading 0", byProblem, corrected)
	}
	if !hasIssue(gm, 118, "telephone", "1617777e3", "scientific notation") {
		t.Errorf("line 118's telephone 1617777e3 is not reported: %v", byProblem["telephone"])
	}
	if !hasIssue(gm, 560, "type", "Hospice", "not adult social care") || !hasIssue(gm, 560, "", "", "same location as line 118") {
		t.Errorf("line 560 (Heartly Green again, with Hospice) is not reported as expected")
	}

	// Types are split: Heartly Green is a residential home, a nursing home
	// and a rehabilitation service.
	var types []string
	db.Gorm(context.Background()).Raw(`SELECT s.service_type FROM provider_services s JOIN provider_locations l ON l.id = s.location_id
		WHERE l.name = 'Heartly Green' ORDER BY 1`).Scan(&types)
	if strings.Join(types, ",") != "nursing_care,reablement,residential_care" {
		t.Fatalf("Heartly Green offers %v", types)
	}
	if n := countRows(t, db, `SELECT count(*) FROM provider_locations WHERE coordinates_source <> 'postcode_lookup'`); n != 0 {
		t.Fatalf("%d locations not geocoded from the lookup", n)
	}

	tr := importFile(t, s, traffordFile)
	// 39 Trafford homes were already there by name and postcode: they get
	// their CQC id, provider and inspection date.
	if got := counts(tr); got != "read 56 created 17 updated 39 unchanged 0 combined 0 skipped 0" {
		t.Fatalf("trafford_care_homes.csv: %s", got)
	}
	if n := countRows(t, db, `SELECT count(*) FROM provider_locations`); n != 572 {
		t.Fatalf("%d locations, want 555 + 17", n)
	}
	var org string
	db.Gorm(context.Background()).Raw(`SELECT o.name FROM provider_locations l JOIN provider_organisations o ON o.id = l.organisation_id WHERE l.cqc_location_id = '1-466088203'`).Scan(&org)
	if org != "Future Directions CIC" {
		t.Fatalf("10 Spennithorne Road belongs to %q", org)
	}
	if n := countRows(t, db, `SELECT count(*) FROM provider_organisations o WHERE named_from_location AND NOT EXISTS (SELECT 1 FROM provider_locations WHERE organisation_id = o.id)`); n != 0 {
		t.Fatalf("%d stand-in organisations were left empty", n)
	}

	// Importing both again changes nothing. The GM file has no CQC ids, so
	// it does not overwrite the 39 homes the Trafford file identified.
	gm2, tr2 := importFile(t, s, gmFile), importFile(t, s, traffordFile)
	if got := counts(gm2); got != "read 559 created 0 updated 0 unchanged 516 combined 4 skipped 39" {
		t.Errorf("gm_care_homes.csv again: %s", got)
	}
	if got := counts(tr2); got != "read 56 created 0 updated 0 unchanged 56 combined 0 skipped 0" {
		t.Errorf("trafford_care_homes.csv again: %s", got)
	}
}

func hasIssue(r ImportReport, line int, field, value, problem string) bool {
	for _, is := range r.Issues {
		if is.Line == line && is.Field == field && is.Value == value && strings.Contains(is.Problem, problem) {
			return true
		}
	}
	return false
}

const header = "name,cqc_id,type,address,postcode,telephone,website,provider,inspection_date,cqc_webpage,area_name,area_code,lon,lat\n"

func TestANewerFileUpdatesInPlace(t *testing.T) {
	t.Parallel()
	s, db := newStore(t)
	loadLookup(t, s)
	first := header + `Ann Challis,1-127443456,Residential homes|Nursing homes,"128 Stretford Road,Urmston,Manchester",M41 9LT,1617483597,NA,J.E.M. Care Limited,2024-11-19,x,Trafford,E0800009,-2.342776,53.446537` + "\n"
	newer := header + `Ann Challis House,1-127443456,Residential homes,"128 Stretford Road,Urmston",M41 9LT,01617483598,https://www.jemcareltd.co.uk,J.E.M. Care Limited,2025-06-02,x,Trafford,E0800009,-2.342776,53.446537` + "\n"
	if got := counts(importCSV(t, s, []byte(first))); got != "read 1 created 1 updated 0 unchanged 0 combined 0 skipped 0" {
		t.Fatal(got)
	}
	var before locationRow
	db.Gorm(context.Background()).Where("cqc_location_id = ?", "1-127443456").Take(&before)
	if got := counts(importCSV(t, s, []byte(newer))); got != "read 1 created 0 updated 1 unchanged 0 combined 0 skipped 0" {
		t.Fatal(got)
	}
	var after locationRow
	db.Gorm(context.Background()).Where("cqc_location_id = ?", "1-127443456").Take(&after)
	if after.ID != before.ID || after.Name != "Ann Challis House" || after.Telephone != "01617483598" ||
		after.Website != "https://www.jemcareltd.co.uk" || after.LastInspectedOn.String() != "2025-06-02" {
		t.Fatalf("after the newer file: %+v", after)
	}
	var statuses []string
	db.Gorm(context.Background()).Raw(`SELECT service_type || ':' || status FROM provider_services WHERE location_id = ? ORDER BY 1`, after.ID).Scan(&statuses)
	if strings.Join(statuses, ",") != "nursing_care:inactive,residential_care:active" {
		t.Fatalf("services after nursing was dropped: %v", statuses)
	}
	if got := counts(importCSV(t, s, []byte(first))); got != "read 1 created 0 updated 1 unchanged 0 combined 0 skipped 0" {
		t.Fatalf("the older file again: %s", got)
	}
	if n := countRows(t, db, `SELECT count(*) FROM provider_services WHERE location_id = ? AND status = 'active'`, after.ID); n != 2 {
		t.Fatalf("nursing care not offered again: %d active", n)
	}
}

func TestUnreadableRowsAreReportedAndTheRestImport(t *testing.T) {
	t.Parallel()
	s, db := newStore(t)
	loadLookup(t, s)
	// A trigger makes storing one location fail after its provider was
	// created, to show a failed row leaves nothing behind.
	db.Gorm(context.Background()).Exec(`CREATE FUNCTION explode() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
		IF NEW.name = 'Explodes' THEN RAISE EXCEPTION 'refused by test trigger'; END IF; RETURN NEW; END $$`)
	db.Gorm(context.Background()).Exec(`CREATE TRIGGER explode BEFORE INSERT ON provider_locations FOR EACH ROW EXECUTE FUNCTION explode()`)
	file := header +
		"Good Home,1-100000001,Residential homes,1 Road,M41 5BU,1617486414,NA,Good Ltd,NA,x,Trafford,E1,-2.365264,53.44763\n" + // 2
		"Bad Postcode,1-100000002,Residential homes,1 Road,ABC 1234,NA,NA,Bad Ltd,NA,x,Trafford,E1,-2.3,53.4\n" + // 3
		"Bad Id,CQC-7,Residential homes,1 Road,M41 5BU,NA,NA,Bad Ltd,NA,x,Trafford,E1,-2.3,53.4\n" + // 4
		"Hospice Only,1-100000004,Hospice,1 Road,M41 5BU,NA,NA,Bad Ltd,NA,x,Trafford,E1,-2.3,53.4\n" + // 5
		"Too Few Fields,1-100000005,Residential homes\n" + // 6
		"Nowhere,1-100000006,Homecare agencies,1 Road,ZE1 0AA,NA,NA,Far Ltd,NA,x,Shetland,E1,NA,NA\n" + // 7: not in the lookup, no coordinates
		"Explodes,1-100000007,Nursing homes,1 Road,M41 5BU,NA,NA,Exploding Ltd,NA,x,Trafford,E1,-2.3,53.4\n" + // 8
		"Latitude 200,1-100000008,Homecare agencies,1 Road,ZE1 0AA,NA,NA,Far Ltd,not-a-date,x,Shetland,E1,-1.1,200\n" + // 9
		"Second Good,1-100000009,Supported living|Shared lives,\"2 Road, Sale\",m33 6rx,NA,www.nope,Good Ltd,2024-01-31,x,Trafford,E1,-2.33,53.42\n" // 10
	rep := importCSV(t, s, []byte(file))
	if got := counts(rep); got != "read 9 created 2 updated 0 unchanged 0 combined 0 skipped 7" {
		t.Fatalf("%s\n%+v", got, rep.Issues)
	}
	for _, want := range []struct {
		line  int
		field string
		text  string
	}{
		{3, "postcode", "not a UK postcode"},
		{4, "cqc_id", "not a CQC location id"},
		{5, "type", "none of its service types (Hospice)"},
		{6, "", "has 3 fields; the header has 14"},
		{7, "postcode", "ZE1 0AA is not in the postcode lookup"},
		{8, "", "could not be stored"},
		{9, "postcode", "not in the postcode lookup"},
		{9, "lat", "must be between -90 and 90 degrees, not 200"},
		{10, "website", "not a web address"},
	} {
		if !hasIssue(rep, want.line, want.field, issueValue(rep, want.line, want.field), want.text) {
			t.Errorf("line %d (%s): no issue saying %q in %+v", want.line, want.field, want.text, rep.Issues)
		}
	}
	if n := countRows(t, db, `SELECT count(*) FROM provider_organisations WHERE name IN ('Exploding Ltd', 'Bad Ltd', 'Far Ltd')`); n != 0 {
		t.Fatalf("%d providers of rows that were not imported were left behind", n)
	}
	var names []string
	db.Gorm(context.Background()).Raw(`SELECT name FROM provider_locations ORDER BY name`).Scan(&names)
	sort.Strings(names)
	if strings.Join(names, ",") != "Good Home,Second Good" {
		t.Fatalf("imported %v", names)
	}
}

func issueValue(r ImportReport, line int, field string) string {
	for _, is := range r.Issues {
		if is.Line == line && is.Field == field {
			return is.Value
		}
	}
	return ""
}

func TestOnlyAdministratorsImport(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	batch, err := ParseCQC(strings.NewReader(header))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, broker, batch); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("broker import: %v", err)
	}
	if _, err := s.Import(ctx, providerActor(admin.UserID), batch); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("provider import: %v", err)
	}
	if _, err := ParseCQC(strings.NewReader("a,b,c\n1,2,3\n")); errs.As(err) == nil || errs.As(err).Field != "file" {
		t.Fatalf("a file without the columns: %v", err)
	}
}
