#!/usr/bin/env bash
# Runs every fuzz target in the module for FUZZTIME each (`make fuzz` runs
# 60s each). Without FUZZTIME (as in scripts/test.sh) each target gets 3s,
# less when that would make the whole run exceed FUZZ_BUDGET seconds
# (default 60; each target also costs ~3s of building), but never under 1s.
# Targets are discovered, not listed here: packages
# whose tests declare `func FuzzX(f *testing.F)` are asked for their
# targets with `go test -list '^Fuzz'`, so a new fuzzer is picked up
# without editing this file. The committed seed corpora under
# testdata/fuzz/<FuzzName>/ also run as plain tests in `go test ./...`.
#
# A failure leaves its input in the package's testdata/fuzz/<FuzzName>/:
# commit it with the fix, and it is a regression test from then on.
set -euo pipefail
export GOTOOLCHAIN=go1.27.3 # go.mod's go line; see the README's quick start
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
start=$SECONDS
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

mapfile -t dirs < <(grep -rlE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*\(f \*testing\.F\)' . \
  | grep -v -E '^\./(\.data|node_modules|vendor)/' | xargs -r -n1 dirname | sort -u)
if [ ${#dirs[@]} -eq 0 ]; then
  echo "fuzz: no fuzz targets found" >&2
  exit 1
fi

# Discover first, so the budget can be shared out. One `go test -list` for
# all the packages: it prints each package's targets, then its "ok" line.
declare -a work=() pending=()
while read -r first second _; do
  case "$first" in
    Fuzz*) pending+=("$first") ;;
    ok)
      for name in "${pending[@]}"; do work+=("$second $name"); done
      pending=()
      ;;
    *) echo "fuzz: listing targets: $first $second" >&2; exit 1 ;;
  esac
done < <(go test -list '^Fuzz' "${dirs[@]}")
if [ -n "${FUZZTIME:-}" ]; then
  fuzztime=$FUZZTIME
else
  budget=${FUZZ_BUDGET:-60}
  per=$(( budget / ${#work[@]} - 3 ))
  [ "$per" -gt 3 ] && per=3
  [ "$per" -lt 1 ] && per=1
  fuzztime="${per}s"
fi
echo "fuzz: ${#work[@]} targets, $fuzztime each"

ran=0
failed=()
for item in "${work[@]}"; do
  dir=${item% *} name=${item#* }
  log="$logs/$(echo "$dir/$name" | tr '/.' '__').log"
  if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -fuzzminimizetime 10s "$dir" >"$log" 2>&1; then
    execs=$(grep -oE 'execs: [0-9]+' "$log" | tail -n 1 || true)
    echo "fuzz: ok   $dir $name ($fuzztime, ${execs:-execs: ?})"
  else
    echo "fuzz: FAIL $dir $name" >&2
    grep -v -E '^fuzz: elapsed' "$log" | tail -n 30 >&2
    failed+=("$dir $name")
  fi
  ran=$((ran + 1))
done
echo "fuzz: $ran targets, $((ran - ${#failed[@]})) passed, ${#failed[@]} failed, in $((SECONDS - start))s"
if [ ${#failed[@]} -gt 0 ]; then
  printf 'fuzz: failed: %s\n' "${failed[@]}" >&2
  exit 1
fi
