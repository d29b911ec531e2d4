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

echo "== ruff"
.venv/bin/ruff check . || status=1
echo "== apps are layers (import-linter)"
.venv/bin/lint-imports --no-cache --no-logo || status=1
echo "== migrations are up to date"
$PY manage.py makemigrations --check --dry-run >/dev/null || { echo "makemigrations --check failed: a model change has no migration"; status=1; }

echo "== tests on SQLite"
# An explicit SQLite URL: a DATABASE_URL in .env must not turn this run into a PostgreSQL one.
DATABASE_URL="sqlite:///$PWD/var/test.sqlite3" $PY -m pytest -q -p no:randomly "${PARALLEL[@]}" --junitxml=artifacts/junit-sqlite.xml "$@" || status=1
[ -f artifacts/junit-sqlite.xml ] || { echo "!! the SQLite run did not report (it failed before running tests)"; status=1; }

PG_URL="${FUWU_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
postgres_skipped=""
if $PY scripts/pg_reachable.py "$PG_URL"; then
  echo "== tests on PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" $PY -m pytest -q -p no:randomly "${PARALLEL[@]}" --junitxml=artifacts/junit-postgres.xml "$@" || status=1
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

$PY scripts/junit_summary.py $postgres_skipped artifacts/junit-sqlite.xml artifacts/junit-postgres.xml || status=1
exit $status
