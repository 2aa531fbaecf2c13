#!/usr/bin/env bash
# Starts a freshly seeded Townhall on one backend for the browser tests:
#   serve.sh sqlite|postgres|empty|mail PORT
# empty: SQLite, not seeded, for first run. mail: seeded SQLite that sends e-mail to an
# SMTP server of its own (aiosmtpd, from .ci/setup), which delivers into the Maildir
# ${TMPDIR:-/tmp}/townhall-e2e-mail-PORT for the tests to read.
# Playwright starts it and stops it; the PostgreSQL database is dropped on the next run.
set -euo pipefail
backend=$1
port=$2
bin=${TOWNHALL_BIN:?set TOWNHALL_BIN to the release townhall binary}
site=${TOWNHALL_SITE_ROOT:?set TOWNHALL_SITE_ROOT to the compiled site}

case $backend in
  sqlite | empty | mail)
    dir=$(mktemp -d -t townhall-e2e-XXXXXX)
    url="sqlite:$dir/townhall.db"
    ;;
  postgres)
    admin=${TOWNHALL_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
    db="townhall_e2e_$port"
    psql "$admin" -q -v ON_ERROR_STOP=1 \
      -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
    url="${admin%/*}/$db"
    # Attachments would otherwise go to ./townhall-files, inside the checkout.
    files=$(mktemp -d -t townhall-e2e-files-XXXXXX)
    export TOWNHALL_FILES="$files"
    ;;
  *)
    echo "unknown backend: $backend" >&2
    exit 2
    ;;
esac

if [ "$backend" != empty ]; then
  "$bin" seed --demo --database-url "$url" >/dev/null
fi
if [ "$backend" = mail ]; then
  maildir="${TMPDIR:-/tmp}/townhall-e2e-mail-$port"
  rm -rf "$maildir"
  smtp_port=$((port + 100))
  python=${TOWNHALL_SMTP_PYTHON:-$HOME/.cache/townhall/smtp/bin/python}
  # A child of this process: Playwright stops both together.
  "$python" -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$maildir" &
  for _ in $(seq 200); do
    (echo >"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null && break
    sleep 0.1
  done
  export TOWNHALL_SMTP_URL="smtp://127.0.0.1:$smtp_port"
  export TOWNHALL_MAIL_FROM="Townhall Sao Mai <townhall@saomai.example>"
  export TOWNHALL_SITE_URL="http://127.0.0.1:$port"
fi

# The browser tests' push service runs on loopback (push.spec.ts).
export TOWNHALL_ALLOW_LOCAL_PUSH=true
# Access logs would drown the test report; warnings and errors still show.
export TOWNHALL_LOG=${TOWNHALL_LOG:-warn}
exec "$bin" serve --addr "127.0.0.1:$port" --database-url "$url" --site-root "$site"
