#!/bin/bash
# The streaming replica (run as root by the official image; PostgreSQL runs
# as postgres through gosu): on first start, copy the primary with
# pg_basebackup -R (which writes standby.signal and primary_conninfo)
# through a physical replication slot, then run as a hot standby that
# serves read-only queries.
set -euo pipefail
mkdir -p "$PGDATA"
chown postgres:postgres "$PGDATA"
chmod 0700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h postgres -p 5432 -q; do sleep 1; done
  gosu postgres env PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -h postgres -p 5432 -U replicator \
    -D "$PGDATA" -R -X stream -C -S replica1 -c fast
fi
exec gosu postgres postgres -c hot_standby=on
