#!/usr/bin/env bash
# Quick start, part two: every test. go vet, the Go tests under the race
# detector (each test in its own database cloned from a migrated template),
# a few seconds of each fuzzer, govulncheck, and the browser tests.
set -euo pipefail
export GOTOOLCHAIN=go1.27.3 # go.mod's go line; see the README's quick start
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/services.sh"
export TEST_DATABASE_URL=${TEST_DATABASE_URL:-${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}}
# The email tests send to Mailpit (started by services.sh) and read its API.
export SMTP_URL=${SMTP_URL:-smtp://127.0.0.1:1025} MAILPIT_API=${MAILPIT_API:-http://127.0.0.1:8025}

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.data/*'))
if [ -n "$unformatted" ]; then echo "gofmt would change: $unformatted" >&2; exit 1; fi
echo "== go vet"
go vet ./...
echo "== go test -race"
# The fault tests run on their own, after the rest: their servers hold pools of
# up to 40 connections each, and beside another package's concurrency tests
# they could pass the shared PostgreSQL's max_connections (100).
go test -race -count=1 -timeout 20m $(go list ./... | grep -v '/faults$')
echo "== fault tests (go test -race ./faults/)"
go test -race -count=1 -timeout 20m ./faults/
if [ -x "$root/scripts/fuzz.sh" ]; then
  echo "== fuzz (brief)"
  "$root/scripts/fuzz.sh" # 3s a target, within a minute in all (FUZZTIME, FUZZ_BUDGET)
fi
if [ -x "$root/scripts/vulncheck.sh" ]; then
  echo "== govulncheck"
  "$root/scripts/vulncheck.sh"
fi
if [ -x "$root/scripts/browser-test.sh" ]; then
  echo "== browser tests"
  "$root/scripts/browser-test.sh"
fi
echo "== all tests passed"
