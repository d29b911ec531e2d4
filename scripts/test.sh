#!/usr/bin/env bash
# The whole suite on SQLite, then again on PostgreSQL (docs/architecture.md: Testing). Ends with one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
mkdir -p artifacts
rm -f artifacts/junit-*.xml
status=0
# Each run is spread over the machine's cores (pytest-xdist), a test file to a worker: each worker has
# its own test database, and a file's tests stay together. FUWU_TEST_WORKERS=0 runs in one process.
WORKERS="${FUWU_TEST_WORKERS:-$(nproc 2>/dev/null || echo 2)}"
if [ "$WORKERS" -gt 1 ] 2>/dev/null; then PARALLEL=(-n "$WORKERS" --dist loadfile); else PARALLEL=(); fi

# The whole suite: everything but the browser tests on the workers, then the browser tests (tests/e2e) in
# one process, as their time limits expect a machine not shared with another worker. With arguments,
# just those, on the workers.
run_suite() {
  local vendor=$1; shift
  if [ $# -gt 0 ]; then
    $PY -m pytest -q -p no:randomly "${PARALLEL[@]}" --junitxml="artifacts/junit-$vendor.xml" "$@"
    return
  fi
  local rc=0
  $PY -m pytest -q -p no:randomly "${PARALLEL[@]}" --ignore=tests/e2e --junitxml="artifacts/junit-$vendor.xml" || rc=1
  $PY -m pytest -q -p no:randomly tests/e2e --junitxml="artifacts/junit-$vendor-e2e.xml" || rc=1
  [ -f "artifacts/junit-$vendor-e2e.xml" ] || { echo "!! the $vendor browser tests did not report"; rc=1; }
  return $rc
}

echo "== ruff"
.venv/bin/ruff check . || status=1
echo "== apps are layers (import-linter)"
.venv/bin/lint-imports --no-cache --no-logo || status=1
echo "== migrations are up to date"
$PY manage.py makemigrations --check --dry-run >/dev/null || { echo "makemigrations --check failed: a model change has no migration"; status=1; }

echo "== tests on SQLite"
# An explicit SQLite URL: a DATABASE_URL in .env must not turn this run into a PostgreSQL one.
DATABASE_URL="sqlite:///$PWD/var/test.sqlite3" run_suite sqlite "$@" || status=1
[ -f artifacts/junit-sqlite.xml ] || { echo "!! the SQLite run did not report (it failed before running tests)"; status=1; }

PG_URL="${FUWU_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
postgres_skipped=""
if $PY scripts/pg_reachable.py "$PG_URL"; then
  echo "== tests on PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" run_suite postgres "$@" || status=1
  [ -f artifacts/junit-postgres.xml ] || { echo "!! the PostgreSQL run did not report"; status=1; }
else
  rm -f artifacts/junit-postgres.xml
  if [ "${CI:-}" = "true" ]; then
    echo "!! PostgreSQL at $PG_URL is unreachable and CI=true requires the PostgreSQL run: FAILING."
    status=1
  else
    echo "!!!!!! PostgreSQL at $PG_URL is unreachable: the PostgreSQL run is SKIPPED (set FUWU_TEST_DATABASE_URL). !!!!!!"
    postgres_skipped="--postgres-skipped"
  fi
fi

$PY scripts/junit_summary.py $postgres_skipped artifacts/junit-sqlite.xml artifacts/junit-sqlite-e2e.xml \
  artifacts/junit-postgres.xml artifacts/junit-postgres-e2e.xml || status=1
exit $status
