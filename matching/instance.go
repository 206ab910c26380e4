package matching

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
)

// Instance is a batch to solve: the configuration, the open requests and the provider services.
// Its JSON form is described in the package documentation.
type Instance struct {
	Config   Config    `json:"config"`
	Requests []Request `json:"requests"`
	Services []Service `json:"services"`
}

// maxInstanceBytes bounds what ReadInstance reads, so a runaway file fails cleanly.
const maxInstanceBytes = 512 << 20

// ReadInstance reads and validates an instance. Fields not given in "config" keep their
// DefaultConfig values. Unknown fields are errors, so a misspelt field is not silently ignored.
// Every problem is reported as a *FieldError naming the field, such as
// "requests[3].hours: must be positive" or "services[0].capacity.from: must be a date like
// 2026-12-01".
func ReadInstance(r io.Reader) (*Instance, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxInstanceBytes+1))
	if err != nil {
		return nil, &FieldError{Message: "cannot read the instance: " + err.Error()}
	}
	if len(data) > maxInstanceBytes {
		return nil, &FieldError{Message: "the instance is larger than 512 MiB"}
	}
	var raw struct {
		Config   json.RawMessage   `json:"config"`
		Requests []json.RawMessage `json:"requests"`
		Services []json.RawMessage `json:"services"`
	}
	if err := decodeStrict(data, &raw); err != nil {
		return nil, jsonError("", err, data, &raw)
	}
	inst := &Instance{Config: DefaultConfig()}
	if len(raw.Config) > 0 && string(raw.Config) != "null" {
		if err := decodeStrict(raw.Config, &inst.Config); err != nil {
			return nil, jsonError("config", err, raw.Config, &inst.Config)
		}
	}
	if raw.Requests == nil {
		return nil, fieldErr("requests", "must be a list of requests")
	}
	if raw.Services == nil {
		return nil, fieldErr("services", "must be a list of services")
	}
	inst.Requests = make([]Request, len(raw.Requests))
	for i, m := range raw.Requests {
		if err := decodeElement(m, &inst.Requests[i]); err != nil {
			return nil, jsonError(indexed("requests", i), err, m, &inst.Requests[i])
		}
	}
	inst.Services = make([]Service, len(raw.Services))
	for i, m := range raw.Services {
		if err := decodeElement(m, &inst.Services[i]); err != nil {
			return nil, jsonError(indexed("services", i), err, m, &inst.Services[i])
		}
	}
	if err := inst.Validate(); err != nil {
		return nil, err
	}
	return inst, nil
}

// Validate checks the configuration, every request and service, and that IDs are unique. It
// returns a *FieldError naming the first field that is wrong.
func (inst *Instance) Validate() error {
	if err := inst.Config.validate(); err != nil {
		return within("config", err)
	}
	if len(inst.Requests) > maxBatch {
		return fieldErr("requests", "must hold at most "+strconv.Itoa(maxBatch)+" requests")
	}
	ids := make(map[string]int, len(inst.Requests))
	for i := range inst.Requests {
		if err := inst.Requests[i].validate(); err != nil {
			return within(indexed("requests", i), err)
		}
		if j, dup := ids[inst.Requests[i].ID]; dup {
			return fieldErr(indexed("requests", i)+".id", "duplicates requests["+strconv.Itoa(j)+"].id")
		}
		ids[inst.Requests[i].ID] = i
	}
	clear(ids)
	for i := range inst.Services {
		if err := inst.Services[i].validate(); err != nil {
			return within(indexed("services", i), err)
		}
		if j, dup := ids[inst.Services[i].ID]; dup {
			return fieldErr(indexed("services", i)+".id", "duplicates services["+strconv.Itoa(j)+"].id")
		}
		ids[inst.Services[i].ID] = i
	}
	return nil
}

func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errTrailing
	}
	return nil
}

// decodeElement decodes one request or service, which must be a JSON object.
func decodeElement(data []byte, v any) error {
	if len(data) == 0 || data[0] != '{' {
		return errNotObject
	}
	return decodeStrict(data, v)
}

var (
	errTrailing  = errors.New("unexpected data after the end of the JSON value")
	errNotObject = errors.New("must be an object")
)

// jsonError turns an error decoding data into v into a *FieldError under path.
func jsonError(path string, err error, data []byte, v any) *FieldError {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return &FieldError{Field: path, Message: "not valid JSON at byte " + strconv.FormatInt(syntax.Offset, 10) + ": " + strings.TrimPrefix(syntax.Error(), "json: ")}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &FieldError{Field: path, Message: "not valid JSON: it ends too soon"}
	case errors.As(err, &typeErr):
		field, inner := path, typeErr.Field
		if inner == "" {
			inner = fieldOf(data, reflect.TypeOf(v))
		}
		if inner != "" {
			field = strings.TrimPrefix(path+"."+inner, ".")
		}
		return &FieldError{Field: field, Message: expected(typeErr.Type, typeErr.Value)}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return &FieldError{Field: path, Message: "has an unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")}
	case err == errNotObject && path == "":
		return &FieldError{Message: "the instance must be a JSON object"}
	}
	return &FieldError{Field: path, Message: strings.TrimPrefix(err.Error(), "json: ")}
}

// fieldOf names the field of a value of type t whose JSON in data does not
// decode, as encoding/json's UnmarshalTypeError.Field does: struct fields by
// their JSON names, joined by dots, list indexes left out ("capacity.from").
// Since Go 1.27 the decoder no longer fills Field in an error returned by a
// type's own UnmarshalJSON, which is how dates, ratings and service types
// refuse a bad value; this finds it again. It returns "" when it cannot.
func fieldOf(data []byte, t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	fails := func(raw []byte, ft reflect.Type) bool { return json.Unmarshal(raw, reflect.New(ft).Interface()) != nil }
	switch t.Kind() {
	case reflect.Struct:
		var obj map[string]json.RawMessage
		if json.Unmarshal(data, &obj) != nil {
			return ""
		}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			raw, ok := obj[name]
			if !ok || !fails(raw, f.Type) {
				continue
			}
			if inner := fieldOf(raw, f.Type); inner != "" {
				return name + "." + inner
			}
			return name
		}
	case reflect.Slice, reflect.Array:
		var items []json.RawMessage
		if json.Unmarshal(data, &items) != nil {
			return ""
		}
		for _, raw := range items {
			if fails(raw, t.Elem()) {
				return fieldOf(raw, t.Elem())
			}
		}
	}
	return ""
}

// expected says what a field of type t must hold.
func expected(t reflect.Type, got string) string {
	switch t {
	case reflect.TypeFor[Date]():
		return "must be a date like 2026-12-01"
	case reflect.TypeFor[ServiceType]():
		codes := make([]string, 0, numServiceTypes-1)
		for _, st := range ServiceTypes() {
			codes = append(codes, st.String())
		}
		return oneOf(codes)
	case reflect.TypeFor[Rating]():
		return oneOf(ratingCodes[:])
	case reflect.TypeFor[Unit]():
		return "must be hours or places"
	}
	switch t.Kind() {
	case reflect.String:
		return "must be a string"
	case reflect.Bool:
		return "must be true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if strings.HasPrefix(got, "number") {
			return "must be a whole number in range"
		}
		return "must be a whole number"
	case reflect.Float32, reflect.Float64:
		return "must be a number"
	case reflect.Slice, reflect.Array:
		return "must be a list"
	case reflect.Struct, reflect.Map:
		return "must be an object"
	}
	return "has the wrong type of value"
}
