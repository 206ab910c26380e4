#!/usr/bin/env bash
# Backs up the database at DATABASE_URL with pg_dump in its custom format
# (compressed, restorable table by table with pg_restore). Prints the file.
#
#   DATABASE_URL=postgres://... scripts/backup.sh [FILE]
#
# FILE defaults to backups/carebroker-<UTC time>.dump. Restore and check a
# backup with scripts/restore.sh; a backup never restored is not a backup.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
file=${1:-backups/carebroker-$(date -u +%Y%m%dT%H%M%SZ).dump}
mkdir -p "$(dirname "$file")"
# PG_BIN picks the client tools' directory when the server is newer than
# the default pg_dump (pg_dump must be at least the server's version).
pg_dump=${PG_BIN:+$PG_BIN/}pg_dump
"$pg_dump" --format=custom --no-owner --no-privileges --file="$file.partial" "$DATABASE_URL"
mv "$file.partial" "$file" # a file with the final name is a whole dump
echo "$file ($(wc -c <"$file") bytes)"
