package providers

import (
	"context"

	"github.com/carebroker/carebroker/internal/postgres"
)

// DirectoryVersion returns a number that grows whenever anything Candidates
// reads changes (migration 00061 moves it at the commit of every change). A
// reader that reads the version first and the directory after never holds
// data older than the version says, so a cache keyed by it is never stale.
func (s *Store) DirectoryVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.db.Gorm(ctx).Raw(`SELECT version FROM directory_version`).Scan(&v).Error
	return v, postgres.Translate(err)
}
