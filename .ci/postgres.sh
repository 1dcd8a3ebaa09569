# Sourced by .ci/run: a throwaway PostgreSQL server for the portability test (tests/portability,
# marker `postgres`). Installs Debian's postgresql when its binaries are missing, initialises a
# cluster in a temporary directory, starts it on 127.0.0.1 and a free port, creates the role and
# database the dbt `postgres` target uses, exports PLEDGE_PG_* and stops the server at exit.
# Idempotent: a second run reuses the installed package and makes a new cluster.

pg_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && echo "$d"
}

if [ -z "$(pg_bindir)" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
fi
PLEDGE_PG_BIN=$(pg_bindir)
PLEDGE_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pledge-pg.XXXXXX")

# initdb refuses to run as root: as root the cluster belongs to Debian's `postgres` user.
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$PLEDGE_PG_DIR"
  pg_as_owner() { runuser -u postgres -- "$@"; }
else
  pg_as_owner() { "$@"; }
fi

PLEDGE_PG_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pg_as_owner "$PLEDGE_PG_BIN/initdb" -D "$PLEDGE_PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
pg_as_owner "$PLEDGE_PG_BIN/pg_ctl" -D "$PLEDGE_PG_DIR/data" -l "$PLEDGE_PG_DIR/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PLEDGE_PG_PORT -k $PLEDGE_PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null

pledge_pg_stop() {
  pg_as_owner "$PLEDGE_PG_BIN/pg_ctl" -D "$PLEDGE_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PLEDGE_PG_DIR"
}
trap pledge_pg_stop EXIT

export PLEDGE_PG_HOST=127.0.0.1 PLEDGE_PG_PORT PLEDGE_PG_USER=pledge PLEDGE_PG_PASSWORD=pledge PLEDGE_PG_DBNAME=pledge
pg_as_owner "$PLEDGE_PG_BIN/psql" -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PLEDGE_PG_PORT" -U postgres -d postgres \
  -c "create role $PLEDGE_PG_USER login password '$PLEDGE_PG_PASSWORD'" \
  -c "create database $PLEDGE_PG_DBNAME owner $PLEDGE_PG_USER"
echo "PostgreSQL $("$PLEDGE_PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PLEDGE_PG_PORT (PLEDGE_PG_*)"
