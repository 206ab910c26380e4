#!/usr/bin/env bash
# govulncheck ./... against the Go vulnerability database. Any vulnerability
# that the code calls fails the script (and so scripts/test.sh and CI).
#
# The database, by default, is built here from a pinned snapshot and needs no
# network beyond the Go module proxy: golang.org/x/vulndb@$vulndb_version
# (below) holds the OSV records in data/osv/, and its own cmd/indexdb writes
# them into a database govulncheck reads with -db file:// (in the cache named
# below). That is done once (about 40 MB) and again only when vulndb_version
# changes (vulndb.version beside it says which snapshot is there). Both steps run in a
# scratch module so the project's go.mod and go.sum never gain vulndb's
# dependencies. To move to newer advisories, set vulndb_version to what
#   (cd "$(mktemp -d)" && go mod init x && go list -m golang.org/x/vulndb@master)
# prints, and say so in the README.
#
# VULNDB=https://vuln.go.dev (or a mirror, or file:///path to a directory that
# holds index/db.json) scans against that database instead: use it where there
# is network, for today's advisories.
#
# When no database can be had (the module proxy cannot be reached, or VULNDB
# names one that is not there) the script prints a loud banner and FAILS;
# VULNCHECK_REQUIRED=0 turns that into a loud SKIPPED and exit 0, for a
# machine that truly has no way to the database. That is not the normal path.
set -euo pipefail
export GOTOOLCHAIN=go1.27.3 # go.mod's go line; see the README's quick start
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
govulncheck_version=v1.9.0
vulndb_version=v0.0.0-20261105234957-e22db6528018
# The database and the govulncheck binary depend only on the versions pinned
# here, so they are kept in the user's cache and shared by every clone on the
# machine (CI checks out a fresh one each time); VULNCHECK_CACHE moves it, and
# the repository's .data is used where the cache cannot be written.
data="${VULNCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/carebroker-vulncheck}"
mkdir -p "$data" 2>/dev/null && [ -w "$data" ] || data="$root/.data"

no_database() {
  echo "################################################################################" >&2
  echo "## govulncheck: NO VULNERABILITY DATABASE: $1" >&2
  echo "## No vulnerability scan was done. The pinned database comes from the Go module"  >&2
  echo "## proxy (golang.org/x/vulndb@$vulndb_version); or set VULNDB to a reachable" >&2
  echo "## mirror or a local copy (file:///path/to/vulndb)." >&2
  if [ "${VULNCHECK_REQUIRED:-1}" = 0 ]; then
    echo "## SKIPPED because VULNCHECK_REQUIRED=0." >&2
    echo "################################################################################" >&2
    exit 0
  fi
  echo "################################################################################" >&2
  exit 1
}

# build_database writes the pinned snapshot's records as a database in
# .data/vulndb, unless that snapshot is already there.
build_database() {
  local out="$data/vulndb" stamp="$data/vulndb.version"
  if [ -f "$out/index/db.json" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$vulndb_version" ]; then
    return
  fi
  echo "vulncheck: building the vulnerability database from golang.org/x/vulndb@$vulndb_version into $out"
  local started=$SECONDS
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  printf 'module vulndb-scratch\n' >"$scratch/go.mod"
  local moddir
  moddir=$(cd "$scratch" && go mod download -json "golang.org/x/vulndb@$vulndb_version" 2>&1 \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p') || true
  [ -n "$moddir" ] && [ -d "$moddir/data/osv" ] \
    || no_database "golang.org/x/vulndb@$vulndb_version cannot be downloaded from $(go env GOPROXY 2>/dev/null || echo "${GOPROXY:-the Go module proxy}")"
  rm -rf "$out" "$out.partial" "$stamp"
  mkdir -p "$data"
  # go run pkg@version ignores any go.mod around it; the scratch directory
  # makes sure of it.
  (cd "$scratch" && go run "golang.org/x/vulndb/cmd/indexdb@$vulndb_version" \
    -vulns "$moddir/data/osv" -out "$out.partial")
  mv "$out.partial" "$out"
  echo "$vulndb_version" >"$stamp"
  echo "vulncheck: database built in $((SECONDS - started))s ($(find "$out" -type f | wc -l) files, $(du -sh "$out" | cut -f1))"
}

if [ -n "${VULNDB:-}" ]; then
  db=$VULNDB
  case "$db" in
    file://*)
      [ -f "${db#file://}/index/db.json" ] || no_database "${db#file://}/index/db.json does not exist (VULNDB=$db)"
      ;;
    http://*|https://*)
      command -v curl >/dev/null || no_database "curl is not installed, so $db cannot be checked"
      curl -fsS --max-time 10 -o /dev/null "$db/index/db.json" 2>/dev/null \
        || no_database "$db cannot be reached from this machine (VULNDB=$db)"
      ;;
    *) no_database "VULNDB=$db is neither file:// nor http(s)://" ;;
  esac
else
  build_database
  db="file://$data/vulndb"
fi

# govulncheck itself, pinned, built once into the cache.
bin="$data/bin/govulncheck-$govulncheck_version/govulncheck"
if [ ! -x "$bin" ]; then
  echo "vulncheck: building govulncheck $govulncheck_version into $data/bin"
  (cd /tmp && GOBIN=$(dirname "$bin") GOFLAGS= go install "golang.org/x/vuln/cmd/govulncheck@$govulncheck_version")
fi
if [ -n "${VULNDB:-}" ]; then
  about="database $db"
else
  # The records in the snapshot carry no dates of their own (indexdb writes
  # "modified" as year 1): the snapshot's commit time is the database's date.
  stamp=${vulndb_version#v0.0.0-}; stamp=${stamp%%-*}
  about="database golang.org/x/vulndb snapshot of ${stamp:0:4}-${stamp:4:2}-${stamp:6:2} ${stamp:8:2}:${stamp:10:2} UTC ($db)"
fi
echo "vulncheck: govulncheck $govulncheck_version, $(go version | cut -d' ' -f3), $about"
# Exit status 3 means the code calls a known vulnerability; set -e passes it on.
"$bin" -db "$db" ./...
