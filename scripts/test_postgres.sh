#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite (Debian package `postgresql`, no systemd needed).
#
#   eval "$(scripts/test_postgres.sh start)"   # prints `export SOURCIER_TEST_DATABASE_URL=...`
#   scripts/test_postgres.sh stop              # stops it and removes its folder
#
# The cluster lives in $SOURCIER_PG_DIR (default /tmp/sourcier-pg), listens on 127.0.0.1:$SOURCIER_PG_PORT
# (default: the first free port from 55432) with trust authentication: for tests only, never for real data.
set -euo pipefail
DIR="${SOURCIER_PG_DIR:-/tmp/sourcier-pg}"
PORT="${SOURCIER_PG_PORT:-}"
if [ -z "$PORT" ] && [ "${1:-}" = start ]; then  # first free port from 55432 (another server may hold one)
    for PORT in $(seq 55432 55499); do
        (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null || break
    done
fi
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$BIN" ]; then
    echo "PostgreSQL absent : apt-get install -y postgresql" >&2
    exit 1
fi
if [ "$(id -u)" = 0 ]; then AS_PG=(runuser -u postgres --); else AS_PG=(sudo -u postgres); fi

case "${1:-}" in
start)
    if [ ! -f "$DIR/data/PG_VERSION" ]; then
        mkdir -p "$DIR"
        chown postgres "$DIR" 2>/dev/null || sudo chown postgres "$DIR"
        "${AS_PG[@]}" "$BIN/initdb" -D "$DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
            || { cat "$DIR/initdb.log" >&2; exit 1; }
    fi
    if ! "${AS_PG[@]}" "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
        "${AS_PG[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
            -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1" start >&2
    fi
    "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='sourcier_test'" \
        | grep -q 1 || "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qc "CREATE DATABASE sourcier_test" >&2
    echo "export SOURCIER_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:$PORT/sourcier_test"
    ;;
stop)
    if [ -f "$DIR/data/PG_VERSION" ]; then
        "${AS_PG[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >&2 || true
    fi
    rm -rf "$DIR"
    ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
