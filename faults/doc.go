// Package faults holds the fault tests of issue 8: Redis stopped mid-run,
// PostgreSQL restarted mid-run, the notification worker and the server
// killed with SIGKILL, graceful shutdown under load, and a concurrency soak
// with an invariant checker. Everything is in the package's tests; the
// tests start their own PostgreSQL cluster and redis-server on free ports
// when they stop them, and never touch the machine's own services.
//
// The tests run one after another, not in parallel: each may hold a
// server's 40 database connections at once, and together they would pass
// the shared PostgreSQL's max_connections (100 by default).
//
// The soak runs SOAK_ROUNDS rounds (8 by default); `make soak` runs 100
// under -race.
package faults
