#!/usr/bin/env bash
# `make bench`: Fuwu served as in production and measured over loopback (bench/load.py), on
# PostgreSQL at 1,000,000 requests (with pgbench's ceiling) and on SQLite at 100,000; then the
# phone-lookup selector benchmark. Results in bench/results/; see bench/README.md.
#
# Sizes and lengths can be lowered for a quick look:  TICKETS=20000 make bench
#   TICKETS          requests on PostgreSQL (default 1000000)
#   SQLITE_TICKETS   requests on SQLite (default: TICKETS, at most 100000)
#   CUSTOMERS        customers (default 100000, or 10000 below 100000 requests)
#   BENCH_SECONDS    length of each 8-client phase (default 20)
#   SOAK_MINUTES     length of the 8-client soak on the PostgreSQL dataset (default 30; 0 skips it)
#   FUWU_BENCH_DATABASE_URL  the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
TICKETS="${TICKETS:-1000000}"
SQLITE_TICKETS="${SQLITE_TICKETS:-$(( TICKETS < 100000 ? TICKETS : 100000 ))}"
CUSTOMERS="${CUSTOMERS:-$(( TICKETS < 100000 ? 10000 : 100000 ))}"
SECONDS_PER_PHASE="${BENCH_SECONDS:-20}"
SOAK_MINUTES="${SOAK_MINUTES:-30}"
PG_URL="${FUWU_BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/}"

if $PY scripts/pg_reachable.py "${PG_URL}postgres" 2>/dev/null; then
  $PY bench/load.py --tickets "$TICKETS" --customers "$CUSTOMERS" --seconds "$SECONDS_PER_PHASE" --database-url "$PG_URL"
  $PY bench/reports.py --tickets "$TICKETS" --database-url "$PG_URL"
  if [ "$SOAK_MINUTES" != "0" ]; then
    $PY bench/soak.py --tickets "$TICKETS" --customers "$CUSTOMERS" --minutes "$SOAK_MINUTES" --database-url "$PG_URL"
  fi
else
  echo "PostgreSQL at $PG_URL is not reachable: PostgreSQL figures skipped."
fi
$PY bench/load.py --tickets "$SQLITE_TICKETS" --customers "$CUSTOMERS" --seconds "$SECONDS_PER_PHASE"
$PY bench/reports.py --tickets "$SQLITE_TICKETS"
$PY bench/phone_lookup.py --customers "$CUSTOMERS"
