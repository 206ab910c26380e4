#!/usr/bin/env bash
# Runs every fuzz target in the module for FUZZTIME each (default 3s; `make
# fuzz` runs 60s each). Targets are discovered, not listed here: packages
# whose tests declare `func FuzzX(f *testing.F)` are asked for their
# targets with `go test -list '^Fuzz'`, so a new fuzzer is picked up
# without editing this file. The committed seed corpora under
# testdata/fuzz/<FuzzName>/ also run as plain tests in `go test ./...`.
#
# A failure leaves its input in the package's testdata/fuzz/<FuzzName>/:
# commit it with the fix, and it is a regression test from then on.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
fuzztime=${FUZZTIME:-3s}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

mapfile -t dirs < <(grep -rlE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*\(f \*testing\.F\)' . \
  | grep -v -E '^\./(\.data|node_modules|vendor)/' | xargs -r -n1 dirname | sort -u)
if [ ${#dirs[@]} -eq 0 ]; then
  echo "fuzz: no fuzz targets found" >&2
  exit 1
fi

ran=0
failed=()
start=$SECONDS
for dir in "${dirs[@]}"; do
  mapfile -t targets < <(go test -list '^Fuzz' "$dir" | grep -E '^Fuzz' || true)
  for name in "${targets[@]}"; do
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
done
echo "fuzz: $ran targets, $((ran - ${#failed[@]})) passed, ${#failed[@]} failed, in $((SECONDS - start))s"
if [ ${#failed[@]} -gt 0 ]; then
  printf 'fuzz: failed: %s\n' "${failed[@]}" >&2
  exit 1
fi
