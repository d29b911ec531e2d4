"""Exit 0 if the PostgreSQL server in the URL answers, 1 otherwise."""

import sys

import psycopg

try:
    with psycopg.connect(sys.argv[1], connect_timeout=3) as conn:
        conn.execute("SELECT 1")
except Exception as exc:
    print(f"PostgreSQL not reachable: {exc}", file=sys.stderr)
    sys.exit(1)
