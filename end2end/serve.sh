#!/usr/bin/env bash
# Starts a freshly seeded Townhall on one backend for the browser tests:
#   serve.sh sqlite|postgres|empty PORT     (empty: SQLite, not seeded, for first run)
# Playwright starts it and stops it; the PostgreSQL database is dropped on the next run.
set -euo pipefail
backend=$1
port=$2
bin=${TOWNHALL_BIN:?set TOWNHALL_BIN to the release townhall binary}
site=${TOWNHALL_SITE_ROOT:?set TOWNHALL_SITE_ROOT to the compiled site}

case $backend in
  sqlite | empty)
    dir=$(mktemp -d -t townhall-e2e-XXXXXX)
    url="sqlite:$dir/townhall.db"
    ;;
  postgres)
    admin=${TOWNHALL_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
    db="townhall_e2e_$port"
    psql "$admin" -q -v ON_ERROR_STOP=1 \
      -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
    url="${admin%/*}/$db"
    ;;
  *)
    echo "unknown backend: $backend" >&2
    exit 2
    ;;
esac

if [ "$backend" != empty ]; then
  "$bin" seed --demo --database-url "$url" >/dev/null
fi
# Access logs would drown the test report; warnings and errors still show.
export TOWNHALL_LOG=${TOWNHALL_LOG:-warn}
exec "$bin" serve --addr "127.0.0.1:$port" --database-url "$url" --site-root "$site"
