package api

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// locateBadField finds the JSON path of the value that a type's own
// UnmarshalJSON refused (encoding/json does not say), by decoding the body
// again one field at a time. It returns "" if it cannot tell.
func locateBadField(body []byte, target reflect.Type) (string, error) {
	return locate(json.RawMessage(body), target, "")
}

func locate(raw json.RawMessage, t reflect.Type, path string) (string, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if err := json.Unmarshal(raw, reflect.New(t).Interface()); err == nil {
		return "", nil
	} else if reflect.PointerTo(t).Implements(unmarshalerType) || t.Kind() != reflect.Struct && t.Kind() != reflect.Slice {
		return path, err
	}
	switch t.Kind() {
	case reflect.Struct:
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil {
			return "", nil
		}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name := jsonName(f)
			v, ok := obj[name]
			if !ok || name == "-" {
				continue
			}
			if p, err := locate(v, f.Type, join(path, name)); p != "" {
				return p, err
			}
		}
	case reflect.Slice:
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return "", nil
		}
		for i, item := range items {
			if p, err := locate(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p, err
			}
		}
	}
	return "", nil
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

func jsonName(f reflect.StructField) string {
	tag := f.Tag.Get("json")
	name, _, _ := strings.Cut(tag, ",")
	if name == "" {
		return f.Name
	}
	return name
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
