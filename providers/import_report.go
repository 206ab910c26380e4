package providers

import (
	"fmt"
	"io"
)

// Outcome says what became of a row, or of one value in it, that an import
// could not take as it was.
type Outcome string

// The outcomes.
const (
	// OutcomeRowSkipped: nothing from the row was imported.
	OutcomeRowSkipped Outcome = "row_skipped"
	// OutcomeValueSkipped: the row was imported without this value.
	OutcomeValueSkipped Outcome = "value_skipped"
	// OutcomeCombined: the row described the same location as an earlier
	// row and was combined with it.
	OutcomeCombined Outcome = "combined"
	// OutcomeValueCorrected: the row was imported with this value stored
	// otherwise than written; the problem says as what.
	OutcomeValueCorrected Outcome = "value_corrected"
)

// ImportIssue is one thing an import could not read, or read but did not
// use. Line is the file's line number for CSV (the header is line 1); Item
// is the place in a JSON document, such as "contents[3]".
type ImportIssue struct {
	Line    int     `json:"line,omitempty"`
	Item    string  `json:"item,omitempty"`
	Field   string  `json:"field,omitempty"`
	Value   string  `json:"value,omitempty"`
	Problem string  `json:"problem"`
	Outcome Outcome `json:"outcome"`
}

// Where returns "line 12" or "contents[3]".
func (i ImportIssue) Where() string {
	if i.Item != "" {
		return i.Item
	}
	return fmt.Sprintf("line %d", i.Line)
}

// ImportReport says what an import did. Every record read ends in exactly
// one of the counts: Read = Created + Updated + Unchanged + Combined +
// Skipped, where Created, Updated and Unchanged count locations.
type ImportReport struct {
	Format    string        `json:"format"`
	Read      int           `json:"read"`
	Created   int           `json:"created"`
	Updated   int           `json:"updated"`
	Unchanged int           `json:"unchanged"`
	Combined  int           `json:"combined"`
	Skipped   int           `json:"skipped"`
	Issues    []ImportIssue `json:"issues"`
}

// Print writes the report for a person at a terminal.
func (r ImportReport) Print(w io.Writer) {
	fmt.Fprintf(w, "import (%s): read %d, created %d, updated %d, unchanged %d, combined %d, skipped %d\n",
		r.Format, r.Read, r.Created, r.Updated, r.Unchanged, r.Combined, r.Skipped)
	for _, i := range r.Issues {
		what := i.Problem
		if i.Field != "" {
			what = i.Field + ": " + what
		}
		if i.Value != "" {
			what += fmt.Sprintf(" (value %q)", i.Value)
		}
		fmt.Fprintf(w, "  %s: %s [%s]\n", i.Where(), what, outcomeText[i.Outcome])
	}
}

var outcomeText = map[Outcome]string{
	OutcomeRowSkipped:     "row not imported",
	OutcomeValueSkipped:   "row imported without this value",
	OutcomeCombined:       "combined with the earlier row",
	OutcomeValueCorrected: "row imported with the value corrected",
}
