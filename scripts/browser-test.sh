#!/usr/bin/env bash
# Browser tests of the web pages: builds the binary, starts it on a free port
# against its own fresh database (random name, dropped afterwards) seeded with
# the demo data, and runs the Playwright tests in frontend/browser with
# Debian's Chromium (installed with apt-get if missing; browsers are never
# downloaded by Playwright). Screenshots of the key pages land in
# frontend/browser/screenshots/.
set -euo pipefail
export GOTOOLCHAIN=go1.27.3 # go.mod's go line; see the README's quick start
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/services.sh" >/dev/null

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "browser-test: installing Debian's chromium with apt-get"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
command -v node >/dev/null || { echo "browser-test: node is needed (Node 20)" >&2; exit 1; }

server_url=${TEST_DATABASE_URL:-${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}}
db_name="carebroker_browser_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
# The same server, our own database: swap the path of the URL.
db_url=$(printf '%s' "$server_url" | sed -E "s#^([a-z]+://[^/]*)/[^?]*#\1/$db_name#")
admin_url=$(printf '%s' "$server_url" | sed -E "s#^([a-z]+://[^/]*)/[^?]*#\1/postgres#")
work=$(mktemp -d)
server_pid=""

cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  psql -q "$admin_url" -c "DROP DATABASE IF EXISTS \"$db_name\" WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "browser-test: building"
mkdir -p bin
go build -o bin/carebroker ./cmd/carebroker

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
export DEV=1 DATABASE_URL="$db_url" LISTEN_ADDR="127.0.0.1:$port" PUBLIC_URL="http://127.0.0.1:$port"
export REDIS_PREFIX="carebroker_browser_${db_name##*_}:"

echo "browser-test: database $db_name, seeding the demo data"
bin/carebroker seed >"$work/seed.log" 2>&1 || { cat "$work/seed.log" >&2; exit 1; }
bin/carebroker demo-users >"$work/demo-users.json" 2>"$work/demo-users.log" || { cat "$work/demo-users.log" >&2; exit 1; }

echo "browser-test: starting the service on port $port"
bin/carebroker serve >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { echo "browser-test: the service did not become ready" >&2; cat "$work/serve.log" >&2; exit 1; }

cd "$root/frontend/browser"
npm ci --no-audit --no-fund --loglevel=error 2>&1 | grep -v 'Unknown user config' || true
[ -d node_modules/playwright-core ] || { echo "browser-test: npm ci failed" >&2; exit 1; }
rm -rf screenshots
status=0
BASE_URL="http://127.0.0.1:$port" DEMO_USERS_FILE="$work/demo-users.json" CHROMIUM="$chromium" SCREENSHOTS_DIR=screenshots \
  node --test --test-concurrency=1 --test-reporter=spec tests/ || status=$?
if [ "$status" != 0 ]; then
  echo "browser-test: FAILED; the service's log:" >&2
  tail -n 50 "$work/serve.log" >&2
  exit "$status"
fi
echo "browser-test: passed; screenshots in frontend/browser/screenshots/"
