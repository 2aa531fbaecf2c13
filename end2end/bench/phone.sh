#!/usr/bin/env bash
# The phone benchmark against a benchmark company (`make bench-phone`, run by `make bench`):
#   phone.sh BIN SITE DATABASE_URL ADDR REPORT [RUNS]
# Starts `BIN serve` on ADDR with the release SITE, makes a session for one of the
# company's staff (`townhall bench-session`), runs phone-4g.mjs in Debian's Chromium,
# writes its tables to REPORT and stops the server.
set -euo pipefail
bin=$1
site=$2
url=$3
addr=$4
report=$5
runs=${6:-5}
here=$(cd "$(dirname "$0")" && pwd)

TOWNHALL_LOG=warn "$bin" serve --addr "$addr" --database-url "$url" --site-root "$site" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 600); do
  curl -fs "http://$addr/readyz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { echo "phone.sh: the server exited" >&2; exit 1; }
  sleep 0.1
done
curl -fs "http://$addr/readyz" >/dev/null

who=$("$bin" bench-session --database-url "$url")
session=$(jq -r .session <<<"$who")
mention=$(jq -r .mention <<<"$who")

node "$here/phone-4g.mjs" --base "http://$addr" --session "$session" --mention "$mention" --runs "$runs" \
  | tee "$report.log"
# The Markdown table (every line from the first `|`) for BENCHMARKS.md.
{
  echo "Phone on 4G, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $url:"
  echo
  sed -n '/^|/,$p' "$report.log"
} >"$report"
echo "phone benchmark: $report"
