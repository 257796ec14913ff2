#!/usr/bin/env bash
# Stops the server started by tests/start-postgres.sh and removes its data.
set -u
[ -n "${CHORUS_PGDATA:-}" ] && [ -d "$CHORUS_PGDATA" ] || exit 0
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "cd / && '$bin/pg_ctl' -D '$CHORUS_PGDATA' -m fast -w stop" >/dev/null
else "$bin/pg_ctl" -D "$CHORUS_PGDATA" -m fast -w stop >/dev/null; fi
rm -rf "$CHORUS_PGDATA"
