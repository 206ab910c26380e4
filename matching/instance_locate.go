package matching

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
)

// withField fills in the field of a decoding error that came back without
// one. Since Go 1.27 encoding/json (built on json/v2) returns the error of
// a type's own UnmarshalJSON (Date, ServiceType, Rating, Unit) as it is,
// without the path of the value it refused; this finds that path by
// decoding data into v's type again, one field at a time.
func withField(data []byte, v any, err error) error {
	var typeErr *json.UnmarshalTypeError
	if !errors.As(err, &typeErr) || typeErr.Field != "" {
		return err
	}
	if path := locate(data, reflect.TypeOf(v)); path != "" {
		located := *typeErr
		located.Field = path
		return &located
	}
	return err
}

// locate returns the path below t of the first value in raw that t's
// decoding refuses, or "" if it cannot tell (or raw decodes).
func locate(raw []byte, t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if json.Unmarshal(raw, reflect.New(t).Interface()) == nil {
		return ""
	}
	switch t.Kind() {
	case reflect.Struct:
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil {
			return ""
		}
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" {
				name = f.Name
			}
			v, ok := obj[name]
			if !ok || name == "-" {
				continue
			}
			if json.Unmarshal(v, reflect.New(f.Type).Interface()) != nil {
				if inner := locate(v, f.Type); inner != "" && !strings.HasPrefix(inner, "[") {
					return name + "." + inner
				} else if inner != "" {
					return name + inner
				}
				return name
			}
		}
	case reflect.Slice:
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return ""
		}
		for i, item := range items {
			if json.Unmarshal(item, reflect.New(t.Elem()).Interface()) != nil {
				at := "[" + strconv.Itoa(i) + "]"
				if inner := locate(item, t.Elem()); inner != "" && !strings.HasPrefix(inner, "[") {
					return at + "." + inner
				} else if inner != "" {
					return at + inner
				}
				return at
			}
		}
	}
	return ""
}
