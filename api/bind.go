package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/errs"
)

// bindJSON decodes the request body into v strictly: the content type must
// be JSON, unknown fields and trailing data are refused, wrong types name
// the field, and the body size is capped by the limitBody middleware.
func bindJSON(c *gin.Context, v any) error {
	ct := c.GetHeader("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return errs.InvalidField("Content-Type", "must be application/json")
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errs.InvalidField("body", "is larger than the %d bytes allowed", tooBig.Limit)
		}
		return errs.InvalidField("body", "could not be read")
	}
	return decodeStrict(body, v)
}

// decodeStrict is bindJSON's decoding, shared with the fuzz tests.
func decodeStrict(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return errs.InvalidField("body", "is empty; send a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		jerr := jsonError(err)
		if e := errs.As(jerr); e != nil && e.Field == "body" && e.Code == errs.Invalid && json.Valid(body) {
			// A field's own UnmarshalJSON refused its value (a bad date, say).
			if path, ferr := locateBadField(body, reflect.TypeOf(v)); path != "" && ferr != nil {
				return errs.InvalidField(path, "%s", strings.TrimPrefix(ferr.Error(), "json: "))
			}
		}
		return jerr
	}
	if dec.More() {
		return errs.InvalidField("body", "has data after the JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return errs.InvalidField("body", "has data after the JSON object")
	}
	return nil
}

func jsonError(err error) error {
	var (
		syntax    *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
		invalidUn *json.InvalidUnmarshalError
	)
	switch {
	case errors.As(err, &syntax):
		return errs.InvalidField("body", "is not valid JSON (at byte %d)", syntax.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errs.InvalidField("body", "is not valid JSON (it ends too soon)")
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		return errs.InvalidField(field, "must be %s, not %s", describeType(typeErr.Type.Kind().String()), typeErr.Value)
	case errors.As(err, &invalidUn):
		return errs.Internalf(err, "bad decode target")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		if name == "" || len(name) > 100 {
			return errs.InvalidField("body", "has a field this request does not accept")
		}
		return errs.InvalidField(name, "is not a field this request accepts")
	}
	// Errors from a field's own UnmarshalJSON (a bad date, say) name no field
	// in encoding/json; say what we know.
	return errs.InvalidField("body", "%s", strings.TrimPrefix(err.Error(), "json: "))
}

func describeType(kind string) string {
	switch kind {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "a whole number"
	case "float32", "float64":
		return "a number"
	case "string":
		return "text"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "a list"
	case "map", "struct":
		return "an object"
	}
	return fmt.Sprintf("a %s", kind)
}
