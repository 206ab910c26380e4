package providers

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestTheReportSaysWhatBecameOfEachTelephone imports telephone numbers as
// CQC files write them: the report names every one not stored as written,
// NA stored empty and a 10-digit number given back its leading 0 as well
// as the unreadable ones, and is silent about the rest.
func TestTheReportSaysWhatBecameOfEachTelephone(t *testing.T) {
	t.Parallel()
	s, db := newStore(t)
	loadLookup(t, s)
	row := func(name, id, phone string) string {
		return name + "," + id + ",Residential homes,1 Road,M41 5BU," + phone + ",NA,Phone Ltd,NA,x,Trafford,E1,-2.365264,53.44763\n"
	}
	file := header +
		row("Not Available", "1-200000001", "NA") + // 2
		row("Lost Zero", "1-200000002", "1616275874") + // 3
		row("Written Out", "1-200000003", "0161 627 5875") + // 4
		row("Left Blank", "1-200000004", "") + // 5
		row("Rounded", "1-200000005", "1617777e3") + // 6
		row("International", "1-200000006", "+44 161 627 5876") // 7
	batch, err := ParseCQC(bytes.NewReader([]byte(file)))
	if err != nil {
		t.Fatal(err)
	}
	rep := must[ImportReport](t)(s.Import(ctx, admin, batch))
	if got := counts(rep); got != "read 6 created 6 updated 0 unchanged 0 combined 0 skipped 0" {
		t.Fatalf("%s\n%+v", got, rep.Issues)
	}
	want := []ImportIssue{
		{Line: 2, Field: "telephone", Value: "NA", Problem: "is NA (not available); stored empty", Outcome: OutcomeValueSkipped},
		{Line: 3, Field: "telephone", Value: "1616275874", Problem: "has 10 digits and no leading 0 (a spreadsheet read it as a number); stored as 01616275874",
			Outcome: OutcomeValueCorrected},
		{Line: 6, Field: "telephone", Value: "1617777e3", Problem: "is in scientific notation (a spreadsheet rounded it), so its last digits are lost",
			Outcome: OutcomeValueSkipped},
	}
	var got []ImportIssue
	for _, is := range rep.Issues {
		if is.Field == "telephone" {
			got = append(got, is)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("telephone issues:\n%+v\nwant\n%+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("issue %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	stored := map[string]string{}
	var rows []struct{ Name, Telephone string }
	db.Gorm(context.Background()).Raw(`SELECT name, coalesce(telephone, '') AS telephone FROM provider_locations`).Scan(&rows)
	for _, r := range rows {
		stored[r.Name] = r.Telephone
	}
	for name, phone := range map[string]string{"Not Available": "", "Lost Zero": "01616275874", "Written Out": "01616275875",
		"Left Blank": "", "Rounded": "", "International": "01616275876"} {
		if stored[name] != phone {
			t.Errorf("%s stored telephone %q, want %q", name, stored[name], phone)
		}
	}
	var printed strings.Builder
	rep.Print(&printed)
	for _, line := range []string{
		`line 2: telephone: is NA (not available); stored empty (value "NA") [row imported without this value]`,
		`line 3: telephone: has 10 digits and no leading 0 (a spreadsheet read it as a number); stored as 01616275874 (value "1616275874") [row imported with the value corrected]`,
	} {
		if !strings.Contains(printed.String(), line) {
			t.Errorf("the printed report lacks %q:\n%s", line, printed.String())
		}
	}
}
