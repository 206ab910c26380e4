package frontend

// The GOV.UK components pages build in Go and draw with the templates of
// the same name in templates/components.html. Handlers fill them; the
// templates keep the Design System's markup in one place.

// Tag is a GOV.UK tag: a status in a colour. The text carries the meaning;
// the colour only helps.
type Tag struct {
	Text  string
	Class string // "" (the default blue), or govuk-tag--grey, --green, --red ...
}

// SummaryList is a GOV.UK summary list: key and value pairs.
type SummaryList struct {
	Rows     []SummaryRow
	NoBorder bool
}

// SummaryRow is one row. Lines shows several paragraphs in the value; Tag
// shows a status. Action is an optional link (e.g. "Change").
type SummaryRow struct {
	Key    string
	Value  string
	Lines  []string
	Tag    *Tag
	Action *Action
}

// Action is a link in a summary list row. The visually hidden text says
// what it acts on ("Change" + " start date").
type Action struct {
	Text           string
	Href           string
	VisuallyHidden string
}

// Table is a GOV.UK table.
type Table struct {
	Caption           string
	CaptionClass      string // govuk-table__caption--m (default), --s, --l
	Head              []Cell
	Rows              [][]Cell
	FirstCellIsHeader bool
	Small             bool // govuk-table--small-text-until-tablet, for tables with many columns
}

// Cell is one cell. A cell with Href is a link; with Tag, a status.
type Cell struct {
	Text    string
	Href    string
	Tag     *Tag
	Numeric bool
}

// Banner is a GOV.UK notification banner. Success banners (after a form)
// are shown from the session's flash by the layout; pages use Banner for
// important information.
type Banner struct {
	Title   string // "Important" when empty, "Success" for success banners
	Heading string
	Text    string
	Success bool
}
