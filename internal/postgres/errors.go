package postgres

import (
	"errors"

	"gorm.io/gorm"
)

// NotFound returns nf when err says a query found no row (gorm's
// ErrRecordNotFound, from Take or First), and Translate(err) otherwise:
// a store's "no such thing" in one line.
func NotFound(err, nf error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nf
	}
	return Translate(err)
}

// IsUniqueViolation reports whether err is a unique violation of the named
// index or constraint (with gorm's TranslateError, ErrDuplicatedKey).
func IsUniqueViolation(err error, name string) bool {
	return errors.Is(err, gorm.ErrDuplicatedKey) && ConstraintName(err) == name
}
