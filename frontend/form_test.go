package frontend

import (
	"errors"
	"testing"

	"github.com/carebroker/carebroker/errs"
)

func TestAUseCaseErrorLandsOnItsFieldInWords(t *testing.T) {
	t.Parallel()
	form := NewForm(
		Field{Name: "weekly_price_pence", Label: "Weekly price"},
		Field{Name: "hours_per_week", Label: "Hours per week"},
	)
	if !form.AddError(errs.InvalidField("hours_per_week", "must be more than 0")) {
		t.Fatal("an Invalid error was not taken")
	}
	form.AddError(errs.InvalidField("hours_per_week", "is required")) // the first message of a field wins
	form.Add("weekly_price_pence", "Enter the weekly price")
	form.AddError(errs.InvalidField("needs[1].outcome", "Describe the outcome"))
	want := []SummaryItem{
		{Href: "#weekly_price_pence", Text: "Enter the weekly price"},
		{Href: "#hours_per_week", Text: "Hours per week must be more than 0"},
		{Text: "Describe the outcome"}, // not on the page: listed, but not linked
	}
	got := form.Summary()
	if len(got) != len(want) {
		t.Fatalf("summary %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("summary[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	f := form.Field("hours_per_week")
	if f.Error != "Hours per week must be more than 0" || f.DescribedBy() != "hours_per_week-error" {
		t.Errorf("field %+v", f)
	}
	for _, err := range []error{errs.Conflictf("the offer is withdrawn"), errors.New("boom"), nil} {
		if NewForm().AddError(err) {
			t.Errorf("AddError took %v, which is not about a field", err)
		}
	}
}

func TestFieldIDs(t *testing.T) {
	t.Parallel()
	for name, id := range map[string]string{
		"email":                   "email",
		"needs[1].hours_per_week": "needs-1-hours_per_week",
		"start date":              "start-date",
		"[]":                      "field",
	} {
		if got := FieldID(name); got != id {
			t.Errorf("FieldID(%q) = %q, want %q", name, got, id)
		}
	}
	if got := humanise("needs[1].hours_per_week"); got != "Hours per week" {
		t.Errorf("humanise = %q", got)
	}
}
