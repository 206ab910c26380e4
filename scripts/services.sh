#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer at DATABASE_URL and REDIS_URL's
# host and port. If one does not, it starts a local one in .data/ under the
# repository (installing Debian's packages with apt-get when missing).
# It never stops or reconfigures a server that is already running.
set -euo pipefail
export GOTOOLCHAIN=go1.27.3 # go.mod's go line; see the README's quick start
root=$(cd "$(dirname "$0")/.." && pwd)
data="$root/.data"

db_url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/carebroker?sslmode=disable}
redis_url=${REDIS_URL:-redis://127.0.0.1:6379/0}

hostport() { # url -> "host port"
  local rest=${1#*://}; rest=${rest#*@}; rest=${rest%%/*}; rest=${rest%%\?*}
  local host=${rest%:*} port=${rest##*:}
  [ "$host" = "$rest" ] && port=$2
  echo "$host $port"
}
answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  echo "services: installing $* with apt-get" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

read -r pg_host pg_port <<<"$(hostport "$db_url" 5432)"
read -r redis_host redis_port <<<"$(hostport "$redis_url" 6379)"

if answers "$pg_host" "$pg_port"; then
  echo "services: PostgreSQL answers on $pg_host:$pg_port"
else
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$pgbin" ]; then apt_install postgresql; pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1); fi
  pgdata="$data/postgres"
  mkdir -p "$pgdata"
  runas=()
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$pgdata"; runas=(su postgres -s /bin/bash -c); else runas=(bash -c); fi
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    echo "services: creating a PostgreSQL cluster in $pgdata"
    "${runas[@]}" "$pgbin/initdb -D '$pgdata' -U postgres --auth-local=trust --auth-host=trust >/dev/null"
  fi
  echo "services: starting PostgreSQL on $pg_host:$pg_port"
  "${runas[@]}" "$pgbin/pg_ctl -D '$pgdata' -l '$pgdata/server.log' -o \"-p $pg_port -k '$pgdata' -c listen_addresses=$pg_host\" -w start >/dev/null"
  for _ in $(seq 1 100); do answers "$pg_host" "$pg_port" && break; sleep 0.1; done
  answers "$pg_host" "$pg_port" || { echo "services: PostgreSQL did not start; see $pgdata/server.log" >&2; exit 1; }
fi

if answers "$redis_host" "$redis_port"; then
  echo "services: Redis answers on $redis_host:$redis_port"
else
  command -v redis-server >/dev/null || apt_install redis-server
  mkdir -p "$data/redis"
  echo "services: starting Redis on $redis_host:$redis_port"
  redis-server --daemonize yes --bind "$redis_host" --port "$redis_port" --save '' --appendonly no \
    --dir "$data/redis" --logfile "$data/redis/redis.log" --pidfile "$data/redis/redis.pid"
  for _ in $(seq 1 100); do answers "$redis_host" "$redis_port" && break; sleep 0.1; done
  answers "$redis_host" "$redis_port" || { echo "services: Redis did not start; see $data/redis/redis.log" >&2; exit 1; }
fi
