#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server on loopback for the test suite and prints its URL.
# Usage: eval "$(bash tests/start-postgres.sh)"   (exports TEST_DATABASE_URL and CHORUS_PGDATA)
# Stop it with: bash tests/stop-postgres.sh
set -euo pipefail
port="${PGPORT_FOR_TESTS:-55432}"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  echo "PostgreSQL is not installed: apt-get install -y postgresql" >&2
  exit 1
fi
data=$(mktemp -d /tmp/chorus-pg.XXXXXX)
run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "cd / && $*"; else sh -c "$*"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$data"
run "'$bin/initdb' -D '$data' -A trust -U postgres --no-sync" >/dev/null
run "'$bin/pg_ctl' -D '$data' -l '$data/server.log' -w -o \"-c listen_addresses=127.0.0.1 -p $port -k '$data' -c fsync=on\" start" >/dev/null
echo "export CHORUS_PGDATA='$data'"
echo "export TEST_DATABASE_URL='postgres://postgres@127.0.0.1:$port/postgres'"
