package providers

import (
	"database/sql/driver"
	"fmt"
	"strings"
)

// textArray is a PostgreSQL text[] column as a Go []string. The driver
// hands arrays to database/sql as their text form, so Scan parses that form
// and Value writes it.
type textArray []string

// Value writes the array literal, quoting every element.
func (a textArray) Value() (driver.Value, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, s := range a {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		for i := 0; i < len(s); i++ { // bytes, so any string comes back as it was
			if s[i] == '"' || s[i] == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(s[i])
		}
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String(), nil
}

// Scan reads a one-dimensional array literal such as {a,"b c",NULL}. NULL
// elements are dropped; a NULL array is empty.
func (a *textArray) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case nil:
		*a = textArray{}
		return nil
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("textArray: cannot scan %T", src)
	}
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return fmt.Errorf("textArray: %q is not an array literal", s)
	}
	body := s[1 : len(s)-1]
	out := textArray{}
	for i := 0; i < len(body); {
		var elem strings.Builder
		quoted := body[i] == '"'
		if quoted {
			i++
			for i < len(body) && body[i] != '"' {
				if body[i] == '\\' && i+1 < len(body) {
					i++
				}
				elem.WriteByte(body[i])
				i++
			}
			i++ // closing quote
		} else {
			for i < len(body) && body[i] != ',' {
				elem.WriteByte(body[i])
				i++
			}
		}
		if quoted || elem.String() != "NULL" {
			out = append(out, elem.String())
		}
		if i < len(body) && body[i] == ',' {
			i++
		}
	}
	*a = out
	return nil
}

func serviceTypesOf(a textArray) []ServiceType {
	out := make([]ServiceType, len(a))
	for i, s := range a {
		out[i] = ServiceType(s)
	}
	return out
}

func textArrayOf(ts []ServiceType) textArray {
	out := make(textArray, len(ts))
	for i, t := range ts {
		out[i] = string(t)
	}
	return out
}
