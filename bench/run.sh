#!/usr/bin/env bash
# `make bench`: the benchmarks on SQLite, then on PostgreSQL when the local server answers.
# Sizes can be lowered for a quick look: CUSTOMERS=10000 TICKETS=10000 make bench
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
CUSTOMERS="${CUSTOMERS:-100000}"
TICKETS="${TICKETS:-100000}"
PG_URL="${FUWU_BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/}"

$PY bench/phone_lookup.py --customers "$CUSTOMERS"
$PY bench/tickets.py --tickets "$TICKETS"
if $PY scripts/pg_reachable.py "${PG_URL}postgres" 2>/dev/null; then
  $PY bench/phone_lookup.py --customers "$CUSTOMERS" --database-url "$PG_URL"
  $PY bench/tickets.py --tickets "$TICKETS" --database-url "$PG_URL"
else
  echo "PostgreSQL at $PG_URL is not reachable: PostgreSQL figures skipped."
fi
