# The two commands of the README's quick start are scripts/run.sh and
# scripts/test.sh; these targets are the same for people who prefer make.
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
	go run ./cmd/matchbench

# Refreshes the GOV.UK Frontend assets the pages embed (frontend/assets) from
# npm: the version is pinned in frontend/assets-src/package.json. go build and
# go test never need Node.
assets:
	cd frontend/assets-src && npm ci --no-audit --no-fund && npm run build
