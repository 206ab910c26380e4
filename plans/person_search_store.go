package plans

import (
	"context"
	"strings"
)

// personsLike lists up to limit persons whose name contains part, any case.
func (s *Store) personsLike(ctx context.Context, part string, limit int) ([]Person, error) {
	like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(part) + "%"
	var rows []personRow
	err := s.db.Gorm(ctx).Where("name ILIKE ?", like).Order("lower(name), date_of_birth, id").Limit(limit).Find(&rows).Error
	return personsFrom(rows), dbErr(err)
}
