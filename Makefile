# The two commands of the README's quick start are scripts/run.sh and
# scripts/test.sh; these targets are the same for people who prefer make.
# go.mod's go line: the machine's own Go ignores it under GOTOOLCHAIN=local.
export GOTOOLCHAIN := go1.27.3

.PHONY: run test build services bench fuzz loadtest soak assets vulncheck

run:
	./scripts/run.sh

test:
	./scripts/test.sh

build:
	go build -o bin/carebroker ./cmd/carebroker

services:
	./scripts/services.sh

bench:
	go test -run '^$$' -bench . -benchmem ./matching/
	go test -run '^$$' -bench . -benchmem -benchtime 2000x ./agreements/
	go test -run '^$$' -bench . -benchtime 50x ./brokerage/
	go run ./cmd/matchbench
	go test -run '^$$' -bench MatchEndpoint -benchtime 200x ./loadtest/

# The service under load: 25,000 services, 5,000 open requests, the match
# endpoint and /healthz stepped up, then a mixed workload (a few minutes; see
# scripts/loadtest.sh and the README's Performance section).
loadtest:
	./scripts/loadtest.sh

# Refreshes the GOV.UK Frontend assets the pages embed (frontend/assets) from
# npm: the version is pinned in frontend/assets-src/package.json. go build and
# go test never need Node.
assets:
	cd frontend/assets-src && npm ci --no-audit --no-fund && npm run build

# Every fuzz target, a minute each (CI runs them 3s each from scripts/test.sh).
fuzz:
	FUZZTIME=$${FUZZTIME:-60s} ./scripts/fuzz.sh

# The fault tests at full size: 100 soak rounds, the worker killed across
# 1,000 agreements (SOAK_ROUNDS, FAULTS_AGREEMENTS), under -race.
soak:
	./scripts/soak.sh

# govulncheck against the pinned vulnerability database it builds in
# .data/vulndb (VULNDB=https://vuln.go.dev for the live one; see the script).
vulncheck:
	./scripts/vulncheck.sh
