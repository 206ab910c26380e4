#!/usr/bin/env bash
# make loadtest: the service under load on this machine. Starts PostgreSQL
# and Redis if they are not running (scripts/services.sh), then runs
# cmd/loadtest, which recreates its own database (carebroker_loadtest),
# generates 25,000 services and 5,000 open requests, serves the real router
# on a free port and prints Markdown tables. A few minutes in all.
# Arguments go to cmd/loadtest (see `go run ./cmd/loadtest -h`), e.g.
#   ./scripts/loadtest.sh -match-rates 10,20,40 -step 3s
# The tables are also written to .data/loadtest.md.
set -euo pipefail
export GOTOOLCHAIN=go1.27.3 # go.mod's go line; see the README's quick start
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/services.sh"
db=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/carebroker?sslmode=disable}
base=${db%%\?*}; base=${base%/*}
export LOADTEST_DATABASE_URL=${LOADTEST_DATABASE_URL:-$base/carebroker_loadtest?sslmode=disable}
mkdir -p "$root/.data"
go build -o "$root/.data/loadtest" ./cmd/loadtest
"$root/.data/loadtest" -data demo/data/gm_care_homes.csv "$@" | tee "$root/.data/loadtest.md"
