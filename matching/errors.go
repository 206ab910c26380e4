package matching

import "strconv"

// FieldError says which field of the input was wrong and why, such as
// "requests[3].hours: must be positive". Validation and ReadInstance return it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e *FieldError) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

func fieldErr(field, message string) *FieldError {
	return &FieldError{Field: field, Message: message}
}

// within prefixes a FieldError's field with the path of the value that holds it.
func within(prefix string, err *FieldError) *FieldError {
	if err == nil {
		return nil
	}
	if err.Field == "" {
		return &FieldError{Field: prefix, Message: err.Message}
	}
	return &FieldError{Field: prefix + "." + err.Field, Message: err.Message}
}

func indexed(name string, i int) string { return name + "[" + strconv.Itoa(i) + "]" }

func oneOf(values []string) string {
	s := "must be one of "
	for i, v := range values {
		if i > 0 {
			s += ", "
		}
		s += v
	}
	return s
}

func contains(values []string, v string) bool {
	for _, x := range values {
		if x == v {
			return true
		}
	}
	return false
}
