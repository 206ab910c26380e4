package frontend

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestStatusTagsUseColoursTheStylesheetHas(t *testing.T) {
	t.Parallel()
	css, err := os.ReadFile("assets/govuk-frontend.min.css")
	if err != nil {
		t.Fatal(err)
	}
	for status, tag := range statusTags {
		if tag.Class != "" && !bytes.Contains(css, []byte("."+tag.Class+"{")) && !bytes.Contains(css, []byte("."+tag.Class+",")) {
			t.Errorf("%s uses %s, which govuk-frontend does not style", status, tag.Class)
		}
		if tag.Text == "" {
			t.Errorf("%s has no words", status)
		}
	}
	if got := StatusTag("waiting_for_panel"); got.Text != "Waiting for panel" || got.Class != "govuk-tag--grey" {
		t.Errorf("an unknown status shows as %+v", got)
	}
}

func TestComponentsDrawTheDesignSystemMarkup(t *testing.T) {
	t.Parallel()
	f, err := New(Deps{Config: testConfig(t, nil)})
	if err != nil {
		t.Fatal(err)
	}
	draw := func(name string, data any) string {
		var buf bytes.Buffer
		if err := f.pages["home"].ExecuteTemplate(&buf, name, data); err != nil {
			t.Fatal(err)
		}
		return strings.Join(strings.Fields(buf.String()), " ")
	}
	open := StatusTag("open")
	table := draw("table", Table{
		Caption: "Requests", Head: []Cell{{Text: "Person"}, {Text: "Status"}, {Text: "Budget", Numeric: true}},
		Rows:              [][]Cell{{{Text: "A <b>Person</b>", Href: "/broker/requests/1"}, {Tag: &open}, {Text: "£350.00", Numeric: true}}},
		FirstCellIsHeader: true,
	})
	for _, want := range []string{
		`<caption class="govuk-table__caption govuk-table__caption--m">Requests</caption>`,
		`<th scope="col" class="govuk-table__header govuk-table__header--numeric">Budget</th>`,
		`<th scope="row" class="govuk-table__header"><a class="govuk-link" href="/broker/requests/1">A &lt;b&gt;Person&lt;/b&gt;</a></th>`,
		`<td class="govuk-table__cell"><strong class="govuk-tag">Open</strong></td>`,
		`<td class="govuk-table__cell govuk-table__cell--numeric">£350.00</td>`,
	} {
		if !strings.Contains(table, want) {
			t.Errorf("the table lacks %s:\n%s", want, table)
		}
	}
	list := draw("summaryList", SummaryList{Rows: []SummaryRow{
		{Key: "Start date", Value: "1 December 2026", Action: &Action{Text: "Change", Href: "/x", VisuallyHidden: "start date"}},
		{Key: "Notes", Lines: []string{"one", "two"}},
	}})
	for _, want := range []string{
		`<div class="govuk-summary-list__row"> <dt class="govuk-summary-list__key">Start date</dt> <dd class="govuk-summary-list__value">1 December 2026</dd>`,
		`<a class="govuk-link" href="/x">Change<span class="govuk-visually-hidden"> start date</span></a>`,
		`<div class="govuk-summary-list__row govuk-summary-list__row--no-actions">`,
		`<p class="govuk-body">one</p><p class="govuk-body">two</p>`,
	} {
		if !strings.Contains(list, want) {
			t.Errorf("the summary list lacks %s:\n%s", want, list)
		}
	}
	form := NewForm(Field{Name: "hours_per_week", Label: "Hours per week", Hint: "Whole hours", InputMode: "numeric", Width: "govuk-input--width-4"})
	form.Set("hours_per_week", "0")
	form.Add("hours_per_week", "Hours per week must be more than 0")
	input := draw("input", form.Field("hours_per_week"))
	for _, want := range []string{
		`<div class="govuk-form-group govuk-form-group--error">`,
		`<label class="govuk-label" for="hours_per_week">Hours per week</label>`,
		`<div id="hours_per_week-hint" class="govuk-hint">Whole hours</div>`,
		`<p id="hours_per_week-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Hours per week must be more than 0</p>`,
		`class="govuk-input govuk-input--width-4 govuk-input--error" id="hours_per_week" name="hours_per_week" type="text" value="0" aria-describedby="hours_per_week-hint hours_per_week-error" inputmode="numeric">`,
	} {
		if !strings.Contains(input, want) {
			t.Errorf("the input lacks %s:\n%s", want, input)
		}
	}
}
