package frontend

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

// More GOV.UK form components, drawn by the templates of the same name in
// templates/components.html: radios, checkboxes, select, textarea, date
// input, and the task list.

// Options is a GOV.UK radios or checkboxes group (a fieldset whose legend
// is Legend), or a select (whose label is Legend). The first item's input
// has the group's id, so the error summary's link lands on it.
type Options struct {
	Name       string
	ID         string // FieldID(Name) when empty
	Legend     string
	LegendSize string // "l", "m", "s" (the default) or "" for plain text
	Hint       string
	Error      string
	Items      []Option
	Small      bool // govuk-radios--small / govuk-checkboxes--small
	Inline     bool // radios side by side (two short answers)
}

// Option is one radio, checkbox or select option.
type Option struct {
	Value   string
	Text    string
	Hint    string
	Checked bool // checked, or selected in a select
}

func (o Options) id() string {
	if o.ID != "" {
		return o.ID
	}
	return FieldID(o.Name)
}

// GroupID is the fieldset's (and first input's) id.
func (o Options) GroupID() string { return o.id() }

// HintID is the id of the group's hint.
func (o Options) HintID() string { return o.id() + "-hint" }

// ErrorID is the id of the group's error message.
func (o Options) ErrorID() string { return o.id() + "-error" }

// DescribedBy is the fieldset's aria-describedby.
func (o Options) DescribedBy() string {
	var ids []string
	if o.Hint != "" {
		ids = append(ids, o.HintID())
	}
	if o.Error != "" {
		ids = append(ids, o.ErrorID())
	}
	return strings.Join(ids, " ")
}

// ItemID is the id of the i-th input: the group's id for the first, then
// id-2, id-3 ... as govuk-frontend names them.
func (o Options) ItemID(i int) string {
	if i == 0 {
		return o.id()
	}
	return fmt.Sprintf("%s-%d", o.id(), i+1)
}

// ItemHintID is the id of the i-th item's hint.
func (o Options) ItemHintID(i int) string { return o.ItemID(i) + "-item-hint" }

// Options returns a group for the form's field name, with its error and
// the sent value checked (for radios and selects).
func (f *Form) Options(o Options) Options {
	fd := f.Field(o.Name)
	o.Error = fd.Error
	if o.ID == "" {
		o.ID = fd.ID
	}
	if v := f.Value(o.Name); v != "" {
		for i := range o.Items {
			o.Items[i].Checked = o.Items[i].Value == v
		}
	}
	return o
}

// DateInput is a GOV.UK date input: day, month and year fields for one
// date, in a fieldset whose legend is the field's label.
type DateInput struct {
	Field
	Day, Month, Year string
}

// DateFieldID is the id a date field's error links to: its day input.
func DateFieldID(name string) string { return FieldID(name) + "-day" }

// DateField declares a date input for NewForm: the error summary links to
// its day input.
func DateField(name, label, hint string) Field {
	return Field{Name: name, ID: DateFieldID(name), Label: label, Hint: hint}
}

// DateInput returns the date input of the form's field name, with what was
// sent and its error.
func (f *Form) DateInput(name string) DateInput {
	return DateInput{Field: f.Field(name), Day: f.Value(name + "-day"), Month: f.Value(name + "-month"), Year: f.Value(name + "-year")}
}

// FieldPrefix is the part of a date input's ids before -day, -month, -year.
func (d DateInput) FieldPrefix() string { return strings.TrimSuffix(d.ID, "-day") }

// BindDate reads the day, month and year of a date input and returns the
// date, or an Invalid error naming the field in words a person can act on
// ("Start date must include a month", "Start date must be a real date").
// An empty date is Invalid "is required" when required, else the zero date.
func (f *Form) BindDate(c *gin.Context, name, label string, required bool) (day.Date, error) {
	parts := [3]string{}
	for i, p := range []string{"day", "month", "year"} {
		parts[i] = strings.TrimSpace(c.PostForm(name + "-" + p))
		f.Set(name+"-"+p, parts[i])
	}
	if parts == [3]string{} {
		if required {
			return day.Date{}, errs.InvalidField(name, "Enter the %s", strings.ToLower(label))
		}
		return day.Date{}, nil
	}
	for i, p := range []string{"day", "month", "year"} {
		if parts[i] == "" {
			return day.Date{}, errs.InvalidField(name, "%s must include a %s", label, p)
		}
	}
	d, errD := strconv.Atoi(parts[0])
	m, errM := strconv.Atoi(parts[1])
	y, errY := strconv.Atoi(parts[2])
	if errD != nil || errM != nil || errY != nil || len(parts[2]) != 4 {
		return day.Date{}, errs.InvalidField(name, "%s must be a real date, like 27 3 2027", label)
	}
	date, err := day.Parse(fmt.Sprintf("%04d-%02d-%02d", y, m, d))
	if err != nil || m < 1 || m > 12 || d < 1 || d > 31 {
		return day.Date{}, errs.InvalidField(name, "%s must be a real date, like 27 3 2027", label)
	}
	return date, nil
}

// SetDate fills a date input's fields from a date, for a form's first drawing.
func (f *Form) SetDate(name string, d day.Date) {
	if d.IsZero() {
		return
	}
	f.Set(name+"-day", strconv.Itoa(d.Day))
	f.Set(name+"-month", strconv.Itoa(int(d.Month)))
	f.Set(name+"-year", strconv.Itoa(d.Year))
}

// TaskList is a GOV.UK task list: the steps of a piece of work and where
// each stands.
type TaskList struct {
	ID    string // prefix of the status ids
	Items []Task
}

// Task is one step. With Href the title is a link to it; Status is a tag
// (for steps to do), or plain text when Done, or grey text when
// CannotStart.
type Task struct {
	Title       string
	Hint        string
	Href        string
	Status      Tag
	Done        bool
	CannotStart bool
}
