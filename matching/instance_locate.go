package matching

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
)

// locateField finds the path, below an element of the instance, of the value
// that a type's own UnmarshalJSON refused. encoding/json fills
// UnmarshalTypeError.Field for such errors in some Go releases and not in
// others, so the path is found by decoding the element again one field at a
// time. It returns "" when it cannot tell.
func locateField(raw json.RawMessage, t reflect.Type, path string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if json.Unmarshal(raw, reflect.New(t).Interface()) == nil {
		return ""
	}
	if reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]()) || t.Kind() != reflect.Struct && t.Kind() != reflect.Slice {
		return path
	}
	switch t.Kind() {
	case reflect.Struct:
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil {
			return ""
		}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" {
				name = f.Name
			}
			if v, ok := obj[name]; ok && name != "-" {
				if p := locateField(v, f.Type, strings.TrimPrefix(path+"."+name, ".")); p != "" {
					return p
				}
			}
		}
	case reflect.Slice:
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return ""
		}
		for i, item := range items {
			if p := locateField(item, t.Elem(), path+"["+strconv.Itoa(i)+"]"); p != "" {
				return p
			}
		}
	}
	return ""
}
