// Package migrations holds the schema as SQL files, embedded in the binary
// and applied with goose by `carebroker migrate` and at start-up. Tests run
// the same files. Version ranges are split by owning package so work on
// different packages never collides:
//
//	00001-00009 accounts, audit, idempotency (foundation)
//	00010-00019 providers
//	00020-00029 brokerage
//	00030-00039 agreements and notifications
//	00040-00059 later issues (arrangement routes, security)
//	00060-     performance (the directory version, indexes the load test showed)
package migrations

import "embed"

// FS holds the migration files.
//
//go:embed *.sql
var FS embed.FS
