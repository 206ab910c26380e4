#!/usr/bin/env bash
# Makes sure PostgreSQL, Redis and Mailpit (the SMTP server development and
# tests send email to) answer at DATABASE_URL, REDIS_URL, SMTP_URL and
# MAILPIT_API's host and port. If one does not, it starts a local one in
# .data/ under the repository (installing Debian's packages with apt-get, or
# Mailpit with go install into .data/bin, when missing).
# It never stops or reconfigures a server that is already running.
set -euo pipefail
export GOTOOLCHAIN=go1.27.3 # go.mod's go line; see the README's quick start
root=$(cd "$(dirname "$0")/.." && pwd)
data="$root/.data"

db_url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/carebroker?sslmode=disable}
redis_url=${REDIS_URL:-redis://127.0.0.1:6379/0}
smtp_url=${SMTP_URL:-smtp://127.0.0.1:1025}
mailpit_api=${MAILPIT_API:-http://127.0.0.1:8025}
mailpit_version=v1.33.1

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
read -r smtp_host smtp_port <<<"$(hostport "$smtp_url" 1025)"
read -r mailpit_host mailpit_port <<<"$(hostport "$mailpit_api" 8025)"

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

# Mailpit keeps what is sent to it and shows it at MAILPIT_API; tests read
# that API to prove what arrived. --ignore-duplicate-ids: a second copy of
# a Message-ID it has (an email resent after a worker died between the
# server's answer and its own record of it) is dropped, as Gmail does.
# The binary is wanted even when a Mailpit already answers: the fault tests
# start one of their own (internal/mailer/mailpittest finds it here).
mailpit=$(command -v mailpit || true)
[ -x "$data/bin/mailpit" ] && mailpit="$data/bin/mailpit"
if [ -z "$mailpit" ]; then
  echo "services: installing Mailpit $mailpit_version into $data/bin (go install)" >&2
  mkdir -p "$data/bin"
  GOBIN="$data/bin" go install "github.com/axllent/mailpit@$mailpit_version"
  mailpit="$data/bin/mailpit"
fi
if answers "$smtp_host" "$smtp_port" && answers "$mailpit_host" "$mailpit_port"; then
  echo "services: Mailpit answers on $smtp_host:$smtp_port and $mailpit_host:$mailpit_port"
else
  mkdir -p "$data/mailpit"
  echo "services: starting Mailpit on $smtp_host:$smtp_port (SMTP) and $mailpit_host:$mailpit_port (API)"
  nohup setsid "$mailpit" --smtp "$smtp_host:$smtp_port" --listen "$mailpit_host:$mailpit_port" \
    --ignore-duplicate-ids --max 20000 --smtp-auth-accept-any --smtp-auth-allow-insecure \
    --database "$data/mailpit/mailpit.db" >"$data/mailpit/mailpit.log" 2>&1 </dev/null &
  echo $! >"$data/mailpit/mailpit.pid"
  for _ in $(seq 1 100); do answers "$smtp_host" "$smtp_port" && answers "$mailpit_host" "$mailpit_port" && break; sleep 0.1; done
  answers "$smtp_host" "$smtp_port" || { echo "services: Mailpit did not start; see $data/mailpit/mailpit.log" >&2; exit 1; }
fi
