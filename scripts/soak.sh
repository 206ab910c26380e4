#!/usr/bin/env bash
# The long fault runs (README, "Faults"): every fault test under -race, with
# the concurrency soak at 100 rounds and the worker-kill test across 1,000
# agreements. The normal test run (scripts/test.sh) runs the same tests
# smaller: 8 rounds and 300 agreements.
set -euo pipefail
export GOTOOLCHAIN=go1.27.3 # go.mod's go line; see the README's quick start
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/services.sh"
export TEST_DATABASE_URL=${TEST_DATABASE_URL:-${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}}
export SOAK_ROUNDS=${SOAK_ROUNDS:-100} FAULTS_AGREEMENTS=${FAULTS_AGREEMENTS:-1000}
echo "== faults: soak of $SOAK_ROUNDS rounds, worker killed across $FAULTS_AGREEMENTS agreements"
go test -race -count=1 -timeout 40m -v ./faults/ 2>&1 | grep -E '^(=== RUN|--- |PASS|FAIL|ok|panic)|_test\.go:[0-9]+:'
