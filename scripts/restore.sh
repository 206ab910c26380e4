#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into a NEW database on the
# server of DATABASE_URL, then runs the invariant checker on it
# (`carebroker check`). It never writes into an existing database.
#
#   DATABASE_URL=postgres://.../carebroker scripts/restore.sh FILE [NEW_DATABASE]
#
# NEW_DATABASE defaults to carebroker_restore_<UTC time>. Exits non-zero if
# the restore fails or an invariant is broken; prints the restored database's
# URL last. CAREBROKER names the binary to check with (default: bin/carebroker,
# built with go if missing).
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to a database on the server to restore into}"
file=${1:?usage: restore.sh FILE [NEW_DATABASE]}
name=${2:-carebroker_restore_$(date -u +%Y%m%dT%H%M%SZ)}
[ -s "$file" ] || { echo "restore: $file is missing or empty" >&2; exit 1; }
case "$name" in *[!a-z0-9_]*) echo "restore: database name $name: use a-z, 0-9 and _" >&2; exit 1;; esac
bin=${PG_BIN:+$PG_BIN/}
root=$(cd "$(dirname "$0")/.." && pwd)

with_db() { # url name -> the url naming database name instead
  echo "$1" | sed -E "s#^([a-z]+://[^/?]*)(/[^?]*)?#\\1/$2#"
}
admin=$(with_db "$DATABASE_URL" postgres)
target=$(with_db "$DATABASE_URL" "$name")

exists=$("${bin}psql" "$admin" -Atc "SELECT 1 FROM pg_database WHERE datname = '$name'")
if [ "$exists" = 1 ]; then
  echo "restore: database $name already exists; restore only into a new one" >&2
  exit 1
fi
"${bin}psql" "$admin" -qc "CREATE DATABASE \"$name\""
"${bin}pg_restore" --no-owner --no-privileges --exit-on-error --dbname="$target" "$file"

carebroker=${CAREBROKER:-$root/bin/carebroker}
if [ ! -x "$carebroker" ]; then
  export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.27.3}
  (cd "$root" && mkdir -p bin && go build -o bin/carebroker ./cmd/carebroker)
fi
DATABASE_URL=$target "$carebroker" check
echo "restored into $target"
