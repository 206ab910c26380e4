package frontend

import (
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/errs"
)

// Field describes one input of a form: what the component templates
// ("input", "passwordInput") need to draw it with its label, hint, value
// and error message linked to it.
type Field struct {
	Name         string // the form field's name, and the errs field name it answers to
	ID           string // the input's id; FieldID(Name) when empty
	Label        string
	Hint         string
	Type         string // text (default), email, password, number, tel
	Autocomplete string
	InputMode    string // numeric, decimal ...
	Width        string // a govuk-input--width-N or govuk-!-width-… class
	NoSpellcheck bool
	Prefix       string // shown before the input, like "£" (aria-hidden: say it in the label or hint too)
	Suffix       string // shown after the input, like "hours"

	Value string // filled by Form.Field
	Error string // filled by Form.Field
}

// HintID and ErrorID are the ids aria-describedby points at.
func (f Field) HintID() string { return f.ID + "-hint" }

// ErrorID is the id of the field's error message.
func (f Field) ErrorID() string { return f.ID + "-error" }

// DescribedBy is the field's aria-describedby: its hint and error, if any.
func (f Field) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.HintID())
	}
	if f.Error != "" {
		ids = append(ids, f.ErrorID())
	}
	return strings.Join(ids, " ")
}

// Form holds a form's fields, the values sent and the errors to show: the
// error summary at the top links each message to its field's input.
type Form struct {
	fields []Field
	values map[string]string
	errors map[string]string
	order  []string // fields with errors, in the order they were added
}

// NewForm returns a form with the fields in page order.
func NewForm(fields ...Field) *Form {
	f := &Form{values: map[string]string{}, errors: map[string]string{}}
	for _, fd := range fields {
		if fd.ID == "" {
			fd.ID = FieldID(fd.Name)
		}
		if fd.Type == "" {
			fd.Type = "text"
		}
		f.fields = append(f.fields, fd)
	}
	return f
}

// Bind reads the form's fields from the posted form, trimming spaces
// (except from passwords).
func (f *Form) Bind(c *gin.Context) *Form {
	for _, fd := range f.fields {
		v := c.PostForm(fd.Name)
		if fd.Type != "password" {
			v = strings.TrimSpace(v)
		}
		f.values[fd.Name] = v
	}
	return f
}

// Value returns what was sent for the field.
func (f *Form) Value(name string) string { return f.values[name] }

// Set sets the value a field shows.
func (f *Form) Set(name, value string) { f.values[name] = value }

// Field returns the field with its value and error, for the templates.
// Passwords are never sent back to the browser.
func (f *Form) Field(name string) Field {
	fd := Field{Name: name, ID: FieldID(name), Type: "text"}
	for _, x := range f.fields {
		if x.Name == name {
			fd = x
		}
	}
	if fd.Type != "password" {
		fd.Value = f.values[name]
	}
	fd.Error = f.errors[name]
	return fd
}

// Add records an error message for a field; the first message of a field
// is the one shown. Messages are sentences a person can act on, like
// "Enter your email address".
func (f *Form) Add(name, message string) {
	if _, ok := f.errors[name]; ok {
		return
	}
	f.errors[name] = message
	f.order = append(f.order, name)
}

// AddError records an Invalid error from a use case on the field it names,
// worded with the field's label ("Hours per week must be more than 0"). It
// reports false, recording nothing, for any other error: the caller
// returns that error for the error pages.
func (f *Form) AddError(err error) bool {
	e := errs.As(err)
	if e == nil || e.Code != errs.Invalid {
		return false
	}
	label := humanise(e.Field)
	for _, x := range f.fields {
		if x.Name == e.Field && x.Label != "" {
			label = x.Label
		}
	}
	msg := strings.TrimSpace(e.Message)
	if msg != "" && msg[:1] == strings.ToLower(msg[:1]) && label != "" {
		msg = label + " " + msg
	}
	f.Add(e.Field, strings.TrimSuffix(sentence(msg), "."))
	return true
}

// HasErrors reports whether the form has any error to show.
func (f *Form) HasErrors() bool { return f != nil && len(f.order) > 0 }

// SummaryItem is one line of the error summary.
type SummaryItem struct {
	Href string // "#field-id"; empty when the field is not on the page
	Text string
}

// Summary lists the errors for the error summary: fields on the page first,
// in page order, then any others.
func (f *Form) Summary() []SummaryItem {
	var items []SummaryItem
	seen := map[string]bool{}
	for _, fd := range f.fields {
		if msg, ok := f.errors[fd.Name]; ok {
			items = append(items, SummaryItem{Href: "#" + fd.ID, Text: msg})
			seen[fd.Name] = true
		}
	}
	for _, name := range f.order {
		if !seen[name] {
			items = append(items, SummaryItem{Text: f.errors[name]})
		}
	}
	return items
}

var notIDChar = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// FieldID turns an errs field name (a JSON path such as
// "needs[1].hours_per_week") into the id of its input ("needs-1-hours_per_week").
func FieldID(name string) string {
	id := strings.Trim(notIDChar.ReplaceAllString(name, "-"), "-")
	if id == "" {
		return "field"
	}
	return id
}

// humanise turns a field or status name into words: "hours_per_week" ->
// "Hours per week", "needs[1].hours_per_week" -> "Hours per week".
func humanise(name string) string {
	if i := strings.LastIndex(name, "."); i >= 0 {
		name = name[i+1:]
	}
	if i := strings.Index(name, "["); i >= 0 {
		name = name[:i]
	}
	name = strings.TrimSpace(strings.ReplaceAll(name, "_", " "))
	if name == "" {
		return ""
	}
	return strings.ToUpper(name[:1]) + name[1:]
}
