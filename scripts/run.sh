#!/usr/bin/env bash
# Quick start, part one: run the service with the demo data.
set -euo pipefail
export GOTOOLCHAIN=go1.27.3 # go.mod's go line; see the README's quick start
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/services.sh"
export DEV=${DEV:-1}
export LISTEN_ADDR=${LISTEN_ADDR:-127.0.0.1:8080}
mkdir -p bin
go build -o bin/carebroker ./cmd/carebroker
exec bin/carebroker serve --seed
