#!/usr/bin/env bash
# Starts the web server and the background worker together; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
trap 'trap - INT TERM EXIT; kill 0 2>/dev/null; wait' INT TERM EXIT
$PY manage.py run_huey --workers 2 --quiet &
echo
echo "Fuwu is starting on http://127.0.0.1:8000  (Ctrl-C stops the web server and the worker)"
$PY manage.py runserver 127.0.0.1:8000 &
wait -n
