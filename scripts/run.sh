#!/usr/bin/env bash
# Quick start, part one: run the service with the demo data.
set -euo pipefail
export GOTOOLCHAIN=go1.27.3 # go.mod's go line; see the README's quick start
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/services.sh"
export DEV=${DEV:-1}
export LISTEN_ADDR=${LISTEN_ADDR:-127.0.0.1:8080}
# Email goes to Mailpit (services.sh started it): read it at MAILPIT_API.
export SMTP_URL=${SMTP_URL:-smtp://127.0.0.1:1025}
echo "run: emails are caught by Mailpit; read them at ${MAILPIT_API:-http://127.0.0.1:8025}"
mkdir -p bin
go build -o bin/carebroker ./cmd/carebroker
exec bin/carebroker serve --seed
